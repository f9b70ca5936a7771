/**
 * Internal: 2-D inputs for the scalers, and results given back in the caller's kind.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { InvalidArgumentError, ShapeError } from "../errors";
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
