/**
 * `show(x)`: the one call that puts a figure or value in the notebook.
 *
 * @module
 */
import { displayBundle, type DisplayOptions, type MimeBundle } from "./bundle";

/** The Plotly MIME type JupyterLab's and VS Code's Plotly renderers handle. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** A Plotly figure: traces, layout and config, as plotly.js takes them. */
export interface PlotlyFigure {
  /** The traces. */
  data: Array<Record<string, unknown>>;
  /** Titles, axes, size. @default {} */
  layout?: Record<string, unknown>;
  /** plotly.js config. @default {responsive: true} */
  config?: Record<string, unknown>;
}

/**
 * Whether `value` looks like a Plotly figure (`{data: [...], layout?}`).
 *
 * @param value Anything.
 * @returns `true` for a figure.
 * @example
 * ```ts
 * isPlotlyFigure({ data: [{ y: [1, 2] }] }); // true
 * ```
 */
export function isPlotlyFigure(value: unknown): value is PlotlyFigure {
  return typeof value === "object" && value !== null && Array.isArray((value as { data?: unknown }).data);
}

let plotCounter = 0;

/**
 * The MIME bundle of a Plotly figure: the Plotly JSON for JupyterLab and VS Code, an HTML
 * rendering that draws with a page's embedded plotly.js (exported HTML), and a text summary.
 *
 * @param fig The figure.
 * @returns The bundle.
 * @example
 * ```ts
 * Object.keys(plotlyBundle({ data: [{ y: [1, 2] }] })); // ["application/vnd.plotly.v1+json", "text/html", "text/plain"]
 * ```
 */
export function plotlyBundle(fig: PlotlyFigure): MimeBundle {
  const spec = { data: fig.data, layout: fig.layout ?? {}, config: fig.config ?? { responsive: true } };
  const divId = `seqlab-plot-${process.pid}-${++plotCounter}`;
  const json = JSON.stringify(spec).replace(/<\//g, "<\\/");
  const title = (fig.layout?.title as { text?: string } | string | undefined) ?? "";
  const titleText = typeof title === "string" ? title : title.text ?? "";
  const html =
    `<div id="${divId}" class="seqlab-plotly"></div><script>(function(){var f=${json};` +
    `if(window.Plotly){Plotly.newPlot("${divId}",f.data,f.layout,f.config);}` +
    `else{document.getElementById("${divId}").textContent="Interactive plot: open in JupyterLab, or export with seqlab.";}})();</script>`;
  return {
    [PLOTLY_MIME]: spec,
    "text/html": html,
    "text/plain": `Plotly figure${titleText ? ` "${titleText}"` : ""} with ${fig.data.length} trace(s)`,
  };
}

/**
 * Shows a value in the notebook: a Plotly figure as an interactive plot, anything else as text.
 *
 * @param value A figure (see {@link PlotlyFigure}) or any value.
 * @param options Display id / update, to redraw a plot in place.
 * @example
 * ```ts
 * show({ data: [{ x: [1, 2, 3], y: [2, 1, 3], type: "scatter" }], layout: { title: { text: "Loss" } } });
 * ```
 */
export function show(value: unknown, options: DisplayOptions = {}): void {
  if (isPlotlyFigure(value)) {
    displayBundle(plotlyBundle(value), options);
    return;
  }
  displayBundle({ "text/plain": typeof value === "string" ? value : JSON.stringify(value, null, 2) ?? String(value) }, options);
}
