/**
 * Internal: copies windows of rows out of a flat table into batch buffers. Shared by
 * {@link TimeseriesGenerator} and {@link timeseriesDatasetFromArray}; only the batch being
 * built is ever allocated.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import type { Table } from "./_inputs";

/**
 * Builds a float32 tensor `[starts.length, steps, ...rowShape]` where window `b` holds rows
 * `starts[b] + k * rate` for k = 0..steps-1 (reversed in time when `reverse`).
 *
 * @param table The data.
 * @param starts First row of each window.
 * @param steps Rows per window.
 * @param rate Distance between consecutive rows of a window.
 * @param reverse Whether to put the rows in reverse chronological order.
 * @returns The batch tensor (owned by the caller).
 */
export function gatherWindows(table: Table, starts: ArrayLike<number>, steps: number, rate: number, reverse: boolean): tf.Tensor {
  const size = table.rowSize;
  const n = starts.length;
  const buf = new Float32Array(n * steps * size);
  const src = table.values;
  let o = 0;
  const typed = ArrayBuffer.isView(src) ? (src as unknown as Float64Array) : null;
  if (typed && rate === 1 && !reverse) {
    // contiguous windows: one block copy each
    const block = steps * size;
    for (let b = 0; b < n; b++, o += block) buf.set(typed.subarray(starts[b] * size, starts[b] * size + block), o);
    return tf.tensor(buf, [n, steps, ...table.rowShape], "float32");
  }
  for (let b = 0; b < n; b++) {
    for (let k = 0; k < steps; k++) {
      const row = starts[b] + (reverse ? steps - 1 - k : k) * rate;
      const from = row * size;
      if (size === 1) buf[o++] = src[from];
      else for (let c = 0; c < size; c++) buf[o++] = src[from + c];
    }
  }
  return tf.tensor(buf, [n, steps, ...table.rowShape], "float32");
}

/**
 * Builds a float32 tensor `[rows.length, ...rowShape]` of the given rows.
 *
 * @param table The data.
 * @param rows Row indices.
 * @returns The tensor (owned by the caller).
 */
export function gatherRows(table: Table, rows: ArrayLike<number>): tf.Tensor {
  const size = table.rowSize;
  const n = rows.length;
  const buf = new Float32Array(n * size);
  const src = table.values;
  for (let b = 0; b < n; b++) {
    const from = rows[b] * size;
    for (let c = 0; c < size; c++) buf[b * size + c] = src[from + c];
  }
  return tf.tensor(buf, [n, ...table.rowShape], "float32");
}
