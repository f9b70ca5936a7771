/**
 * Display in notebooks: values become Jupyter MIME bundles sent through the kernel.
 *
 * @module
 */
export * from "./bundle";
export * from "./show";
