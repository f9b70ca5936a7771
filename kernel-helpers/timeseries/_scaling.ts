/**
 * Internal: 2-D inputs for the scalers, and results given back in the caller's kind.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { InvalidArgumentError, SeqlabError, ShapeError } from "../errors";
import { type Table, makeFrameFromRows, toNested, toTable } from "./_inputs";

/** A 2-D table of samples × features. */
export interface Matrix {
  table: Table;
  rows: number;
  cols: number;
}

/**
 * Reads a 2-D input (samples × features) for a scaler.
 *
 * @param x The input.
 * @param name The argument's name.
 * @returns The matrix.
 * @throws {ShapeError} When the input is not 2-D or has no rows.
 * @throws {DataError} For NaN, Infinity or non-numbers.
 */
export function readMatrix(x: unknown, name: string): Matrix {
  let table: Table;
  try {
    table = toTable(x, name, { minDims: 2, maxDims: 2 });
  } catch (e) {
    if (e instanceof ShapeError && /at least 2 dimensions/.test(e.message)) {
      throw new ShapeError(
        `\`${name}\` must be 2-D (samples × features). Reshape your data: [[v0], [v1], ...] for a single feature, ` +
          `or pass a DataFrame instead of a Series. ${e.message.slice(e.message.indexOf("Received:"))}`,
      );
    }
    throw e;
  }
  if (table.length === 0) {
    throw new ShapeError(`\`${name}\` must have at least one sample (row). Received: 0 rows`);
  }
  return { table, rows: table.length, cols: table.rowSize };
}

/** Gives a row-major result back in the kind of `like` (arrays, tensor, DataFrame). */
export function giveBack(values: Float64Array, like: Matrix): unknown {
  const t = like.table;
  switch (t.kind) {
    case "tensor":
      return tf.tensor2d(Float32Array.from(values), [like.rows, like.cols], "float32");
    case "frame":
      return makeFrameFromRows(t.columns as string[], values, like.rows, t.index as Array<string | number>);
    default:
      return toNested(values, like.rows, [like.cols]);
  }
}

/** Checks the feature count (and names) of `m` against what a scaler was fitted on. */
export function checkFeatures(m: Matrix, nFeatures: number, names: string[] | undefined, scaler: string): void {
  if (m.cols !== nFeatures) {
    throw new ShapeError(
      `X has ${m.cols} features, but ${scaler} is expecting ${nFeatures} features as input. Received: X with ${m.cols} columns`,
    );
  }
  const got = m.table.columns;
  if (names && got && m.table.kind === "frame" && got.some((c, j) => c !== names[j])) {
    throw new InvalidArgumentError(
      `The feature names should match those that were passed during fit: [${names.join(", ")}]. Received: [${got.join(", ")}]`,
    );
  }
}

/** Sum with Neumaier compensation (close to numpy's pairwise sum). */
export function accurateSum(values: ArrayLike<number>, start: number, count: number, step: number): number {
  let sum = 0;
  let comp = 0;
  for (let k = 0; k < count; k++) {
    const v = values[start + k * step];
    const t = sum + v;
    comp += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + comp;
}

/** Thrown when a scaler is used before `fit`. */
export class NotFittedError extends SeqlabError {
  /** @param message What to call first. */
  constructor(message: string) {
    super(message);
    this.name = "NotFittedError";
  }
}

/**
 * Reads `x` for a fitted scaler's `transform`/`inverseTransform`, checking it was fitted and
 * that `x` has the features it was fitted on.
 *
 * @param scaler The scaler's fitted state (`nFeaturesIn` is `null` before `fit`) and class name.
 * @param x The data.
 * @param method The method called, for the message.
 * @returns `x` as a matrix.
 * @throws {NotFittedError} Before `fit`.
 */
export function readFittedInput(
  scaler: { nFeaturesIn: number | null; featureNamesIn: string[] | null; name: string },
  x: unknown,
  method: string,
): Matrix {
  if (scaler.nFeaturesIn === null) {
    throw new NotFittedError(
      `This ${scaler.name} instance is not fitted yet. Call \`fit\` (or \`fitTransform\`) with the training data before \`${method}\`. Received: an unfitted scaler`,
    );
  }
  const m = readMatrix(x, "X");
  checkFeatures(m, scaler.nFeaturesIn, scaler.featureNamesIn ?? undefined, scaler.name);
  return m;
}

/**
 * Applies `f(value, column)` to every value of `m`, giving the result back in `m`'s kind.
 *
 * @param m The input matrix.
 * @param f The per-value map.
 * @returns An array, tensor or DataFrame like the input.
 */
export function mapMatrix(m: Matrix, f: (v: number, j: number) => number): unknown {
  const out = new Float64Array(m.rows * m.cols);
  const v = m.table.values;
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out[i * m.cols + j] = f(v[i * m.cols + j]!, j);
  return giveBack(out, m);
}
