/**
 * Training callbacks: live curves in notebooks, Keras' text progress bar in scripts.
 *
 * @module
 */
export * from "./live";
export * from "./progbar";
