/**
 * tf.Tensor values as readable summaries (shape, dtype, statistics, values elided when large).
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-node";
import { InvalidArgumentError, assertPositiveInteger } from "../errors";
import type { MimeBundle } from "./bundle";
import { escapeXml } from "./_svg";

/** Options of {@link tensorBundle} and {@link showTensor}. */
export interface TensorDisplayOptions {
  /** Tensors with more elements than this are summarised: first and last few values plus min/max/mean. @default 1000 */
  maxValues?: number;
}

/**
 * Whether `value` is a `tf.Tensor` (or a tensor from another copy of tfjs).
 *
 * @param value Anything.
 * @returns `true` for a tensor.
 * @throws Never: any value gives `true` or `false`.
 * @example
 * ```ts
 * isTensor(tf.zeros([2])); // true
 * ```
 */
export function isTensor(value: unknown): value is tf.Tensor {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<tf.Tensor>;
  return Array.isArray(v.shape) && typeof v.dtype === "string" && typeof v.dataSync === "function";
}

function fmtValue(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(5)));
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

/**
 * The bundle of a tensor: `text/plain` with dtype, shape and values (tfjs' own nested print
 * for small tensors; for large ones the first and last 3 values and min/max/mean), and an
 * HTML table of the same facts. Reads the values once and creates no tensors.
 *
 * @param tensor The tensor.
 * @param options When to summarise.
 * @returns `{"text/html", "text/plain"}`.
 * @throws {InvalidArgumentError} When the tensor has been disposed, or `maxValues` is not a positive integer.
 * @example
 * ```ts
 * tensorBundle(tf.tensor([[1, 2], [3, 4]]))["text/plain"];
 * // "Tensor float32 [2,2]\n[[1, 2],\n [3, 4]]"
 * ```
 */
export function tensorBundle(tensor: tf.Tensor, options: TensorDisplayOptions = {}): MimeBundle {
  const maxValues = options.maxValues ?? 1000;
  assertPositiveInteger(maxValues, "maxValues");
  if (tensor.isDisposed) {
    throw new InvalidArgumentError(`\`tensor\` has been disposed: display it before calling dispose(). Received: disposed tensor of shape [${tensor.shape.join(",")}]`);
  }
  const header = `Tensor ${tensor.dtype} [${tensor.shape.join(",")}]`;
  const values = Array.from(tensor.dataSync() as ArrayLike<number | string>);
  const facts: Array<[string, string]> = [
    ["dtype", tensor.dtype],
    ["shape", `[${tensor.shape.join(", ")}]`],
    ["size", String(values.length)],
  ];
  const numeric = values.filter((v): v is number => typeof v === "number");
  if (numeric.length > 0 && numeric.length === values.length) {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const v of numeric) {
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    facts.push(["min", fmtValue(min)], ["max", fmtValue(max)], ["mean", fmtValue(sum / numeric.length)]);
  }
  let body: string;
  if (values.length <= maxValues) {
    body = tensor.toString().replace(/^Tensor\n?/, "").replace(/^\s{4}/gm, "");
  } else {
    body = `[${values.slice(0, 3).map(fmtValue).join(", ")}, …, ${values.slice(-3).map(fmtValue).join(", ")}] (${values.length} values, flattened)`;
  }
  const summary = facts.slice(3).map(([k, v]) => `${k} ${v}`).join(", ");
  const text = `${header}${summary ? `  (${summary})` : ""}\n${body}`;
  const html =
    `<div class="seqlab-tensor"><table><tbody>${facts.map(([k, v]) => `<tr><th>${k}</th><td>${escapeXml(v)}</td></tr>`).join("")}</tbody></table>` +
    `<pre>${escapeXml(body)}</pre></div>`;
  return { "text/html": html, "text/plain": text };
}
