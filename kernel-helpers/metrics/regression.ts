/**
 * Regression metrics with sklearn's definitions: `mse`, `rmse`, `mae`, `mape`, `r2`.
 * Argument order is sklearn's: `(yTrue, yPred)`.
 *
 * @module
 */
import type { SeriesInput } from "../timeseries/_inputs";
import { type Pair, averageOutputs, readPair } from "./_pairs";

function columnMean(pair: Pair, j: number, f: (t: number, p: number) => number): number {
  let s = 0;
  for (let i = 0; i < pair.n; i++) s += f(pair.t[i * pair.k + j], pair.p[i * pair.k + j]);
  return s / pair.n;
}

/**
 * Mean squared error, like sklearn's `mean_squared_error`: `mean((yTrue - yPred)²)`, averaged over
 * outputs for 2-D targets. `[n]` and `[n, 1]` inputs are compatible (e.g. `model.predict` output).
 *
 * @param yTrue True values: `number[]`, `number[][]`, typed array, tensor, danfo Series/DataFrame.
 * @param yPred Predictions, same length.
 * @returns The error (≥ 0).
 * @throws {ShapeError} For different lengths or output counts, or empty inputs.
 * @throws {DataError} For NaN, Infinity or non-numbers.
 * @example
 * ```ts
 * mse([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]); // 0.375
 * ```
 */
export function mse(yTrue: SeriesInput, yPred: SeriesInput): number {
  const pair = readPair(yTrue, yPred);
  return averageOutputs(pair, (j) => columnMean(pair, j, (t, p) => (t - p) * (t - p)));
}

/**
 * Root mean squared error, like sklearn's `root_mean_squared_error`: the square root of each
 * output's MSE, averaged over outputs.
 *
 * @param yTrue True values.
 * @param yPred Predictions, same length.
 * @returns The error (≥ 0).
 * @throws {ShapeError} For different lengths or output counts, or empty inputs.
 * @throws {DataError} For NaN, Infinity or non-numbers.
 * @example
 * ```ts
 * rmse([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]); // 0.6123724356957945
 * ```
 */
export function rmse(yTrue: SeriesInput, yPred: SeriesInput): number {
  const pair = readPair(yTrue, yPred);
  return averageOutputs(pair, (j) => Math.sqrt(columnMean(pair, j, (t, p) => (t - p) * (t - p))));
}

/**
 * Mean absolute error, like sklearn's `mean_absolute_error`.
 *
 * @param yTrue True values.
 * @param yPred Predictions, same length.
 * @returns The error (≥ 0).
 * @throws {ShapeError} For different lengths or output counts, or empty inputs.
 * @throws {DataError} For NaN, Infinity or non-numbers.
 * @example
 * ```ts
 * mae([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]); // 0.5
 * ```
 */
export function mae(yTrue: SeriesInput, yPred: SeriesInput): number {
  const pair = readPair(yTrue, yPred);
  return averageOutputs(pair, (j) => columnMean(pair, j, (t, p) => Math.abs(t - p)));
}

/**
 * Mean absolute percentage error, like sklearn's `mean_absolute_percentage_error`:
 * `mean(|yTrue - yPred| / max(|yTrue|, eps))` with `eps` the float64 machine epsilon. It is a
 * fraction, not a percentage (0.1 means 10%), and huge when a true value is zero.
 *
 * @param yTrue True values.
 * @param yPred Predictions, same length.
 * @returns The error (≥ 0).
 * @throws {ShapeError} For different lengths or output counts, or empty inputs.
 * @throws {DataError} For NaN, Infinity or non-numbers.
 * @example
 * ```ts
 * mape([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]); // 0.3273809523809524
 * ```
 */
export function mape(yTrue: SeriesInput, yPred: SeriesInput): number {
  const pair = readPair(yTrue, yPred);
  return averageOutputs(pair, (j) => columnMean(pair, j, (t, p) => Math.abs(t - p) / Math.max(Math.abs(t), Number.EPSILON)));
}

/**
 * Coefficient of determination, like sklearn's `r2_score`: `1 - SS_res / SS_tot` per output,
 * averaged. For a constant `yTrue` it is 1 when the predictions are perfect and 0 otherwise
 * (sklearn's `force_finite`); with fewer than two samples it is NaN (sklearn warns and returns NaN).
 *
 * @param yTrue True values.
 * @param yPred Predictions, same length.
 * @returns The score (1 is perfect; it can be negative).
 * @throws {ShapeError} For different lengths or output counts, or empty inputs.
 * @throws {DataError} For NaN, Infinity or non-numbers.
 * @example
 * ```ts
 * r2([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]); // 0.9486081370449679
 * ```
 */
export function r2(yTrue: SeriesInput, yPred: SeriesInput): number {
  const pair = readPair(yTrue, yPred);
  if (pair.n < 2) return NaN;
  return averageOutputs(pair, (j) => {
    const mean = columnMean(pair, j, (t) => t);
    let num = 0;
    let den = 0;
    for (let i = 0; i < pair.n; i++) {
      const t = pair.t[i * pair.k + j];
      const p = pair.p[i * pair.k + j];
      num += (t - p) * (t - p);
      den += (t - mean) * (t - mean);
    }
    if (den === 0) return num === 0 ? 1 : 0;
    return 1 - num / den;
  });
}
