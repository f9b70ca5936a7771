/**
 * `sequenceWindows`: lazy (sequence → the same sequence shifted by one) batches over a long id
 * sequence, for language models that predict every next token of a window (char-rnn style).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { batchStarts, checkIdWindowsArgs, countWindows, shuffleSource } from "./_id-windows";

/**
 * Options of {@link sequenceWindows}.
 *
 * @example
 * ```ts
 * const options: SequenceWindowsOptions = { seqLength: 100, batchSize: 64, shuffle: true, seed: 42 };
 * ```
 */
export interface SequenceWindowsOptions {
  /** Tokens per input sequence (required). */
  seqLength: number;
  /**
   * Distance between the starts of consecutive windows; `seqLength` cuts the text into
   * consecutive, non-overlapping sequences (char-rnn, TensorFlow's text-generation tutorial).
   * @default seqLength
   */
  step?: number;
  /**
   * Sequences per batch (the last batch may be smaller).
   * @default 32
   */
  batchSize?: number;
  /**
   * Visit the sequences in a new random order on every pass.
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
 * One batch: `xs[b]` is a sequence of `seqLength` ids and `ys[b]` the same sequence one token
 * later, so `ys[b][t]` is the token after `xs[b][t]`.
 *
 * @example
 * ```ts
 * const [batch] = sequenceWindows([0, 1, 2, 3, 4, 5, 6], { seqLength: 3 });
 * batch.xs; // [[0, 1, 2], [3, 4, 5]]
 * batch.ys; // [[1, 2, 3], [4, 5, 6]]
 * ```
 */
export interface SequenceBatch {
  /** `[batch, seqLength]` input ids. */
  xs: number[][];
  /** `[batch, seqLength]` target ids: each input id's next id. */
  ys: number[][];
}

/**
 * The sequences of a long id sequence, produced batch by batch on demand. Iterate it (each
 * `for..of` is one pass, reshuffled when `shuffle`), or turn it into a `tf.data.Dataset` for
 * `model.fitDataset`.
 *
 * @example
 * ```ts
 * const windows = sequenceWindows(Array.from({ length: 1000 }, (_, i) => i % 7), { seqLength: 50, batchSize: 8 });
 * windows.numWindows; // 19
 * windows.numBatches; // 3
 * ```
 */
export class SequenceWindows implements Iterable<SequenceBatch> {
  /** Number of sequences: `floor((ids.length - seqLength - 1) / step) + 1`. */
  readonly numWindows: number;
  /** Number of batches per pass: `ceil(numWindows / batchSize)`. */
  readonly numBatches: number;
  /** Number of predicted tokens per pass: `numWindows · seqLength`. */
  readonly numTargets: number;
  private readonly rng: () => number;

  /** @internal Use {@link sequenceWindows}. */
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
    this.numTargets = this.numWindows * seqLength;
    this.rng = shuffleSource(seed);
  }

  /**
   * One pass over the sequences, a batch at a time.
   *
   * @returns An iterator of {@link SequenceBatch}.
   */
  *[Symbol.iterator](): Iterator<SequenceBatch> {
    const { ids, seqLength } = this;
    for (const starts of batchStarts(this.numWindows, this.batchSize, this.step, this.shuffle, this.rng)) {
      const xs = starts.map((start) => Array.from(ids.subarray(start, start + seqLength)));
      const ys = starts.map((start) => Array.from(ids.subarray(start + 1, start + seqLength + 1)));
      yield { xs, ys };
    }
  }

  /**
   * The batches as a `tf.data.Dataset` of `{xs, ys}` tensors, still produced lazily: `xs` int32
   * ids `[batch, seqLength]`, `ys` float32 ids `[batch, seqLength]` (for an `Embedding` and
   * `sparseCategoricalCrossentropy` on a `[batch, seqLength, vocabSize]` softmax). Each pass of
   * `fitDataset` is one epoch; as `validationData` it is read once per epoch.
   *
   * @returns A dataset for `model.fitDataset(ds, {epochs})`.
   * @example
   * ```ts
   * const windows = sequenceWindows(Array.from({ length: 200 }, (_, i) => i % 5), { seqLength: 10, batchSize: 4 });
   * const model = buildCharLanguageModel({ cell: "gru", vocabSize: 5, units: 8, seqLength: 10, returnSequences: true });
   * await model.fitDataset(windows.toDataset(), { epochs: 1, verbose: 0 });
   * model.dispose();
   * ```
   */
  toDataset(): tf.data.Dataset<tf.TensorContainer> {
    return tf.data.generator(() => {
      const it = this[Symbol.iterator]();
      return {
        next: (): IteratorResult<tf.TensorContainer> => {
          const r = it.next();
          if (r.done) return { done: true, value: undefined };
          const { xs, ys } = r.value;
          const shape: [number, number] = [xs.length, this.seqLength];
          return { done: false, value: { xs: tf.tensor2d(xs, shape, "int32"), ys: tf.tensor2d(ys, shape, "float32") } };
        },
      };
    });
  }
}

/**
 * Cuts a long id sequence (a book as characters) into training sequences for a model that
 * predicts every next token, as Karpathy's char-rnn and TensorFlow's text-generation tutorial
 * do: sequences start at `0, step, 2·step, …` while a next token exists,
 * `x = ids[i : i + seqLength]`, `y = ids[i + 1 : i + seqLength + 1]`.
 *
 * ```
 * ids   a b c d e f g     seqLength 3 (step 3)
 * x[0]  a b c  →  y[0]  b c d
 * x[1]  d e f  →  y[1]  e f g
 * ```
 *
 * Compared with {@link nextTokenWindows} (one target per window), each window gives
 * `seqLength` training signals, so one pass over the text with `step = seqLength` trains on
 * every character once. Batches are built only when asked for.
 *
 * @param ids Token ids (non-negative integers), e.g. `charVocabulary(text).encode(text)`.
 * @param options `seqLength` (required), `step`, `batchSize`, `shuffle`, `seed`.
 * @returns A lazy, re-iterable {@link SequenceWindows}.
 * @throws {InvalidArgumentError} When an option is not a positive integer (or `shuffle` not a boolean).
 * @throws {DataError} When an id is negative, fractional or NaN, or `ids` is not longer than `seqLength`.
 * @example
 * ```ts
 * const vocab = charVocabulary("to be or not to be");
 * const windows = sequenceWindows(vocab.encode("to be or not to be"), { seqLength: 5 });
 * const [{ xs, ys }] = windows;
 * vocab.decode(xs[0]!); // "to be"
 * vocab.decode(ys[0]!); // "o be "
 * ```
 */
export function sequenceWindows(ids: ArrayLike<number>, options: SequenceWindowsOptions): SequenceWindows {
  const a = checkIdWindowsArgs(ids, options, (seqLength) => seqLength, "sequence");
  return new SequenceWindows(a.ids, a.seqLength, a.step, a.batchSize, a.shuffle, a.seed);
}
