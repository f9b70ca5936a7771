/**
 * Display in notebooks: values become Jupyter MIME bundles sent through the kernel.
 *
 * - `toMimeBundle(value)` (pure) decides how a value looks; `display(value)` /
 *   `display.bundle(bundle)` / `show(value)` send it, optionally updatable by display id.
 * - A Plotly figure carries `application/vnd.plotly.v1+json` (seqlab's JupyterLab renderer,
 *   which redraws updated displays, and VS Code's, trusted or not), `image/svg+xml` (a static picture drawn here, in
 *   TypeScript, for line/scatter, bar, heatmap and table traces — no browser is needed at run
 *   time; other trace types carry no image), `text/html` (that picture, upgraded to the
 *   interactive plot where the page has plotly.js, as seqlab's HTML export does) and text.
 * - A Vega-Lite spec carries its Vega-Lite (v3–v5) or compiled Vega 5 MIME type and text, and
 *   no HTML (HTML would outrank JupyterLab's Vega renderer); seqlab's export adds an HTML
 *   rendering drawn by vega-embed, embedded once per file.
 * - `showResults(title, metrics)` shows a notebook's closing summary as a table and as
 *   `application/vnd.seqlab.results+json`, which `seqlab run --json` collects.
 *
 * @module
 */
export * from "./bundle";
export * from "./display";
export * from "./mime";
export * from "./model-summary";
export * from "./plotly";
export * from "./results";
export * from "./show";
export * from "./table";
export * from "./tensor";
export * from "./vega";
