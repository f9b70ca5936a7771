/**
 * `TimeseriesGenerator`: batches of sliding windows with the semantics of
 * `keras.preprocessing.sequence.TimeseriesGenerator` (keras-preprocessing 1.1.2).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import {
  DataError,
  InvalidArgumentError,
  ShapeError,
  assertBoolean,
  assertNonNegativeInteger,
  assertPositiveInteger,
  describeValue,
} from "../errors";
import { type SeriesInput, type Table, toTable } from "./_inputs";
import { type Rng, makeRng, randomInt } from "./_random";
import { gatherRows, gatherWindows } from "./_windows";

/** Configuration of a {@link TimeseriesGenerator}; mirrors Keras' keyword arguments. */
export interface TimeseriesGeneratorArgs {
  /**
   * Length of the output sequences, in timesteps (before sampling): the window for target
   * `targets[i]` is rows `i - length .. i - 1`.
   */
  length: number;
  /**
   * Period between successive timesteps within a window: rows `i - length, i - length + r, ...`
   * (so a window holds `ceil(length / samplingRate)` rows).
   * @default 1
   */
  samplingRate?: number;
  /**
   * Period between successive windows: targets `i`, `i + stride`, `i + 2 * stride`, ...
   * @default 1
   */
  stride?: number;
  /**
   * Rows before `startIndex` are never used; the first target is `targets[startIndex + length]`.
   * @default 0
   */
  startIndex?: number;
  /**
   * Rows after `endIndex` are never used; the last possible target is `targets[endIndex]` (inclusive).
   * @default data length - 1
   */
  endIndex?: number;
  /**
   * Draw each batch's target rows at random (with replacement, `batchSize` of them, every batch
   * full) instead of in chronological order.
   * @default false
   */
  shuffle?: boolean;
  /**
   * Put the timesteps of each window in reverse chronological order.
   * @default false
   */
  reverse?: boolean;
  /**
   * Number of windows per batch.
   * @default 128
   */
  batchSize?: number;
  /**
   * Seed for `shuffle`, making the sequence of batches reproducible.
   * @default undefined (a fresh random seed)
   */
  seed?: number;
}

/** One batch: windows `xs` of shape `[batch, steps, ...features]` and their targets `ys`. */
export type TimeseriesBatch = {
  /** Windows, float32, `[batch, ceil(length / samplingRate), ...dataRowShape]`. */
  xs: tf.Tensor;
  /** Targets, float32, `[batch, ...targetRowShape]`. */
  ys: tf.Tensor;
};

/**
 * Utility class for generating batches of temporal data, like Keras' `TimeseriesGenerator`:
 * the window of rows `i - length .. i - 1` (every `samplingRate`-th row) goes with `targets[i]`.
 *
 * ```
 * data:    d0 d1 d2 d3 d4 d5 d6 ...        length = 3
 * window:  [d0 d1 d2] -> targets[3]
 *             [d1 d2 d3] -> targets[4]      (stride 1)
 * ```
 *
 * Batches are built lazily, one per {@link TimeseriesGenerator.getBatch} call: a generator over
 * ten million rows holds the data once and never all its windows.
 *
 * Porting note: `getBatch(i)` throws for `i` outside `0 .. length - 1` (Python returns an empty or
 * meaningless batch), and an `endIndex` past the last row is an error when the generator is
 * built (Python fails later, when a batch reaches it). Values are float32 tensors. `seed` makes `shuffle` reproducible; the random
 * rows match Keras in distribution (uniform over `startIndex + length .. endIndex`, with replacement,
 * full batches), not number for number.
 *
 * @example
 * ```ts
 * const data = [[0], [1], [2], [3], [4], [5], [6], [7], [8], [9]];
 * const gen = new TimeseriesGenerator(data, data.map(([v]) => v), { length: 3, batchSize: 2 });
 * gen.length; // 4  (7 windows in batches of 2)
 * const { xs, ys } = gen.getBatch(0);
 * xs.arraySync(); // [[[0], [1], [2]], [[1], [2], [3]]]
 * ys.arraySync(); // [3, 4]
 * ```
 */
export class TimeseriesGenerator implements Iterable<TimeseriesBatch> {
  /** Number of batches per epoch (Python's `len(generator)`). */
  readonly length: number;
  /** Window length in timesteps, before sampling (Keras' `length`). */
  readonly windowLength: number;
  /** Rows per window: `ceil(windowLength / samplingRate)`. */
  readonly steps: number;
  /** Resolved `samplingRate`. */
  readonly samplingRate: number;
  /** Resolved `stride`. */
  readonly stride: number;
  /** Resolved `startIndex` (as given, without the window length Keras adds internally). */
  readonly startIndex: number;
  /** Resolved `endIndex` (inclusive). */
  readonly endIndex: number;
  /** Resolved `shuffle`. */
  readonly shuffle: boolean;
  /** Resolved `reverse`. */
  readonly reverse: boolean;
  /** Resolved `batchSize`. */
  readonly batchSize: number;
  private readonly data: Table;
  private readonly targets: Table;
  private readonly firstTarget: number;
  private readonly rng: Rng;

  /**
   * @param data Consecutive data points, time on axis 0: nested arrays, a typed array, a tensor or a
   *   danfo DataFrame/Series. Must be finite and regular.
   * @param targets Targets for the timesteps of `data`, same length as `data`.
   * @param args Window and batch configuration (see {@link TimeseriesGeneratorArgs}).
   * @throws {InvalidArgumentError} For a non-positive `length`, `samplingRate`, `stride` or
   *   `batchSize`, a negative `startIndex`, an `endIndex` outside the data, or when
   *   `startIndex + length > endIndex` (no window would be left).
   * @throws {ShapeError} When `data` and `targets` differ in length, or rows are ragged.
   * @throws {DataError} When `data` is empty, or when `data` or `targets` hold NaN, Infinity or non-numbers (the message names the row).
   * @example
   * ```ts
   * const series = Array.from({ length: 40 }, (_, i) => [Math.sin(i / 4)]);
   * const gen = new TimeseriesGenerator(series, series, { length: 3, batchSize: 8 });
   * const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [3, 1] }), tf.layers.dense({ units: 1 })] });
   * model.compile({ optimizer: "adam", loss: "meanSquaredError" });
   * await model.fitDataset(gen.toDataset(), { epochs: 2, verbose: 0 });
   * ```
   */
  constructor(data: SeriesInput, targets: SeriesInput, args: TimeseriesGeneratorArgs) {
    if (typeof args !== "object" || args === null) {
      throw new InvalidArgumentError(
        `\`args\` must be an object with at least \`length\`, e.g. { length: 3 }. Received: args=${describeValue(args)}`,
      );
    }
    const { length, samplingRate = 1, stride = 1, startIndex = 0, shuffle = false, reverse = false, batchSize = 128 } = args;
    assertPositiveInteger(length, "length");
    assertPositiveInteger(samplingRate, "samplingRate");
    assertPositiveInteger(stride, "stride");
    assertPositiveInteger(batchSize, "batchSize");
    assertNonNegativeInteger(startIndex, "startIndex");
    this.data = toTable(data, "data");
    this.targets = toTable(targets, "targets");
    if (this.data.length !== this.targets.length) {
      throw new ShapeError(
        `\`data\` and \`targets\` must have the same length. Data length is ${this.data.length} while target length is ${this.targets.length}. ` +
          `Received: data.length=${this.data.length}, targets.length=${this.targets.length}`,
      );
    }
    const rows = this.data.length;
    if (rows === 0) {
      throw new DataError(
        `\`data\` and \`targets\` must not be empty: each window of \`length\` rows needs a following row as its target, ` +
          `so pass at least length + 1 = ${length + 1} rows. Received: empty data and targets, length=${length}`,
      );
    }
    const endIndex = args.endIndex ?? rows - 1;
    const endNote = args.endIndex === undefined ? " (the last row, by default)" : "";
    assertNonNegativeInteger(endIndex, "endIndex");
    if (endIndex > this.data.length - 1) {
      throw new InvalidArgumentError(
        `\`endIndex\` must be at most the last row index (${this.data.length - 1}). Received: endIndex=${endIndex}`,
      );
    }
    if (startIndex + length > endIndex) {
      throw new InvalidArgumentError(
        `\`startIndex + length\` must be at most \`endIndex\`: no row would be left to be used as the current step. ` +
          `Use a shorter \`length\` or more data (length must be smaller than the data length). ` +
          `Received: startIndex + length=${startIndex + length} > endIndex=${endIndex}${endNote} (data length ${rows})`,
      );
    }
    assertBoolean(shuffle, "shuffle");
    assertBoolean(reverse, "reverse");
    this.windowLength = length;
    this.samplingRate = samplingRate;
    this.stride = stride;
    this.startIndex = startIndex;
    this.endIndex = endIndex;
    this.shuffle = shuffle;
    this.reverse = reverse;
    this.batchSize = batchSize;
    this.steps = Math.ceil(length / samplingRate);
    this.firstTarget = startIndex + length;
    this.rng = makeRng(args.seed);
    const span = batchSize * stride;
    this.length = Math.floor((endIndex - this.firstTarget + span) / span);
  }

  /**
   * The target rows of batch `index` (rows `i` whose window is `i - length .. i - 1`).
   *
   * @param index Batch number, `0 .. length - 1`.
   * @returns Row indices into `targets`.
   * @throws {InvalidArgumentError} When `index` is out of range.
   * @example
   * ```ts
   * const data = [[0], [1], [2], [3], [4], [5]];
   * new TimeseriesGenerator(data, data, { length: 3, batchSize: 2 }).targetRows(0); // [3, 4]
   * ```
   */
  targetRows(index: number): number[] {
    this.checkIndex(index);
    if (this.shuffle) {
      const rows: number[] = new Array(this.batchSize);
      for (let b = 0; b < this.batchSize; b++) rows[b] = randomInt(this.rng, this.firstTarget, this.endIndex + 1);
      return rows;
    }
    const first = this.firstTarget + this.batchSize * this.stride * index;
    const stop = Math.min(first + this.batchSize * this.stride, this.endIndex + 1);
    const rows: number[] = [];
    for (let r = first; r < stop; r += this.stride) rows.push(r);
    return rows;
  }

  /**
   * Builds batch `index` (Python's `generator[index]`).
   *
   * @param index Batch number, `0 .. length - 1`.
   * @returns `{xs, ys}`: new tensors the caller owns (dispose them).
   * @throws {InvalidArgumentError} When `index` is not an integer in `0 .. length - 1`.
   * @example
   * ```ts
   * const data = [[0], [1], [2], [3], [4], [5], [6]];
   * const gen = new TimeseriesGenerator(data, data, { length: 3, batchSize: 3 });
   * const { xs, ys } = gen.getBatch(gen.length - 1); // the last, possibly smaller, batch
   * xs.shape; // [1, 3, 1]
   * tf.dispose([xs, ys]);
   * ```
   */
  getBatch(index: number): TimeseriesBatch {
    const rows = this.targetRows(index);
    const starts = rows.map((r) => r - this.windowLength);
    const xs = gatherWindows(this.data, starts, this.steps, this.samplingRate, this.reverse);
    const ys = gatherRows(this.targets, rows);
    return { xs, ys };
  }

  /**
   * Iterates over all batches in order (Python's `for x, y in generator`).
   *
   * @returns An iterator of batches; each batch's tensors belong to the caller.
   * @example
   * ```ts
   * const data = [[0], [1], [2], [3], [4], [5], [6]];
   * const gen = new TimeseriesGenerator(data, data, { length: 3, batchSize: 3 });
   * for (const { xs, ys } of gen) {
   *   console.log(xs.shape); // [3, 3, 1], then [1, 3, 1]
   *   tf.dispose([xs, ys]);
   * }
   * ```
   */
  *[Symbol.iterator](): Iterator<TimeseriesBatch> {
    for (let i = 0; i < this.length; i++) yield this.getBatch(i);
  }

  /**
   * A `tf.data.Dataset` of the batches, for `model.fitDataset` / `evaluateDataset`. Each pass over
   * the dataset (each epoch) builds the batches again, lazily.
   *
   * @returns A dataset of `{xs, ys}` batches.
   * @example
   * ```ts
   * const series = Array.from({ length: 40 }, (_, i) => [Math.sin(i / 4)]);
   * const gen = new TimeseriesGenerator(series, series, { length: 3, batchSize: 8 });
   * const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [3, 1] }), tf.layers.dense({ units: 1 })] });
   * model.compile({ optimizer: "adam", loss: "meanSquaredError" });
   * await model.fitDataset(gen.toDataset(), { epochs: 2, verbose: 0 });
   * ```
   */
  toDataset(): tf.data.Dataset<{ xs: tf.Tensor; ys: tf.Tensor }> {
    const self = this;
    return tf.data.generator(function* () {
      for (let i = 0; i < self.length; i++) {
        const { xs, ys } = self.getBatch(i);
        yield { xs, ys };
      }
    } as unknown as () => Iterator<{ xs: tf.Tensor; ys: tf.Tensor }>);
  }

  private checkIndex(index: number): void {
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new InvalidArgumentError(
        `\`index\` must be an integer from 0 to ${this.length - 1} (the generator has ${this.length} batches). ` +
          `Received: index=${describeValue(index)}`,
      );
    }
  }
}
