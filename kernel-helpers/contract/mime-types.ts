/**
 * The MIME types the kernel and the helpers both use in display bundles and execute results.
 *
 * @module
 */

/**
 * Jupyter MIME types by role. The Plotly type is the one JupyterLab's Plotly renderer owns;
 * the Vega types are the ones JupyterLab 4 renders natively.
 *
 * @example
 * ```ts
 * import { MIME } from "kernel-helpers/contract";
 * const bundle = { [MIME.html]: "<b>hi</b>", [MIME.text]: "hi" };
 * MIME.plotly; // "application/vnd.plotly.v1+json"
 * ```
 */
export const MIME = {
  /** Plain text: every bundle has it; the fallback outside JupyterLab. */
  text: "text/plain",
  /** HTML. */
  html: "text/html",
  /** Markdown. */
  markdown: "text/markdown",
  /** SVG (the static fallback of plots). */
  svg: "image/svg+xml",
  /** PNG. */
  png: "image/png",
  /** A Plotly figure as JSON. */
  plotly: "application/vnd.plotly.v1+json",
  /** A Vega 5 spec. */
  vega: "application/vnd.vega.v5+json",
  /** Vega-Lite specs by major version. */
  vegaLite: {
    3: "application/vnd.vegalite.v3+json",
    4: "application/vnd.vegalite.v4+json",
    5: "application/vnd.vegalite.v5+json",
  },
} as const;
