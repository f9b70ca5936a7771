/**
 * Baselines every forecasting or up/down model must beat: naive (last value), seasonal naive,
 * moving average; majority class and persistence (yesterday's direction) for classification.
 *
 * @module
 */
import { InvalidArgumentError, assertNonNegativeInteger, assertPositiveInteger } from "../errors";
import { type SeriesInput, toTable } from "./_inputs";

function readSeries(x: SeriesInput, name: string): ArrayLike<number> {
  const t = toTable(x, name, { maxDims: 1 });
  if (t.length === 0) throw new InvalidArgumentError(`\`${name}\` must not be empty. Received: ${name} of length 0`);
  return t.values;
}

/** Predictions lined up with what actually happened, for a metric: `mae(actual, predictions)`. */
export interface AlignedPredictions {
  /** The baseline's predictions. */
  predictions: number[];
  /** The true values at the same positions. */
  actual: number[];
}

/**
 * Naive forecast: every future step equals the last observed value.
 *
 * @param history Observed values (1-D), oldest first.
 * @param horizon Number of future steps.
 * @returns `horizon` forecasts.
 * @throws {InvalidArgumentError} For an empty history or a non-positive horizon.
 * @throws {DataError} For NaN, Infinity or non-numbers.
 * @example
 * ```ts
 * naiveForecast([3, 5, 4], 2); // [4, 4]
 * ```
 */
export function naiveForecast(history: SeriesInput, horizon: number): number[] {
  assertPositiveInteger(horizon, "horizon");
  const h = readSeries(history, "history");
  return new Array<number>(horizon).fill(h[h.length - 1]);
}

/**
 * Seasonal naive forecast: step `k` repeats the value one season earlier,
 * `history[n - seasonLength + (k mod seasonLength)]`.
 *
 * @param history Observed values (1-D), oldest first, at least one season long.
 * @param seasonLength Period of the season in steps (7 for weekly on daily data, 12 for yearly on monthly).
 * @param horizon Number of future steps.
 * @returns `horizon` forecasts.
 * @throws {InvalidArgumentError} For non-positive sizes or a history shorter than a season.
 * @throws {DataError} For NaN, Infinity or non-numbers.
 * @example
 * ```ts
 * seasonalNaiveForecast([1, 2, 3, 10, 20, 30], 3, 4); // [10, 20, 30, 10]
 * ```
 */
export function seasonalNaiveForecast(history: SeriesInput, seasonLength: number, horizon: number): number[] {
  assertPositiveInteger(seasonLength, "seasonLength");
  assertPositiveInteger(horizon, "horizon");
  const h = readSeries(history, "history");
  if (h.length < seasonLength) {
    throw new InvalidArgumentError(
      `\`history\` must be at least one season long (seasonLength=${seasonLength}). Received: history of length ${h.length}`,
    );
  }
  const n = h.length;
  return Array.from({ length: horizon }, (_, k) => h[n - seasonLength + (k % seasonLength)]);
}

/**
 * Moving-average forecast: every future step equals the mean of the last `window` values.
 *
 * @param history Observed values (1-D), oldest first, at least `window` long.
 * @param window Number of most recent values averaged.
 * @param horizon Number of future steps.
 * @returns `horizon` forecasts.
 * @throws {InvalidArgumentError} For non-positive sizes or a history shorter than `window`.
 * @throws {DataError} For NaN, Infinity or non-numbers.
 * @example
 * ```ts
 * movingAverageForecast([1, 2, 3, 6], 2, 2); // [4.5, 4.5]
 * ```
 */
export function movingAverageForecast(history: SeriesInput, window: number, horizon: number): number[] {
  assertPositiveInteger(window, "window");
  assertPositiveInteger(horizon, "horizon");
  const h = readSeries(history, "history");
  if (h.length < window) {
    throw new InvalidArgumentError(`\`history\` must have at least \`window\`=${window} values. Received: history of length ${h.length}`);
  }
  let sum = 0;
  for (let i = h.length - window; i < h.length; i++) sum += h[i];
  return new Array<number>(horizon).fill(sum / window);
}

/** Options of {@link persistencePredictions}. */
export interface PersistenceOptions {
  /**
   * Predict `series[t]` by `series[t - lag]` (1: yesterday; a season length: seasonal naive).
   * @default 1
   */
  lag?: number;
}

/**
 * Persistence baseline over a whole series, one step ahead: the prediction for `series[t]` is
 * `series[t - lag]`. On prices it is the naive forecast; on up/down labels it predicts
 * yesterday's direction. The first `lag` values have no prediction and are left out of both arrays.
 *
 * @param series Values or 0/1 labels (1-D), oldest first.
 * @param options `lag` (default 1).
 * @returns `{predictions, actual}`, each of length `n - lag`.
 * @throws {InvalidArgumentError} For a non-positive lag or a series not longer than it.
 * @throws {DataError} For NaN, Infinity or non-numbers.
 * @example
 * ```ts
 * const { predictions, actual } = persistencePredictions([1, 0, 0, 1]);
 * // predictions [1, 0, 0], actual [0, 0, 1] -> accuracy(actual, predictions) = 1/3
 * ```
 */
export function persistencePredictions(series: SeriesInput, options: PersistenceOptions = {}): AlignedPredictions {
  const { lag = 1 } = options;
  assertPositiveInteger(lag, "lag");
  const s = readSeries(series, "series");
  if (s.length <= lag) {
    throw new InvalidArgumentError(`\`series\` must be longer than \`lag\`=${lag}. Received: series of length ${s.length}`);
  }
  const arr = Array.from(s);
  return { predictions: arr.slice(0, arr.length - lag), actual: arr.slice(lag) };
}

/**
 * Moving-average baseline over a whole series, one step ahead: the prediction for `series[t]` is
 * the mean of `series[t - window .. t - 1]`; the first `window` values are left out.
 *
 * @param series Values (1-D), oldest first.
 * @param window Number of previous values averaged.
 * @returns `{predictions, actual}`, each of length `n - window`.
 * @throws {InvalidArgumentError} For a non-positive window or a series not longer than it.
 * @throws {DataError} For NaN, Infinity or non-numbers.
 * @example
 * ```ts
 * movingAveragePredictions([1, 3, 5, 7], 2); // { predictions: [2, 4], actual: [5, 7] }
 * ```
 */
export function movingAveragePredictions(series: SeriesInput, window: number): AlignedPredictions {
  assertPositiveInteger(window, "window");
  const s = readSeries(series, "series");
  if (s.length <= window) {
    throw new InvalidArgumentError(`\`series\` must be longer than \`window\`=${window}. Received: series of length ${s.length}`);
  }
  const predictions: number[] = [];
  let sum = 0;
  for (let i = 0; i < window; i++) sum += s[i];
  for (let t = window; t < s.length; t++) {
    predictions.push(sum / window);
    sum += s[t] - s[t - window];
  }
  return { predictions, actual: Array.from(s).slice(window) };
}

/**
 * The most frequent label (ties: the smallest label, like sklearn's `DummyClassifier("most_frequent")`).
 *
 * @param labels Class labels (1-D), e.g. the training targets.
 * @returns The majority label.
 * @throws {InvalidArgumentError} For an empty input.
 * @throws {DataError} For NaN, Infinity or non-numbers.
 * @example
 * ```ts
 * majorityClass([1, 0, 1, 1]); // 1
 * ```
 */
export function majorityClass(labels: SeriesInput): number {
  const s = readSeries(labels, "labels");
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) counts.set(s[i], (counts.get(s[i]) ?? 0) + 1);
  let best = Infinity;
  let bestCount = -1;
  for (const [label, count] of counts) {
    if (count > bestCount || (count === bestCount && label < best)) {
      best = label;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Majority-class baseline: predicts the training set's most frequent label for every sample.
 *
 * @param trainLabels Training labels (1-D).
 * @param n Number of predictions (e.g. the test set size).
 * @returns `n` copies of {@link majorityClass}`(trainLabels)`.
 * @throws {InvalidArgumentError} For empty labels or a negative `n`.
 * @throws {DataError} For NaN, Infinity or non-numbers.
 * @example
 * ```ts
 * const yTrain = [0, 1, 1, 1];
 * const yTest = [1, 0, 1];
 * const preds = majorityClassPredictions(yTrain, yTest.length); // [1, 1, 1]
 * accuracy(yTest, preds); // 0.6666666666666666
 * ```
 */
export function majorityClassPredictions(trainLabels: SeriesInput, n: number): number[] {
  assertNonNegativeInteger(n, "n");
  return new Array<number>(n).fill(majorityClass(trainLabels));
}
