/**
 * Classification metrics: `accuracy`.
 *
 * @module
 */
import { assertFiniteNumber, DataError, InvalidArgumentError } from "../errors";
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
 * With `threshold`, probabilities are turned into 0/1 first. Without it, a prediction that is not a
 * whole number (a probability such as 0.9) is an error, as sklearn's "mix of binary and continuous
 * targets": comparing it exactly would silently count it wrong.
 *
 * @param yTrue True labels (`number[]`, `number[][]`, typed array, tensor, danfo Series).
 * @param yPred Predicted labels (or probabilities with `threshold`), same length.
 * @param options `threshold` (default: none, exact comparison).
 * @returns A fraction in [0, 1].
 * @throws {InvalidArgumentError} When `threshold` is not a finite number.
 * @throws {ShapeError} For different lengths or output counts, or empty inputs.
 * @throws {DataError} For NaN, Infinity or non-numbers, and for labels or predictions that are not
 *   whole numbers when no `threshold` is given.
 * @example
 * ```ts
 * accuracy([0, 1, 1, 0], [0, 1, 0, 0]); // 0.75
 * accuracy([1, 0], [0.8, 0.6], { threshold: 0.5 }); // 0.5
 * ```
 */
export function accuracy(yTrue: SeriesInput, yPred: SeriesInput, options: AccuracyOptions = {}): number {
  const { threshold } = options;
  if (threshold !== undefined) assertFiniteNumber(threshold, "threshold");
  const pair = readPair(yTrue, yPred);
  if (threshold === undefined) {
    assertLabels(pair.p, pair.k, "yPred", true);
    assertLabels(pair.t, pair.k, "yTrue", false);
  }
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

/** Throws when a value is not a whole number: exact comparison of probabilities is never meant. */
function assertLabels(values: ArrayLike<number>, k: number, name: string, isPrediction: boolean): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isInteger(v)) continue;
    const where = k === 1 ? `${name}[${i}]` : `${name}[${Math.floor(i / k)}][${i % k}]`;
    const fix = isPrediction
      ? "Predictions look like probabilities or scores: pass `{ threshold: 0.5 }` to count a prediction above 0.5 as 1, " +
        "or round them to class labels first (e.g. argmax for several classes)."
      : "`yTrue` must hold class labels (whole numbers); for continuous targets use a regression metric such as `mae` or `mse`.";
    throw new DataError(`\`accuracy\` compares class labels exactly, but ${name} holds a non-integer value. ${fix} Received: ${where}=${v}`);
  }
}
