/**
 * `toMimeBundle(value)`: any value → the Jupyter MIME bundle that shows it best.
 *
 * @module
 */
import { inspect } from "node:util";
import { InvalidArgumentError } from "../errors";
import type { MimeBundle } from "./bundle";
import { isLayersModelLike, modelSummary } from "./model-summary";
import { isPlotlyFigure, plotlyBundle } from "./plotly";
import { frameBundle, isDanfoFrame } from "./table";
import { isTensor, tensorBundle } from "./tensor";
import { isVegaSpec, vegaBundle } from "./vega";

/**
 * The symbol of the display protocol Deno's Jupyter kernel defines: `value[JUPYTER_DISPLAY]()`
 * returns a MIME bundle, which {@link toMimeBundle} (and so `display`) uses as it is.
 *
 * @example
 * ```ts
 * const note = { [JUPYTER_DISPLAY]: () => ({ "text/markdown": "**done**", "text/plain": "done" }) };
 * display(note);
 * ```
 */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/**
 * Turns any value into the MIME bundle that shows it best. Pure: sends nothing.
 *
 * In order: an object with a `[Symbol.for("Jupyter.display")]()` method (Deno's protocol) →
 * the bundle it returns; a Plotly figure → Plotly JSON + SVG + HTML + text; a Vega-Lite/Vega
 * spec → its Vega MIME type + text; a danfo DataFrame/Series → HTML table (shape, head and
 * tail) + text; a `tf.Tensor` → shape, dtype and values (summarised when large); a tfjs
 * LayersModel → its summary table; a string → itself as text; anything else →
 * `util.inspect` text.
 *
 * @param value Anything.
 * @returns MIME type → data; always has `text/plain` unless the display protocol omits it.
 * @throws {InvalidArgumentError} When a display-protocol method returns something that is not a bundle.
 * @example
 * ```ts
 * toMimeBundle(42); // { "text/plain": "42" }
 * Object.keys(toMimeBundle({ data: [{ y: [1, 2] }] })); // [PLOTLY_MIME, "image/svg+xml", "text/html", "text/plain"]
 * ```
 */
export function toMimeBundle(value: unknown): MimeBundle {
  if (typeof value === "object" && value !== null) {
    const protocol = (value as { [JUPYTER_DISPLAY]?: unknown })[JUPYTER_DISPLAY];
    if (typeof protocol === "function") {
      const bundle: unknown = protocol.call(value);
      if (typeof bundle !== "object" || bundle === null || Array.isArray(bundle) || Object.keys(bundle).length === 0) {
        throw new InvalidArgumentError(
          `\`[Symbol.for("Jupyter.display")]()\` must return a non-empty object of MIME types, e.g. {"text/plain": "hi"}. Received: ${inspect(bundle, { depth: 0 })}`,
        );
      }
      return bundle as MimeBundle;
    }
    if (isPlotlyFigure(value)) return plotlyBundle(value);
    if (isTensor(value)) return tensorBundle(value);
    if (isLayersModelLike(value)) return toMimeBundle(modelSummary(value));
    if (isDanfoFrame(value)) return frameBundle(value);
    if (isVegaSpec(value)) return vegaBundle(value);
  }
  if (typeof value === "string") return { "text/plain": value };
  return { "text/plain": inspect(value, { depth: 4, colors: false, maxArrayLength: 50 }) };
}
