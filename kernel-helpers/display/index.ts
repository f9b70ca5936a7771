/**
 * Display in notebooks: values become Jupyter MIME bundles sent through the kernel.
 *
 * @module
 */
export * from "./bundle";
export * from "./display";
export * from "./mime";
export * from "./model-summary";
export * from "./plotly";
export * from "./show";
export * from "./table";
export * from "./tensor";
export * from "./vega";
