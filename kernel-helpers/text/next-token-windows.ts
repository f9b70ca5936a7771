/**
 * `nextTokenWindows`: lazy (window → next token) batches over a long id sequence.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { assertPositiveInteger } from "../errors";
import { batchStarts, checkIdWindowsArgs, countWindows, shuffleSource } from "./_id-windows";

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
    this.numWindows = countWindows(ids.length, seqLength, step);
    this.numBatches = Math.ceil(this.numWindows / batchSize);
    this.rng = shuffleSource(seed);
  }

  /**
   * One pass over the windows, a batch at a time.
   *
   * @returns An iterator of {@link NextTokenBatch}.
   */
  *[Symbol.iterator](): Iterator<NextTokenBatch> {
    const { ids, seqLength } = this;
    for (const starts of batchStarts(this.numWindows, this.batchSize, this.step, this.shuffle, this.rng)) {
      const xs = starts.map((start) => Array.from(ids.subarray(start, start + seqLength)));
      const ys = starts.map((start) => ids[start + seqLength]!);
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
  const a = checkIdWindowsArgs(ids, options, () => 1, "window");
  return new NextTokenWindows(a.ids, a.seqLength, a.step, a.batchSize, a.shuffle, a.seed);
}
