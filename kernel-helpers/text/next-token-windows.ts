/**
 * `nextTokenWindows`: lazy (window → next token) batches over a long id sequence.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import seedrandom from "seedrandom";
import { DataError, InvalidArgumentError, assertBoolean, assertPositiveInteger, describeValue } from "../errors";
import { isArrayLikeOfNumbers } from "./_validate";

/**
 * Options of {@link nextTokenWindows}.
 *
 * @example
 * ```ts
 * const ids = Array.from({ length: 500 }, (_, i) => i % 7);
 * nextTokenWindows(ids, { seqLength: 100, step: 3, batchSize: 128, shuffle: true, seed: 1 });
 * ```
 */
export interface NextTokenWindowsOptions {
  /** Tokens per input window (required). */
  seqLength: number;
  /**
   * Distance between the starts of consecutive windows.
   * @default 1
   */
  step?: number;
  /**
   * Windows per batch (the last batch may be smaller).
   * @default 32
   */
  batchSize?: number;
  /**
   * Visit windows in a new random order on every pass.
   * @default false
   */
  shuffle?: boolean;
  /**
   * Seed of the shuffle, for reproducible orders; unset uses `Math.random`.
   * @default undefined
   */
  seed?: number | string;
}

/**
 * One batch: `xs[b]` is a window of `seqLength` ids, `ys[b]` the id that follows it.
 *
 * @example
 * ```ts
 * const windows = nextTokenWindows(Array.from({ length: 50 }, (_, i) => i % 5), { seqLength: 10, batchSize: 16 });
 * for (const { xs, ys } of windows) console.log(xs.length, ys.length);
 * ```
 */
export interface NextTokenBatch {
  /** `[batch, seqLength]` ids. */
  xs: number[][];
  /** `[batch]` next ids. */
  ys: number[];
}

/**
 * Options of {@link NextTokenWindows.toDataset}.
 *
 * @example
 * ```ts
 * const vocab = charVocabulary("to be or not to be");
 * const windows = nextTokenWindows(vocab.encode("to be or not to be"), { seqLength: 5 });
 * windows.toDataset({ depth: vocab.size });
 * ```
 */
export interface NextTokenDatasetOptions {
  /**
   * When set, `xs` become one-hot `[batch, seqLength, depth]` float32 and `ys` one-hot
   * `[batch, depth]` (Keras' example with `categoricalCrossentropy`); otherwise `xs` are
   * int32 ids `[batch, seqLength]` and `ys` float32 ids `[batch]` (for an `Embedding` and
   * `sparseCategoricalCrossentropy`).
   * @default undefined
   */
  depth?: number;
}

/**
 * The windows of a sequence, produced batch by batch on demand. Iterate it (each `for..of`
 * is one pass, reshuffled when `shuffle`), or turn it into a `tf.data.Dataset` for
 * `model.fitDataset`.
 *
 * @example
 * ```ts
 * const ids = Array.from({ length: 1000 }, (_, i) => i % 7);
 * const w = nextTokenWindows(ids, { seqLength: 40 });
 * w.numBatches; // batches per pass
 * ```
 */
export class NextTokenWindows implements Iterable<NextTokenBatch> {
  /** Number of windows: `floor((ids.length - seqLength - 1) / step) + 1`. */
  readonly numWindows: number;
  /** Number of batches per pass: `ceil(numWindows / batchSize)`. */
  readonly numBatches: number;
  private readonly rng: () => number;

  /** @internal Use {@link nextTokenWindows}. */
  constructor(
    private readonly ids: Int32Array,
    readonly seqLength: number,
    readonly step: number,
    readonly batchSize: number,
    readonly shuffle: boolean,
    seed: number | string | undefined,
  ) {
    this.numWindows = ids.length > seqLength ? Math.floor((ids.length - seqLength - 1) / step) + 1 : 0;
    this.numBatches = Math.ceil(this.numWindows / batchSize);
    this.rng = seed === undefined ? Math.random : seedrandom(String(seed));
  }

  /** Window order for one pass. */
  private _order(): Int32Array | null {
    if (!this.shuffle) return null;
    const order = new Int32Array(this.numWindows);
    for (let i = 0; i < order.length; i++) order[i] = i;
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(this.rng() * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /**
   * One pass over the windows, a batch at a time.
   *
   * @returns An iterator of {@link NextTokenBatch}.
   */
  *[Symbol.iterator](): Iterator<NextTokenBatch> {
    const order = this._order();
    const { ids, seqLength, step } = this;
    for (let b = 0; b < this.numWindows; b += this.batchSize) {
      const end = Math.min(b + this.batchSize, this.numWindows);
      const xs: number[][] = [];
      const ys: number[] = [];
      for (let k = b; k < end; k++) {
        const start = (order ? order[k] : k) * step;
        xs.push(Array.from(ids.subarray(start, start + seqLength)));
        ys.push(ids[start + seqLength]);
      }
      yield { xs, ys };
    }
  }

  /**
   * The batches as a `tf.data.Dataset` of `{xs, ys}` tensors, still produced lazily; each
   * pass of `fitDataset` is one epoch.
   *
   * @param options `depth` for one-hot tensors.
   * @returns A dataset for `model.fitDataset(ds, {epochs})`.
   * @throws {InvalidArgumentError} When `depth` is not a positive integer.
   * @example
   * ```ts
   * const windows = nextTokenWindows(Array.from({ length: 200 }, (_, i) => i % 5), { seqLength: 10, batchSize: 32 });
   * const model = tf.sequential({ layers: [
   *   tf.layers.embedding({ inputDim: 5, outputDim: 4, inputLength: 10 }),
   *   tf.layers.flatten(),
   *   tf.layers.dense({ units: 5, activation: "softmax" }),
   * ] });
   * model.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy" });
   * await model.fitDataset(windows.toDataset(), { epochs: 1, verbose: 0 });
   * ```
   */
  toDataset(options: NextTokenDatasetOptions = {}): tf.data.Dataset<tf.TensorContainer> {
    const depth = options.depth;
    if (depth !== undefined) assertPositiveInteger(depth, "depth");
    return tf.data.generator(() => {
      const it = this[Symbol.iterator]();
      return {
        next: (): IteratorResult<tf.TensorContainer> => {
          const r = it.next();
          if (r.done) return { done: true, value: undefined };
          const { xs, ys } = r.value;
          const value = tf.tidy(() => {
            const x = tf.tensor2d(xs, [xs.length, this.seqLength], "int32");
            const y = tf.tensor1d(ys, "int32");
            if (depth === undefined) return { xs: x, ys: y.toFloat() };
            return { xs: tf.oneHot(x, depth).toFloat(), ys: tf.oneHot(y, depth).toFloat() };
          });
          return { done: false, value };
        },
      };
    });
  }
}

/**
 * Cuts a long id sequence (a book as characters) into training pairs, as Keras'
 * character-level example does: windows start at `0, step, 2·step, …` while a next token
 * exists, `x = ids[i : i + seqLength]`, `y = ids[i + seqLength]`.
 *
 * ```
 * ids   a b c d e f g     seqLength 3, step 2
 * x[0]  a b c → y d
 * x[1]      c d e → y f
 * ```
 *
 * Batches are built only when asked for; the ids are copied once into an `Int32Array`, so a
 * book of a million characters costs a few MB however many windows it has.
 *
 * @param ids Token ids (non-negative integers), e.g. `charVocabulary(text).encode(text)`.
 * @param options `seqLength` (required), `step`, `batchSize`, `shuffle`, `seed`.
 * @returns A lazy, re-iterable {@link NextTokenWindows}.
 * @throws {InvalidArgumentError} When an option is not a positive integer.
 * @throws {DataError} When an id is negative, fractional or NaN, or `ids` is not longer than `seqLength`.
 * @example
 * ```ts
 * const w = nextTokenWindows([0, 1, 2, 3, 4], { seqLength: 3, batchSize: 8 });
 * [...w]; // [{ xs: [[0, 1, 2], [1, 2, 3]], ys: [3, 4] }]
 * ```
 */
export function nextTokenWindows(ids: ArrayLike<number>, options: NextTokenWindowsOptions): NextTokenWindows {
  if (!isArrayLikeOfNumbers(ids)) {
    throw new InvalidArgumentError("`ids` must be an array (or Int32Array) of token ids. Received: ids=" + describeValue(ids));
  }
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError("`options` must be an object with at least `seqLength`. Received: options=" + describeValue(options));
  }
  const { seqLength } = options;
  const step = options.step ?? 1;
  const batchSize = options.batchSize ?? 32;
  const shuffle = options.shuffle ?? false;
  assertPositiveInteger(seqLength, "seqLength");
  assertPositiveInteger(step, "step");
  assertPositiveInteger(batchSize, "batchSize");
  assertBoolean(shuffle, "shuffle");
  if (options.seed !== undefined && typeof options.seed !== "number" && typeof options.seed !== "string") {
    throw new InvalidArgumentError("`seed` must be a number or a string. Received: seed=" + describeValue(options.seed));
  }
  const copy = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i];
    if (!Number.isInteger(v) || v < 0 || v > 2147483647) {
      throw new DataError(`\`ids[${i}]\` must be a non-negative integer token id. Received: ids[${i}]=${describeValue(v)}`);
    }
    copy[i] = v;
  }
  if (copy.length <= seqLength) {
    throw new DataError(
      `\`ids\` must be longer than \`seqLength\` (${seqLength}) to give at least one window and its next token. ` +
        `Received: ids.length=${copy.length}`,
    );
  }
  return new NextTokenWindows(copy, seqLength, step, batchSize, shuffle, options.seed);
}
