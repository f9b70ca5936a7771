/**
 * `sampleEveryEpoch`: a training callback that reports a character model's losses in nats
 * and bits per character and prints a short generated sample after every epoch.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { InvalidArgumentError, assertPositiveInteger, describeValue } from "../errors";
import { generateText, type TextCodec } from "./generate-text";
import type { SamplingRng } from "./sample-with-temperature";
import { readLogs, type RawLogs } from "../train/_logs";

/**
 * Options of {@link sampleEveryEpoch}.
 *
 * @example
 * ```ts
 * const options: SampleEveryEpochOptions = { seed: "call me ishmael. ", length: 80, temperature: 0.5 };
 * ```
 */
export interface SampleEveryEpochOptions {
  /** The prompt each sample starts from: at least the model's input length in characters (required). */
  seed: string;
  /** Characters generated per sample. @default 100 */
  length?: number;
  /** Sampling temperature. @default 0.5 */
  temperature?: number;
  /** Uniform random source for sampling. @default Math.random (repeatable after `seed(n)`) */
  rng?: SamplingRng;
  /** Where each epoch's line goes. @default console.log (the cell's output in a notebook) */
  print?: (line: string) => void;
}

/**
 * What {@link SampleEveryEpochCallback} recorded for one epoch.
 *
 * @example
 * ```ts
 * const record: EpochSample = { epoch: 1, loss: 2.1, valLoss: 1.9, sample: "the whale" };
 * ```
 */
export interface EpochSample {
  /** The epoch, from 1. */
  epoch: number;
  /** Training loss of the epoch, nats per character. */
  loss: number;
  /** Validation loss after the epoch, nats per character (`undefined` when `fit` does not validate). */
  valLoss: number | undefined;
  /** The generated text, without the seed. */
  sample: string;
}

/** Nats → bits. */
const toBits = (nats: number): number => nats / Math.LN2;

/**
 * The callback {@link sampleEveryEpoch} returns; its `records` keep every epoch's losses and sample.
 *
 * @example
 * ```ts
 * const cb = new SampleEveryEpochCallback(charVocabulary("ab"), { seed: "abab", length: 10 });
 * cb.records; // []
 * ```
 */
export class SampleEveryEpochCallback extends tf.Callback {
  /** One entry per completed epoch. */
  readonly records: EpochSample[] = [];
  private readonly length: number;
  private readonly temperature: number;

  /**
   * @param vocab The vocabulary the model is trained with.
   * @param options See {@link SampleEveryEpochOptions}.
   * @throws {InvalidArgumentError} On a bad option.
   */
  constructor(
    private readonly vocab: TextCodec,
    private readonly options: SampleEveryEpochOptions,
  ) {
    super();
    if (typeof vocab !== "object" || vocab === null || typeof vocab.encode !== "function" || typeof vocab.decode !== "function") {
      throw new InvalidArgumentError("`vocab` must be a vocabulary with encode/decode, e.g. charVocabulary(text). Received: vocab=" + describeValue(vocab));
    }
    if (typeof options !== "object" || options === null || typeof options.seed !== "string" || options.seed.length === 0) {
      throw new InvalidArgumentError("`options.seed` must be a non-empty string (the prompt of each sample). Received: options=" + describeValue(options));
    }
    this.length = options.length ?? 100;
    assertPositiveInteger(this.length, "length");
    this.temperature = options.temperature ?? 0.5;
    if (typeof this.temperature !== "number" || !(this.temperature >= 0) || !Number.isFinite(this.temperature)) {
      throw new InvalidArgumentError(`\`temperature\` must be a finite number >= 0. Received: temperature=${describeValue(this.temperature)}`);
    }
  }

  /** Generates and prints after each epoch. @internal Called by `fit`. */
  override async onEpochEnd(epoch: number, logs?: tf.Logs): Promise<void> {
    const values = readLogs(logs as RawLogs); // a tf.Callback subclass may receive scalars, not numbers
    const loss = values.loss ?? Number.NaN;
    const valLoss = values.val_loss;
    const text = generateText(this.model as unknown as tf.LayersModel, this.vocab, {
      seed: this.options.seed,
      length: this.length,
      temperature: this.temperature,
      rng: this.options.rng,
    });
    const sample = text.slice(this.options.seed.length);
    this.records.push({ epoch: epoch + 1, loss, valLoss, sample });
    const val = valLoss === undefined ? "" : `, validation ${valLoss.toFixed(4)} nats/char = ${toBits(valLoss).toFixed(3)} bits/char`;
    const line = `epoch ${epoch + 1}: training ${loss.toFixed(4)} nats/char${val}; sample at T=${this.temperature}: ${JSON.stringify(sample)}`;
    (this.options.print ?? console.log)(line);
  }
}

/**
 * A callback for `model.fit`/`fitDataset` that shows how a language model improves while it
 * trains, as Keras' character-level example and char-rnn do: after every epoch it prints one
 * line with the training and validation loss in nats per character and in bits per character
 * (nats / ln 2), and a short sample generated from `seed` at `temperature` with
 * {@link generateText}:
 *
 * ```
 * epoch 3: training 1.6012 nats/char, validation 1.6533 nats/char = 2.385 bits/char; sample at T=0.5: "the whale ..."
 * ```
 *
 * It only reads the logs and calls `model.predict`, so it changes no weight. Sampling draws
 * from `rng` (default `Math.random`, which `seed(n)` makes repeatable, so a seeded run still
 * repeats; pass your own `rng` to keep the samples from shifting later random draws). Tensors
 * are disposed.
 *
 * @param vocab The vocabulary the model is trained with (e.g. `charVocabulary(text)`).
 * @param options `seed` (required), `length`, `temperature`, `rng`, `print`.
 * @returns The callback; its `records` hold each epoch's losses and sample.
 * @throws {InvalidArgumentError} When `seed` is empty or `length`/`temperature` is invalid.
 * @example
 * ```ts
 * const text = "the whale, the whale, the white whale. ".repeat(20);
 * const vocab = charVocabulary(text);
 * const ids = vocab.encode(text);
 * const model = buildCharLanguageModel({ cell: "gru", vocabSize: vocab.size, units: 16, seqLength: 20, returnSequences: true });
 * const samples = sampleEveryEpoch(vocab, { seed: text.slice(0, 20), length: 30 });
 * await model.fitDataset(sequenceWindows(ids, { seqLength: 20 }).toDataset(), { epochs: 2, verbose: 0, callbacks: [samples] });
 * samples.records.length; // 2
 * model.dispose();
 * ```
 */
export function sampleEveryEpoch(vocab: TextCodec, options: SampleEveryEpochOptions): SampleEveryEpochCallback {
  return new SampleEveryEpochCallback(vocab, options);
}
