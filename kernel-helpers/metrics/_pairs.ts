/**
 * Internal: reads `(yTrue, yPred)` pairs the way sklearn's `_check_reg_targets` does: 1-D inputs
 * become one column, so `[n]` and `[n, 1]` are compatible.
 *
 * @module
 */
import { ShapeError } from "../errors";
import { type SeriesInput, toTable } from "../timeseries/_inputs";

/** Two aligned matrices, `n` rows × `k` outputs. */
export interface Pair {
  t: ArrayLike<number>;
  p: ArrayLike<number>;
  n: number;
  k: number;
}

/**
 * Reads and checks a pair of targets.
 *
 * @param yTrue True values.
 * @param yPred Predictions.
 * @returns The pair.
 * @throws {ShapeError} For different lengths, output counts, or empty inputs.
 * @throws {DataError} For NaN, Infinity or non-numbers (naming the row).
 */
export function readPair(yTrue: SeriesInput, yPred: SeriesInput): Pair {
  const a = toTable(yTrue, "yTrue", { maxDims: 2 });
  const b = toTable(yPred, "yPred", { maxDims: 2 });
  if (a.length !== b.length) {
    throw new ShapeError(
      `Found input variables with inconsistent numbers of samples: \`yTrue\` and \`yPred\` must have the same length. ` +
        `Received: yTrue.length=${a.length}, yPred.length=${b.length}`,
    );
  }
  if (a.rowSize !== b.rowSize) {
    throw new ShapeError(
      `\`yTrue\` and \`yPred\` have different numbers of outputs. Received: ${a.rowSize} and ${b.rowSize}`,
    );
  }
  if (a.length === 0) throw new ShapeError("`yTrue` and `yPred` must not be empty. Received: 0 samples");
  return { t: a.values, p: b.values, n: a.length, k: a.rowSize };
}

/** Averages a per-output statistic over outputs (sklearn's `multioutput="uniform_average"`). */
export function averageOutputs(pair: Pair, perOutput: (j: number) => number): number {
  let s = 0;
  for (let j = 0; j < pair.k; j++) s += perOutput(j);
  return s / pair.k;
}
