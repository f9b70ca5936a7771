/**
 * How the value of a cell's last expression becomes a Jupyter MIME bundle (`execute_result`).
 *
 * The conversion itself is kernel-helpers' `toMimeBundle` (Plotly figures, Vega specs, danfo
 * DataFrames/Series, tfjs tensors and models, plain values), so a value looks the same whether
 * it is the last expression or passed to `display()`. The kernel adds what only it can do:
 * `undefined` shows nothing, and a `[Symbol.for("Jupyter.display")]()` method (the Deno
 * kernel's protocol) may return a promise, which is awaited. A string result is shown quoted, as
 * Node's REPL does (`display("text")` shows it bare), so `"1"` and `1` look different.
 *
 * @module
 */
import * as util from "node:util";
import type { MimeBundle } from "kernel-helpers/display";

export type { MimeBundle };

/**
 * kernel-helpers' display module, loaded at the first rich result, not when the kernel starts:
 * it loads TensorFlow, which must load in the kernel's child process, whose stderr is filtered
 * (see `launcher.ts`), never in the launching process.
 */
function displayModule(): typeof import("kernel-helpers/display") {
  return require("kernel-helpers/display") as typeof import("kernel-helpers/display");
}

function isBundle(v: unknown): v is MimeBundle {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => k.includes("/"));
}

/**
 * The MIME bundle of a value, or `undefined` for `undefined` (nothing to show).
 *
 * @param value The last expression's value.
 * @returns The bundle (always with `text/plain`).
 * @throws Whatever a `[Symbol.for("Jupyter.display")]()` method throws, or a `TypeError`
 *   when it returns (or resolves to) something that is not a MIME bundle.
 * @example
 * ```ts
 * await richResult(42); // { "text/plain": "42" }
 * ```
 */
export async function richResult(value: unknown): Promise<MimeBundle | undefined> {
  if (value === undefined) return undefined;
  const { JUPYTER_DISPLAY, toMimeBundle } = displayModule();
  const protocol = typeof value === "object" && value !== null ? (value as Record<symbol, unknown>)[JUPYTER_DISPLAY] : undefined;
  if (typeof protocol === "function") {
    const bundle: unknown = await (protocol as () => unknown).call(value);
    if (!isBundle(bundle)) {
      throw new TypeError(
        `[Symbol.for("Jupyter.display")]() must return an object mapping MIME types to data, e.g. {"text/plain": "hi"}. Received: ${util.inspect(bundle, { depth: 1 })}`,
      );
    }
    return "text/plain" in bundle ? bundle : { ...bundle, "text/plain": util.inspect(value, { depth: 1 }) };
  }
  if (typeof value === "string") return { "text/plain": util.inspect(value) };
  return toMimeBundle(value);
}
