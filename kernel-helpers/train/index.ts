/**
 * Training callbacks (live curves in notebooks, Keras' text progress bar in scripts) and
 * seeding for repeatable runs.
 *
 * @module
 */
export * from "./live";
export * from "./progbar";
export * from "./seed";
