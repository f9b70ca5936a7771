/**
 * Internal: column-wise view of 1-D/2-D inputs for the pandas-like series helpers, and results
 * given back in the caller's kind (array, tensor, Series, DataFrame).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import type * as dfd from "danfojs-node";
import { type Table, makeFrame, makeSeries, toTable } from "./_inputs";

/** Columns of a 1-D or 2-D input, NaN allowed. */
export interface Columns {
  cols: Float64Array[];
  n: number;
  table: Table;
}

/**
 * Reads `x` column by column (NaN and ±Infinity allowed: these helpers make and remove them).
 *
 * @param x 1-D or 2-D input.
 * @param name The argument's name.
 * @returns The columns.
 */
export function readColumns(x: unknown, name: string): Columns {
  const table = toTable(x, name, { allowNaN: true, allowInfinite: true, maxDims: 2 });
  const n = table.length;
  const k = table.rowSize;
  const cols = Array.from({ length: k }, () => new Float64Array(n));
  const v = table.values;
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) cols[j][i] = v[i * k + j];
  return { cols, n, table };
}

/** Column names for a result: the input's, else "0", "1", ... */
export function columnNames(c: Columns): string[] {
  return c.table.columns ?? c.cols.map((_, j) => String(j));
}

/**
 * Gives columns back in the kind of the input.
 *
 * @param cols Result columns (all the same length).
 * @param like The input read by {@link readColumns}.
 * @param rows Which input rows the result rows come from (for the index), default all.
 * @param names Column names when they differ from the input's (a DataFrame result).
 * @returns Same kind as the input.
 */
export function giveColumns(cols: Float64Array[], like: Columns, rows?: number[], names?: string[]): unknown {
  const t = like.table;
  const n = cols.length ? cols[0].length : 0;
  const oneD = t.rowShape.length === 0 && !names;
  const index = t.index ? (rows ? rows.map((r) => (t.index as Array<string | number>)[r]) : t.index.slice()) : undefined;
  if (t.kind === "frame" || (t.kind === "series" && names)) {
    return makeFrame(names ?? (t.columns as string[]), cols, index as Array<string | number>) as dfd.DataFrame;
  }
  if (t.kind === "series") return makeSeries(cols[0], index as Array<string | number>, (t.columns as string[])[0]);
  if (t.kind === "tensor") {
    const buf = new Float32Array(n * cols.length);
    for (let i = 0; i < n; i++) for (let j = 0; j < cols.length; j++) buf[i * cols.length + j] = cols[j][i];
    return oneD ? tf.tensor1d(buf, "float32") : tf.tensor2d(buf, [n, cols.length], "float32");
  }
  if (oneD) return Array.from(cols[0]);
  const out: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(cols.length);
    for (let j = 0; j < cols.length; j++) row[j] = cols[j][i];
    out[i] = row;
  }
  return out;
}
