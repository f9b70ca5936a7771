/**
 * Multi-step forecasting: recursive (feed each prediction back) and direct (one model output per
 * future step).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { InvalidArgumentError, ShapeError, assertNonNegativeInteger, assertPositiveInteger, describeValue } from "../errors";
import { type SeriesInput, toTable } from "./_inputs";

/** Anything with a Keras-style `predict` (a `tf.LayersModel`, a `tf.Sequential`, ...). */
export interface PredictModel {
  /** Predicts for a batch `[batch, steps, features]`. */
  predict(x: tf.Tensor, args?: unknown): tf.Tensor | tf.Tensor[];
}

/**
 * Forecasts `steps` values ahead by recursion: predict the next row from the last window, append
 * the prediction to the window, drop its oldest row, repeat. The model must output one value per
 * feature of the window (`[1, features]`), e.g. a univariate model on windows `[length, 1]`.
 *
 * @param model A model whose `predict` maps `[1, length, features]` to `[1, features]`.
 * @param lastWindow The most recent `length` rows: `[length, features]` (or `[length]` for one feature),
 *   as arrays, a tensor or a DataFrame, in the units the model was trained on (scaled).
 * @param steps Number of future steps.
 * @returns A float32 tensor `[steps, features]` of forecasts (the caller disposes it).
 * @throws {InvalidArgumentError} When `steps` is not a positive integer or `model` has no `predict`.
 * @throws {ShapeError} When the model's output size is not the number of features.
 * @throws {DataError} When `lastWindow` holds NaN, Infinity or non-numbers.
 * @example
 * ```ts
 * const scaler = new MinMaxScaler().fit([[100], [200]]);
 * const xScaled = scaler.transform(Array.from({ length: 40 }, (_, i) => [150 + 10 * Math.sin(i / 3)]));
 * const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [30, 1] }), tf.layers.dense({ units: 1 })] });
 * const future = forecastRecursive(model, xScaled.slice(-30), 10); // [10, 1]
 * const prices = scaler.inverseTransform(future);
 * future.dispose();
 * ```
 */
export function forecastRecursive(model: PredictModel, lastWindow: SeriesInput, steps: number): tf.Tensor2D {
  if (typeof model !== "object" || model === null || typeof (model as PredictModel).predict !== "function") {
    throw new InvalidArgumentError(`\`model\` must have a \`predict\` method (a tf.LayersModel). Received: model=${describeValue(model)}`);
  }
  assertPositiveInteger(steps, "steps");
  const table = toTable(lastWindow, "lastWindow", { maxDims: 2 });
  if (table.length === 0) throw new ShapeError("`lastWindow` must have at least one row. Received: 0 rows");
  const length = table.length;
  const features = table.rowSize;
  const window = Float32Array.from(table.values);
  const out = new Float32Array(steps * features);
  for (let s = 0; s < steps; s++) {
    const input = tf.tensor3d(window, [1, length, features], "float32");
    let pred: tf.Tensor | tf.Tensor[];
    try {
      pred = model.predict(input);
    } finally {
      input.dispose();
    }
    const outputs = Array.isArray(pred) ? pred : [pred];
    const values = outputs[0].dataSync();
    tf.dispose(outputs);
    if (values.length !== features) {
      throw new ShapeError(
        `\`model\` must predict one value per feature of the window (${features}) for recursive forecasting; ` +
          `for a model that outputs several future steps at once use direct forecasting (directTargets). ` +
          `Received: a prediction with ${values.length} values`,
      );
    }
    out.set(values, s * features);
    window.copyWithin(0, features);
    window.set(values, (length - 1) * features);
  }
  return tf.tensor2d(out, [steps, features], "float32");
}

/** Options of {@link directTargets}. */
export interface DirectTargetsOptions {
  /**
   * Row `i` starts at `series[i + offset]`. Use 0 with {@link TimeseriesGenerator} (its window for
   * row `i` ends just before `i`) and `offset = sequenceLength` with `timeseriesDatasetFromArray`
   * (its target `i` goes with the window starting at `i`).
   * @default 0
   */
  offset?: number;
}

/**
 * Targets for direct multi-step forecasting: row `i` is the next `horizon` values
 * `[series[i + offset], ..., series[i + offset + horizon - 1]]`; only complete rows are returned
 * (`n - offset - horizon + 1` of them), so a model with `horizon` outputs learns all steps at once.
 *
 * @param series A univariate series (`number[]`, typed array, 1-D tensor, danfo Series).
 * @param horizon Number of future steps per target row.
 * @param options `offset` (default 0).
 * @returns `number[][]` of shape `[n - offset - horizon + 1, horizon]`.
 * @throws {InvalidArgumentError} For a non-positive `horizon`, a negative `offset`, or no complete row.
 * @throws {ShapeError} When `series` is not 1-D.
 * @throws {DataError} For NaN, Infinity or non-numbers (naming the row).
 * @example
 * ```ts
 * directTargets([1, 2, 3, 4, 5], 2); // [[1, 2], [2, 3], [3, 4], [4, 5]]
 * // with TimeseriesGenerator: windows of rows i-L..i-1 predict series[i..i+H-1]
 * const y = [1, 2, 3, 4, 5, 6, 7, 8];
 * const x = y.map((v) => [v]);
 * const [H, L] = [2, 3];
 * const ys = directTargets(y, H);
 * const gen = new TimeseriesGenerator(x.slice(0, ys.length), ys, { length: L });
 * ```
 */
export function directTargets(series: SeriesInput, horizon: number, options: DirectTargetsOptions = {}): number[][] {
  assertPositiveInteger(horizon, "horizon");
  const { offset = 0 } = options;
  assertNonNegativeInteger(offset, "offset");
  const t = toTable(series, "series", { maxDims: 1 });
  const rows = t.length - offset - horizon + 1;
  if (rows <= 0) {
    throw new InvalidArgumentError(
      `\`series\` is too short for \`horizon\`=${horizon} with \`offset\`=${offset}: no complete target row. Received: series of length ${t.length}`,
    );
  }
  const out: number[][] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const row = new Array<number>(horizon);
    for (let h = 0; h < horizon; h++) row[h] = t.values[i + offset + h];
    out[i] = row;
  }
  return out;
}
