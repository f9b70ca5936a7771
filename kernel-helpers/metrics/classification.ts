/**
 * Classification metrics: `accuracy`.
 *
 * @module
 */
import { InvalidArgumentError, describeValue } from "../errors";
import type { SeriesInput } from "../timeseries/_inputs";
import { readPair } from "./_pairs";

/** Options of {@link accuracy}. */
export interface AccuracyOptions {
  /**
   * When set, predictions are probabilities: a prediction above `threshold` counts as 1, else 0
   * (Keras' `binary_accuracy`). Leave it out to compare labels exactly (sklearn's `accuracy_score`).
   * @default undefined (exact comparison)
   */
  threshold?: number;
}

/**
 * Fraction of correct predictions, like sklearn's `accuracy_score`: labels must be equal. For
 * 2-D labels with several columns a row counts only when all its columns match (subset accuracy).
 * With `threshold`, probabilities are turned into 0/1 first.
 *
 * @param yTrue True labels (`number[]`, `number[][]`, typed array, tensor, danfo Series).
 * @param yPred Predicted labels (or probabilities with `threshold`), same length.
 * @param options `threshold` (default: none, exact comparison).
 * @returns A fraction in [0, 1].
 * @throws {InvalidArgumentError} When `threshold` is not a finite number.
 * @throws {ShapeError} For different lengths or output counts, or empty inputs.
 * @throws {DataError} For NaN, Infinity or non-numbers.
 * @example
 * ```ts
 * accuracy([0, 1, 1, 0], [0, 1, 0, 0]); // 0.75
 * accuracy([1, 0], [0.8, 0.6], { threshold: 0.5 }); // 0.5
 * ```
 */
export function accuracy(yTrue: SeriesInput, yPred: SeriesInput, options: AccuracyOptions = {}): number {
  const { threshold } = options;
  if (threshold !== undefined && (typeof threshold !== "number" || !Number.isFinite(threshold))) {
    throw new InvalidArgumentError(`\`threshold\` must be a finite number. Received: threshold=${describeValue(threshold)}`);
  }
  const pair = readPair(yTrue, yPred);
  let correct = 0;
  for (let i = 0; i < pair.n; i++) {
    let ok = true;
    for (let j = 0; j < pair.k && ok; j++) {
      const raw = pair.p[i * pair.k + j];
      const p = threshold === undefined ? raw : raw > threshold ? 1 : 0;
      ok = pair.t[i * pair.k + j] === p;
    }
    if (ok) correct++;
  }
  return correct / pair.n;
}
