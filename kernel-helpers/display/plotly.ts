/**
 * Plotly figures as Jupyter MIME bundles.
 *
 * @module
 */
import { InvalidArgumentError, describeValue } from "../errors";
import { randomBytes } from "node:crypto";
import { MIME } from "../contract/mime-types";
import type { MimeBundle } from "./bundle";
import { figureToSvg, titleText } from "./_svg";

/**
 * The Plotly MIME type JupyterLab's and VS Code's Plotly renderers handle.
 *
 * @example
 * ```ts
 * display.bundle({ [PLOTLY_MIME]: { data: [{ y: [1, 2] }] }, "text/plain": "a plot" });
 * ```
 */
export const PLOTLY_MIME = MIME.plotly;

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
 * @throws Never: any value gives `true` or `false`.
 * @example
 * ```ts
 * isPlotlyFigure({ data: [{ y: [1, 2] }] }); // true
 * ```
 */
export function isPlotlyFigure(value: unknown): value is PlotlyFigure {
  if (typeof value !== "object" || value === null) return false;
  const data = (value as { data?: unknown }).data;
  return Array.isArray(data) && data.every((t) => typeof t === "object" && t !== null && !Array.isArray(t));
}

/**
 * The MIME bundle of a Plotly figure:
 * - `application/vnd.plotly.v1+json`, drawn in JupyterLab by seqlab's Plotly renderer (set up
 *   by `npm install`; it redraws when a display is updated) and in VS Code by its own (trusted
 *   or not: the renderer outranks HTML);
 * - `image/svg+xml`, a static picture drawn here for line, bar, heatmap and table traces, for
 *   viewers that run no JavaScript (omitted for other trace types);
 * - `text/html`: that picture, replaced by the interactive plot when the page has plotly.js
 *   (seqlab's exported HTML embeds it once per file);
 * - `text/plain`: a one-line summary.
 *
 * @param fig The figure.
 * @returns The bundle.
 * @throws {InvalidArgumentError} When `fig` is not a Plotly figure.
 * @example
 * ```ts
 * Object.keys(plotlyBundle({ data: [{ y: [1, 2] }] }));
 * // ["application/vnd.plotly.v1+json", "image/svg+xml", "text/html", "text/plain"]
 * ```
 */
export function plotlyBundle(fig: PlotlyFigure): MimeBundle {
  if (!isPlotlyFigure(fig)) {
    throw new InvalidArgumentError(`\`fig\` must be a Plotly figure {data: [...traces], layout?}. Received: fig=${describeValue(fig)}`);
  }
  const spec = { data: fig.data, layout: fig.layout ?? {}, config: fig.config ?? { responsive: true } };
  const svg = figureToSvg(spec);
  const divId = `seqlab-plot-${randomBytes(6).toString("hex")}`;
  const json = JSON.stringify(spec).replace(/<\//g, "<\\/").replace(/<!--/g, "<\\!--");
  const title = titleText(spec.layout.title).replace(/<br\s*\/?>/gi, " — ").replace(/<[^>]+>/g, "");
  const fallback = svg ?? `<p>Interactive plot${title ? ` “${title}”` : ""}: open the notebook in JupyterLab or export it with seqlab.</p>`;
  const html =
    `<div id="${divId}" class="seqlab-plotly">${fallback}</div><script type="text/javascript">(function(){var f=${json};` +
    `var el=document.getElementById("${divId}");if(window.Plotly&&el){el.innerHTML="";` +
    `window.Plotly.newPlot(el,f.data,f.layout,f.config);}})();</script>`;
  const bundle: MimeBundle = { [PLOTLY_MIME]: spec };
  if (svg) bundle["image/svg+xml"] = svg;
  bundle["text/html"] = html;
  bundle["text/plain"] = `Plotly figure${title ? ` "${title}"` : ""} with ${fig.data.length} trace(s)`;
  return bundle;
}
