/**
 * `timeseriesDatasetFromArray`: Keras 3 `keras.utils.timeseries_dataset_from_array` for tfjs.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { DataError, InvalidArgumentError, ShapeError, assertBoolean, assertPositiveInteger, describeValue } from "../errors";
import { type SeriesInput, type Table, toTable } from "./_inputs";
import { type Rng, makeRng, shuffleInPlace } from "./_random";
import { gatherRows, gatherWindows } from "./_windows";

/** Configuration of {@link timeseriesDatasetFromArray}; mirrors Keras' keyword arguments. */
export interface TimeseriesDatasetArgs {
  /** Rows per window (after sampling): window `p` holds rows `p, p + r, ..., p + (sequenceLength - 1) * r`. */
  sequenceLength: number;
  /**
   * Period between the first rows of successive windows.
   * @default 1
   */
  sequenceStride?: number;
  /**
   * Period between the rows of one window.
   * @default 1
   */
  samplingRate?: number;
  /**
   * Windows per batch; `null` for a dataset of single windows (unbatched).
   * @default 128
   */
  batchSize?: number | null;
  /**
   * Shuffle the windows (a new order on every pass over the dataset).
   * @default false
   */
  shuffle?: boolean;
  /**
   * Seed for `shuffle`.
   * @default undefined (a fresh random seed)
   */
  seed?: number;
  /**
   * First row used (inclusive). Targets are counted from here too: the window starting at row
   * `startIndex + p` goes with `targets[startIndex + p]`.
   * @default 0
   */
  startIndex?: number;
  /**
   * Rows from `endIndex` on are not used (exclusive end).
   * @default data length
   */
  endIndex?: number;
}

/** One element (or batch) of a dataset with targets. */
export type WindowsAndTargets = {
  /** Windows, float32: `[batch, sequenceLength, ...features]` (or without the batch axis when unbatched). */
  xs: tf.Tensor;
  /** Targets, float32: `[batch, ...targetRowShape]` (or without the batch axis when unbatched). */
  ys: tf.Tensor;
};

function truthy(v: number | undefined): v is number {
  return v !== undefined && v !== null && v !== 0;
}

function validate(data: Table, args: TimeseriesDatasetArgs): void {
  const n = data.length;
  const { startIndex, endIndex, samplingRate = 1, sequenceStride = 1 } = args;
  if (n === 0) {
    // Keras blames the default samplingRate here; name the empty input instead.
    throw new DataError(
      `\`data\` must not be empty: pass at least sequenceLength=${describeValue(args.sequenceLength)} rows. Received: empty data`,
    );
  }
  // Keras checks these only when they are "truthy" (so 0 skips the checks): same here.
  if (truthy(startIndex)) {
    if (!Number.isInteger(startIndex) || startIndex < 0) {
      throw new InvalidArgumentError(`\`startIndex\` must be 0 or greater. Received: startIndex=${describeValue(startIndex)}`);
    }
    if (startIndex >= n) {
      throw new InvalidArgumentError(
        `\`startIndex\` must be lower than the length of the data. Received: startIndex=${startIndex}, for data of length ${n}`,
      );
    }
  }
  if (truthy(endIndex)) {
    if (!Number.isInteger(endIndex)) {
      throw new InvalidArgumentError(`\`endIndex\` must be an integer. Received: endIndex=${describeValue(endIndex)}`);
    }
    if (truthy(startIndex) && endIndex <= startIndex) {
      throw new InvalidArgumentError(
        `\`endIndex\` must be higher than \`startIndex\`. Received: startIndex=${startIndex}, and endIndex=${endIndex}`,
      );
    }
    if (endIndex >= n) {
      throw new InvalidArgumentError(
        `\`endIndex\` must be lower than the length of the data (it is exclusive; leave it out to use all rows). ` +
          `Received: endIndex=${endIndex}, for data of length ${n}`,
      );
    }
    if (endIndex <= 0) {
      throw new InvalidArgumentError(`\`endIndex\` must be higher than 0. Received: endIndex=${endIndex}`);
    }
  }
  assertPositiveInteger(samplingRate, "samplingRate");
  if (samplingRate >= n) {
    throw new InvalidArgumentError(
      `\`samplingRate\` must be lower than the length of the data. Received: samplingRate=${samplingRate}, for data of length ${n}`,
    );
  }
  assertPositiveInteger(sequenceStride, "sequenceStride");
  if (sequenceStride >= n) {
    throw new InvalidArgumentError(
      `\`sequenceStride\` must be lower than the length of the data. Received: sequenceStride=${sequenceStride}, for data of length ${n}`,
    );
  }
}

/**
 * Creates a dataset of sliding windows over a time series, like Keras 3
 * `keras.utils.timeseries_dataset_from_array`: `targets[i]` goes with the window that STARTS at
 * row `i` (contrast {@link TimeseriesGenerator}, where `targets[i]` follows the window).
 *
 * ```
 * data:     d0 d1 d2 d3 d4 d5        sequenceLength = 3, endIndex exclusive
 * windows:  [d0 d1 d2] -> targets[0]
 *              [d1 d2 d3] -> targets[1]
 *                 [d2 d3 d4] -> targets[2]
 *                    [d3 d4 d5] -> targets[3]
 * ```
 * To predict the value after each window, pass `targets = data.slice(sequenceLength)`.
 *
 * The number of windows is `ceil(n / sequenceStride)` with
 * `n = min(end - start - (sequenceLength - 1) * samplingRate, targets.length)`; when `n <= 0` the
 * dataset is empty (no error, as in Keras). Windows are built lazily, one batch at a time.
 *
 * Porting note: elements are `{xs, ys}` objects (what `model.fitDataset` expects) rather than
 * `(x, y)` tuples, and values are float32. `shuffle` draws a seeded permutation of the windows on
 * every pass (Keras shuffles the window starts once, then locally per pass); the two agree in
 * distribution, not number for number.
 *
 * @param data Consecutive data points, time on axis 0 (arrays, typed array, tensor, DataFrame/Series).
 * @param targets Targets (`targets[i]` for the window starting at `i`), or `null` for windows only.
 * @param args Window and batch configuration (see {@link TimeseriesDatasetArgs}).
 * @returns A `tf.data.Dataset` of `{xs, ys}` (or of `xs` tensors when `targets` is null).
 * @throws {InvalidArgumentError} For the argument errors Keras raises (`startIndex`, `endIndex`,
 *   `samplingRate`, `sequenceStride` out of range) and a non-positive `sequenceLength` or `batchSize`.
 * @throws {ShapeError} When `targets` is too short for the windows used, or rows are ragged.
 * @throws {DataError} When `data` is empty, or `data` or `targets` hold NaN, Infinity or non-numbers (the message names the row).
 * @example
 * ```ts
 * const data = Array.from({ length: 10 }, (_, i) => i);
 * const ds = timeseriesDatasetFromArray(data.slice(0, -3), data.slice(3), { sequenceLength: 3, batchSize: 2 });
 * const first = await ds.take(1).toArray();
 * first[0].xs.arraySync(); // [[0, 1, 2], [1, 2, 3]]
 * first[0].ys.arraySync(); // [3, 4]
 * ```
 */
export function timeseriesDatasetFromArray(data: SeriesInput, targets: null, args: TimeseriesDatasetArgs): tf.data.Dataset<tf.Tensor>;
export function timeseriesDatasetFromArray(
  data: SeriesInput,
  targets: SeriesInput,
  args: TimeseriesDatasetArgs,
): tf.data.Dataset<WindowsAndTargets>;
export function timeseriesDatasetFromArray(
  data: SeriesInput,
  targets: SeriesInput | null,
  args: TimeseriesDatasetArgs,
): tf.data.Dataset<WindowsAndTargets> | tf.data.Dataset<tf.Tensor>;
export function timeseriesDatasetFromArray(
  data: SeriesInput,
  targets: SeriesInput | null,
  args: TimeseriesDatasetArgs,
): tf.data.Dataset<WindowsAndTargets> | tf.data.Dataset<tf.Tensor> {
  if (typeof args !== "object" || args === null) {
    throw new InvalidArgumentError(
      `\`args\` must be an object with at least \`sequenceLength\`, e.g. { sequenceLength: 3 }. Received: args=${describeValue(args)}`,
    );
  }
  assertPositiveInteger(args.sequenceLength, "sequenceLength");
  const batchSize = args.batchSize === undefined ? 128 : args.batchSize;
  if (batchSize !== null) assertPositiveInteger(batchSize, "batchSize");
  if (args.shuffle !== undefined) assertBoolean(args.shuffle, "shuffle");
  const table = toTable(data, "data");
  validate(table, args);
  const targetTable = targets === null ? null : toTable(targets, "targets");

  const start = args.startIndex ?? 0;
  const end = args.endIndex ?? table.length;
  const rate = args.samplingRate ?? 1;
  const stride = args.sequenceStride ?? 1;
  const length = args.sequenceLength;
  let numSeqs = end - start - (length - 1) * rate;
  if (targetTable !== null) numSeqs = Math.min(numSeqs, targetTable.length);
  const count = numSeqs > 0 ? Math.ceil(numSeqs / stride) : 0;
  if (targetTable !== null && count > 0) {
    const lastTarget = start + (count - 1) * stride;
    if (lastTarget >= targetTable.length) {
      throw new ShapeError(
        `\`targets\` is too short: the window starting at row ${lastTarget} needs targets[${lastTarget}]. ` +
          `Give targets as long as data. Received: targets.length=${targetTable.length}, data.length=${table.length}, startIndex=${start}`,
      );
    }
  }
  const shuffle = args.shuffle ?? false;
  const rng: Rng | null = shuffle ? makeRng(args.seed) : null;
  const perBatch = batchSize ?? 1;

  const orderForPass = (): Int32Array => {
    const order = new Int32Array(count);
    for (let k = 0; k < count; k++) order[k] = start + k * stride;
    return rng ? shuffleInPlace(order, rng) : order;
  };

  function* windows(): Generator<WindowsAndTargets | tf.Tensor> {
    const order = orderForPass();
    for (let b = 0; b < count; b += perBatch) {
      const starts = order.subarray(b, Math.min(b + perBatch, count));
      const xsBatch = gatherWindows(table, starts, length, rate, false);
      const xs = batchSize === null ? squeezeFirst(xsBatch) : xsBatch;
      if (targetTable === null) {
        yield xs;
        continue;
      }
      const ysBatch = gatherRows(targetTable, starts);
      const ys = batchSize === null ? squeezeFirst(ysBatch) : ysBatch;
      yield { xs, ys };
    }
  }
  return tf.data.generator(windows as unknown as () => Iterator<WindowsAndTargets>) as
    | tf.data.Dataset<WindowsAndTargets>
    | tf.data.Dataset<tf.Tensor>;
}

function squeezeFirst(t: tf.Tensor): tf.Tensor {
  const out = t.reshape(t.shape.slice(1));
  t.dispose();
  return out;
}
