/**
 * Internal: turns the inputs a student passes (nested arrays, typed arrays, tensors, danfo
 * DataFrames and Series) into one flat numeric table, validating shape and values on the way,
 * and turns results back into the caller's kind.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import * as dfd from "danfojs-node";
import { DataError, InvalidArgumentError, ShapeError, describeValue } from "../errors";

/** The structural part of a danfo DataFrame this package relies on. */
export interface FrameLike {
  readonly index: Array<string | number>;
  readonly columns: string[];
  readonly values: unknown;
  readonly shape: number[];
  readonly ndim: number;
}

/** A numeric 1-D typed array. */
export type NumericTypedArray = Float32Array | Float64Array | Int32Array | Uint8Array | Int16Array | Uint16Array | Uint32Array | Int8Array;

/**
 * Anything a time-series helper accepts as data: nested number arrays, a typed array (1-D),
 * a tensor, or a danfo DataFrame/Series.
 */
export type SeriesInput = tf.Tensor | NumericTypedArray | readonly unknown[] | FrameLike;

/** A flat row-major numeric table: `length` rows, each of shape `rowShape`. */
export interface Table {
  /** Row-major values (shared with the caller's typed array when possible: never mutate). */
  values: ArrayLike<number>;
  /** Number of rows (axis 0). */
  length: number;
  /** Shape of one row (empty for a 1-D input). */
  rowShape: number[];
  /** Number of values per row (product of `rowShape`). */
  rowSize: number;
  /** Row labels when the input was a DataFrame or Series. */
  index?: Array<string | number>;
  /** Column names when the input was a DataFrame or Series. */
  columns?: string[];
  /** What kind of input it was, to give results back in the same kind. */
  kind: "array" | "typed" | "tensor" | "frame" | "series";
}

/** Options of {@link toTable}. */
export interface ToTableOptions {
  /** Accept NaN (but never ±Infinity unless `allowInfinite`). */
  allowNaN?: boolean;
  /** Accept ±Infinity. */
  allowInfinite?: boolean;
  /** Minimum number of dimensions (counting axis 0). */
  minDims?: number;
  /** Maximum number of dimensions (counting axis 0). */
  maxDims?: number;
}

/** True for danfo DataFrames and Series (checked by shape, not `instanceof`: danfo builds several copies of its classes). */
export function isFrameLike(x: unknown): x is FrameLike {
  if (typeof x !== "object" || x === null) return false;
  const o = x as Record<string, unknown>;
  return (
    Array.isArray(o.index) && Array.isArray(o.columns) && Array.isArray(o.shape) && typeof o.ndim === "number" && "values" in o
  );
}

/** True for a danfo Series. */
export function isSeriesLike(x: unknown): x is FrameLike {
  return isFrameLike(x) && x.ndim === 1;
}

function isTypedArray(x: unknown): x is NumericTypedArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

function describeRow(label: string | number | undefined, i: number): string {
  return label === undefined || label === i ? `row ${i}` : `row ${i} (${describeValue(label)})`;
}

function checkValue(v: unknown, where: string, name: string, opts: ToTableOptions): number {
  if (typeof v !== "number") {
    throw new DataError(
      `\`${name}\` must hold numbers only; ${where} is not a number (convert or drop that value first). Received: ${describeValue(v)}`,
    );
  }
  if (Number.isNaN(v) && !opts.allowNaN) {
    throw new DataError(
      `\`${name}\` must not contain NaN; ${where} is NaN (drop or fill missing values first, e.g. with dropNa()). Received: NaN`,
    );
  }
  if ((v === Infinity || v === -Infinity) && !opts.allowInfinite) {
    throw new DataError(
      `\`${name}\` must not contain Infinity; ${where} is ${v} (a percent change of a zero value gives Infinity: drop or replace it). Received: ${v}`,
    );
  }
  return v;
}

function checkFlat(values: ArrayLike<number>, rowSize: number, name: string, opts: ToTableOptions, index?: Array<string | number>): void {
  if (opts.allowNaN && opts.allowInfinite) return;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (Number.isFinite(v)) continue;
    const r = Math.floor(k / Math.max(rowSize, 1));
    const c = k - r * rowSize;
    const where = rowSize > 1 ? `${describeRow(index?.[r], r)}, value ${c}` : describeRow(index?.[r], r);
    checkValue(v, where, name, opts);
  }
}

function shapeOfNested(x: readonly unknown[]): number[] {
  const shape: number[] = [x.length];
  let cur: unknown = x[0];
  while (Array.isArray(cur) || isTypedArray(cur)) {
    const arr = cur as ArrayLike<unknown>;
    shape.push(arr.length);
    cur = arr[0];
  }
  return shape;
}

function flattenNested(x: readonly unknown[], shape: number[], name: string, opts: ToTableOptions): Float64Array {
  const rowSize = shape.slice(1).reduce((a, b) => a * b, 1);
  const out = new Float64Array(x.length * rowSize);
  let k = 0;
  const walk = (node: unknown, depth: number, path: string, row: number): void => {
    if (depth === shape.length) {
      out[k++] = checkValue(node, rowSize > 1 ? `${name}${path}` : `row ${row}`, name, opts);
      return;
    }
    if (!(Array.isArray(node) || isTypedArray(node))) {
      throw new ShapeError(
        `\`${name}\` must be a regular (non-ragged) array of shape [${shape.join(", ")}]; ${name}${path} is not an array. ` +
          `Make every row the same length. Received: ${name}${path}=${describeValue(node)}`,
      );
    }
    const arr = node as ArrayLike<unknown>;
    if (arr.length !== shape[depth]) {
      throw new ShapeError(
        `\`${name}\` must be a regular (non-ragged) array: ${name}${path} has ${arr.length} values but ${name}[0]` +
          `${"[0]".repeat(depth - 1)} has ${shape[depth]} (row ${row}). Make every row the same length. ` +
          `Received: ${name}${path}=${describeValue(node)}`,
      );
    }
    for (let i = 0; i < arr.length; i++) walk(arr[i], depth + 1, `${path}[${i}]`, depth === 0 ? i : row);
  };
  for (let i = 0; i < x.length; i++) walk(x[i], 1, `[${i}]`, i);
  return out;
}

function frameValues(frame: FrameLike, name: string, opts: ToTableOptions): Table {
  const rows = frame.shape[0];
  const index = frame.index.slice();
  const columns = frame.columns.slice();
  if (frame.ndim === 1) {
    const vals = frame.values as unknown[];
    const out = new Float64Array(rows);
    for (let i = 0; i < rows; i++) out[i] = checkValue(vals[i], describeRow(index[i], i), name, opts);
    return { values: out, length: rows, rowShape: [], rowSize: 1, index, columns, kind: "series" };
  }
  const vals = frame.values as unknown[][];
  const cols = columns.length;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = vals[i];
    for (let j = 0; j < cols; j++) {
      out[i * cols + j] = checkValue(row[j], `${describeRow(index[i], i)}, column ${describeValue(columns[j])}`, name, opts);
    }
  }
  return { values: out, length: rows, rowShape: [cols], rowSize: cols, index, columns, kind: "frame" };
}

/**
 * Converts any supported input to a validated {@link Table}.
 *
 * @param x The input.
 * @param name The argument's name, used in error messages.
 * @param opts What to accept.
 * @returns The table.
 * @throws {InvalidArgumentError} For an unsupported type or dimension count.
 * @throws {ShapeError} For ragged rows.
 * @throws {DataError} For non-numbers, NaN or Infinity (unless allowed).
 */
export function toTable(x: unknown, name: string, opts: ToTableOptions = {}): Table {
  let table: Table;
  if (x instanceof tf.Tensor) {
    if (x.rank === 0) throw new ShapeError(`\`${name}\` must have at least 1 dimension (time on axis 0). Received: a scalar tensor`);
    const values = x.dataSync() as ArrayLike<number>;
    const rowShape: number[] = x.shape.slice(1);
    const rowSize = rowShape.reduce((a: number, b: number) => a * b, 1);
    checkFlat(values, rowSize, name, opts);
    table = { values, length: x.shape[0], rowShape, rowSize, kind: "tensor" };
  } else if (isTypedArray(x)) {
    checkFlat(x, 1, name, opts);
    table = { values: x, length: x.length, rowShape: [], rowSize: 1, kind: "typed" };
  } else if (isFrameLike(x)) {
    table = frameValues(x, name, opts);
  } else if (Array.isArray(x)) {
    const shape = shapeOfNested(x);
    const values = flattenNested(x, shape, name, opts);
    const rowShape = shape.slice(1);
    table = { values, length: x.length, rowShape, rowSize: rowShape.reduce((a, b) => a * b, 1), kind: "array" };
  } else {
    throw new InvalidArgumentError(
      `\`${name}\` must be an array, a typed array, a tensor, or a danfo DataFrame/Series. Received: ${name}=${describeValue(x)}`,
    );
  }
  const dims = table.rowShape.length + 1;
  if (opts.minDims !== undefined && dims < opts.minDims) {
    throw new ShapeError(
      `\`${name}\` must have at least ${opts.minDims} dimensions; reshape it (e.g. one column per feature: [[v0], [v1], ...]). ` +
        `Received: ${name} with shape [${[table.length, ...table.rowShape].join(", ")}]`,
    );
  }
  if (opts.maxDims !== undefined && dims > opts.maxDims) {
    throw new ShapeError(
      `\`${name}\` must have at most ${opts.maxDims} dimensions. Received: ${name} with shape [${[table.length, ...table.rowShape].join(", ")}]`,
    );
  }
  return table;
}

/** Builds a danfo DataFrame from columns of numbers. */
export function makeFrame(columns: string[], data: ArrayLike<number>[], index: Array<string | number>): dfd.DataFrame {
  const obj: Record<string, number[]> = {};
  columns.forEach((c, j) => {
    obj[c] = Array.from(data[j]);
  });
  return new dfd.DataFrame(obj, { index, columns });
}

/** Builds a danfo DataFrame from row-major values. */
export function makeFrameFromRows(columns: string[], values: ArrayLike<number>, rows: number, index: Array<string | number>): dfd.DataFrame {
  const cols = columns.length;
  const data: Float64Array[] = columns.map(() => new Float64Array(rows));
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[j][i] = values[i * cols + j];
  return makeFrame(columns, data, index);
}

/** Builds a danfo Series. */
export function makeSeries(values: ArrayLike<number>, index: Array<string | number>, name: string): dfd.Series {
  return new dfd.Series(Array.from(values), { index, columns: [name] });
}

/** Rebuilds nested JS arrays of shape `[length, ...rowShape]` from row-major values. */
export function toNested(values: ArrayLike<number>, length: number, rowShape: number[]): unknown[] {
  const build = (offset: number, dims: number[]): unknown => {
    if (dims.length === 0) return values[offset];
    const [d, ...rest] = dims;
    const step = rest.reduce((a: number, b: number) => a * b, 1);
    const out: unknown[] = new Array(d);
    for (let i = 0; i < d; i++) out[i] = build(offset + i * step, rest);
    return out;
  };
  return build(0, [length, ...rowShape]) as unknown[];
}
