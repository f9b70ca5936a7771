/**
 * pandas-style series helpers danfo lacks: `pctChange`, `diff`, `shift`, `dropNa`, `lagFeatures`.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-node";
import type * as dfd from "danfojs-node";
import { InvalidArgumentError, assertInteger, assertOneOf, assertPositiveInteger, describeValue } from "../errors";
import { type FrameLike, type NumericTypedArray } from "./_inputs";
import { type Columns, columnNames, giveColumns, readColumns } from "./_columns";

/** A 1-D or 2-D series: `number[]`, `number[][]` (rows × columns), a typed array, a tensor, or a danfo Series/DataFrame. */
export type SeriesLike = readonly number[] | readonly (readonly number[])[] | NumericTypedArray | tf.Tensor | FrameLike;

/** The result kind for an input kind: Series/DataFrame keep their kind and index, tensors give float32 tensors, typed arrays give `number[]`. */
export type SameKind<T> = T extends tf.Tensor
  ? tf.Tensor
  : T extends FrameLike
    ? T extends dfd.DataFrame
      ? dfd.DataFrame
      : dfd.Series
    : T extends readonly (readonly number[])[]
      ? number[][]
      : number[];

function mapColumns(c: Columns, f: (col: Float64Array) => Float64Array): Float64Array[] {
  return c.cols.map(f);
}

/** Options of {@link pctChange}, {@link diff} and {@link shift}. */
export interface PeriodsOptions {
  /**
   * Periods to shift by (negative: look forward).
   * @default 1
   */
  periods?: number;
}

/**
 * Fractional change between each element and the one `periods` before, column by column, like
 * pandas' `pct_change()`: `x[i] / x[i - periods] - 1`. The first `periods` rows are NaN;
 * dividing by zero gives ±Infinity (0/0 gives NaN), as in pandas.
 *
 * Porting note: missing values are not forward-filled first (pandas ≥ 2.1's behaviour with
 * `fill_method=None`, the pandas 3 default).
 *
 * @param x A series or table: `number[]`, `number[][]`, tensor, danfo Series or DataFrame (all columns).
 * @param options `periods` (default 1).
 * @returns Same kind (and index) as `x`.
 * @throws {InvalidArgumentError} When `periods` is not an integer.
 * @throws {DataError} For non-numeric values (naming row and column).
 * @example
 * ```ts
 * pctChange([100, 110, 99]); // [NaN, 0.1, -0.1]  (up to rounding)
 * ```
 */
export function pctChange<T extends SeriesLike>(x: T, options: PeriodsOptions = {}): SameKind<T> {
  const { periods = 1 } = options;
  assertInteger(periods, "periods");
  const c = readColumns(x, "x");
  const out = mapColumns(c, (col) => {
    const r = new Float64Array(c.n);
    for (let i = 0; i < c.n; i++) {
      const j = i - periods;
      r[i] = j < 0 || j >= c.n ? NaN : col[i] / col[j] - 1;
    }
    return r;
  });
  return giveColumns(out, c) as SameKind<T>;
}

/**
 * First discrete difference, like pandas' `diff()`: `x[i] - x[i - periods]` (NaN where undefined).
 *
 * @param x A series or table (see {@link pctChange}).
 * @param options `periods` (default 1).
 * @returns Same kind (and index) as `x`.
 * @throws {InvalidArgumentError} When `periods` is not an integer.
 * @throws {DataError} For non-numeric values.
 * @example
 * ```ts
 * diff([1, 4, 9, 16]); // [NaN, 3, 5, 7]
 * ```
 */
export function diff<T extends SeriesLike>(x: T, options: PeriodsOptions = {}): SameKind<T> {
  const { periods = 1 } = options;
  assertInteger(periods, "periods");
  const c = readColumns(x, "x");
  const out = mapColumns(c, (col) => {
    const r = new Float64Array(c.n);
    for (let i = 0; i < c.n; i++) {
      const j = i - periods;
      r[i] = j < 0 || j >= c.n ? NaN : col[i] - col[j];
    }
    return r;
  });
  return giveColumns(out, c) as SameKind<T>;
}

/** Options of {@link shift}. */
export interface ShiftOptions extends PeriodsOptions {
  /**
   * Value for the rows shifted in.
   * @default NaN
   */
  fillValue?: number;
}

/**
 * Shifts values by `periods` rows, like pandas' `shift()`: `out[i] = x[i - periods]`, the index
 * unchanged, the rows shifted in set to `fillValue`. `shift(x, { periods: -1 })` puts tomorrow's
 * value on today's row (a next-step target).
 *
 * @param x A series or table (see {@link pctChange}).
 * @param options `periods` (default 1), `fillValue` (default NaN).
 * @returns Same kind (and index) as `x`.
 * @throws {InvalidArgumentError} When `periods` is not an integer or `fillValue` not a number.
 * @throws {DataError} For non-numeric values.
 * @example
 * ```ts
 * shift([1, 2, 3]); // [NaN, 1, 2]
 * shift([1, 2, 3], { periods: -1, fillValue: 0 }); // [2, 3, 0]
 * ```
 */
export function shift<T extends SeriesLike>(x: T, options: ShiftOptions = {}): SameKind<T> {
  const { periods = 1, fillValue = NaN } = options;
  assertInteger(periods, "periods");
  if (typeof fillValue !== "number") {
    throw new InvalidArgumentError(`\`fillValue\` must be a number. Received: fillValue=${describeValue(fillValue)}`);
  }
  const c = readColumns(x, "x");
  const out = mapColumns(c, (col) => shiftColumn(col, periods, fillValue));
  return giveColumns(out, c) as SameKind<T>;
}

function shiftColumn(col: Float64Array, periods: number, fill: number): Float64Array {
  const n = col.length;
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const j = i - periods;
    r[i] = j < 0 || j >= n ? fill : col[j];
  }
  return r;
}

/** Options of {@link dropNa}. */
export interface DropNaOptions {
  /**
   * Drop a row when `"any"` of its values is NaN, or only when `"all"` are.
   * @default "any"
   */
  how?: "any" | "all";
}

/**
 * Removes rows holding NaN, like pandas' `dropna()` (DataFrame/Series keep the remaining index
 * labels). ±Infinity is not missing and stays (as in pandas).
 *
 * @param x A series or table (see {@link pctChange}).
 * @param options `how`: "any" (default) or "all".
 * @returns Same kind as `x`, without the dropped rows.
 * @throws {InvalidArgumentError} When `how` is not "any" or "all".
 * @throws {DataError} For non-numeric values.
 * @example
 * ```ts
 * dropNa([NaN, 1, 2]); // [1, 2]
 * dropNa([[NaN, 1], [2, 3]]); // [[2, 3]]
 * ```
 */
export function dropNa<T extends SeriesLike>(x: T, options: DropNaOptions = {}): SameKind<T> {
  const { how = "any" } = options;
  assertOneOf(how, ["any", "all"] as const, "how");
  const c = readColumns(x, "x");
  const keep: number[] = [];
  for (let i = 0; i < c.n; i++) {
    let nan = 0;
    for (const col of c.cols) if (Number.isNaN(col[i])) nan++;
    const drop = how === "any" ? nan > 0 : nan === c.cols.length && c.cols.length > 0;
    if (!drop) keep.push(i);
  }
  const out = c.cols.map((col) => Float64Array.from(keep, (i) => col[i]));
  return giveColumns(out, c, keep) as SameKind<T>;
}

/** Options of {@link lagFeatures}. */
export interface LagFeaturesOptions {
  /**
   * Keep the original columns before the lagged ones.
   * @default true
   */
  keepOriginal?: boolean;
  /**
   * Drop the first rows, whose lags are NaN.
   * @default false
   */
  dropNa?: boolean;
}

/**
 * Lag features for classical models: for each column `c` and each lag `k`, a column
 * `c_lag{k}` = `shift(c, k)` (pandas: `df[f"{c}_lag{k}"] = df[c].shift(k)`).
 *
 * @param x A series or table (see {@link pctChange}); arrays get column names "0", "1", ...
 * @param lags One lag or a list of lags (positive integers), e.g. `[1, 2, 3]`.
 * @param options `keepOriginal` (default true), `dropNa` (default false).
 * @returns A DataFrame for Series/DataFrame input (same index), else `number[][]`
 *   (a 2-D tensor for a tensor), columns: originals, then `c_lag1`, `c_lag2`, ... per column.
 * @throws {InvalidArgumentError} When a lag is not a positive integer.
 * @throws {DataError} For non-numeric values.
 * @example
 * ```ts
 * lagFeatures([1, 2, 3, 4], [1, 2]); // [[1, NaN, NaN], [2, 1, NaN], [3, 2, 1], [4, 3, 2]]
 * ```
 */
export function lagFeatures(
  x: SeriesLike,
  lags: number | readonly number[],
  options: LagFeaturesOptions = {},
): dfd.DataFrame | number[][] | tf.Tensor {
  const { keepOriginal = true, dropNa: drop = false } = options;
  const list = typeof lags === "number" ? [lags] : Array.isArray(lags) ? lags : null;
  if (!list || list.length === 0) {
    throw new InvalidArgumentError(`\`lags\` must be a positive integer or a non-empty list of them. Received: lags=${describeValue(lags)}`);
  }
  list.forEach((k, i) => assertPositiveInteger(k, `lags[${i}]`));
  const c = readColumns(x, "x");
  const names = columnNames(c);
  const outNames: string[] = [];
  const outCols: Float64Array[] = [];
  if (keepOriginal) {
    outNames.push(...names);
    outCols.push(...c.cols);
  }
  c.cols.forEach((col, j) => {
    for (const k of list) {
      outNames.push(`${names[j]}_lag${k}`);
      outCols.push(shiftColumn(col, k, NaN));
    }
  });
  let rows: number[] | undefined;
  let cols = outCols;
  if (drop) {
    const first = Math.max(...list);
    rows = [];
    for (let i = first; i < c.n; i++) rows.push(i);
    cols = outCols.map((col) => col.slice(first));
  }
  if (c.table.kind === "frame" || c.table.kind === "series") return giveColumns(cols, c, rows, outNames) as dfd.DataFrame;
  const asMatrix: Columns = { ...c, table: { ...c.table, rowShape: [cols.length], rowSize: cols.length } };
  return giveColumns(cols, asMatrix) as number[][] | tf.Tensor;
}
