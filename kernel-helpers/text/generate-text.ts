/**
 * `generateText`: sample text from a trained character (or token) language model.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { InvalidArgumentError, ShapeError, assertNonNegativeInteger, describeValue } from "../errors";
import { sampleWithTemperature, type SamplingRng } from "./sample-with-temperature";

/**
 * What {@link generateText} needs from a vocabulary (a {@link CharVocabulary} fits).
 *
 * @example
 * ```ts
 * const codec: TextCodec = charVocabulary("abc");
 * codec.decode(codec.encode("cab")); // "cab"
 * ```
 */
export interface TextCodec {
  /** Number of tokens (the model's output width). */
  readonly size: number;
  /** Text → ids. */
  encode(text: string): ArrayLike<number>;
  /** Ids → text. */
  decode(ids: ArrayLike<number>): string;
}

/**
 * Options of {@link generateText}.
 *
 * @example
 * ```ts
 * const options: GenerateTextOptions = { seed: "Call me Ishmael.", length: 200, temperature: 0.7 };
 * ```
 */
export interface GenerateTextOptions {
  /** The prompt; at least as many tokens as the model's input length (required). */
  seed: string;
  /** Number of tokens to generate (required). */
  length: number;
  /**
   * Sampling temperature (see {@link sampleWithTemperature}); 0 is greedy.
   * @default 1
   */
  temperature?: number;
  /**
   * Uniform random source, e.g. `seedrandom("7")`.
   * @default Math.random
   */
  rng?: SamplingRng;
}

/**
 * Generates text one token at a time, as Keras' character-level LSTM example: feed the last
 * `seqLength` tokens, read the probabilities of the next token (the model's last softmax
 * step), sample it with a temperature, append, repeat.
 *
 * The model's input is `[batch, seqLength]` ids (an `Embedding` first) or
 * `[batch, seqLength, vocab.size]` one-hot; its output `[batch, vocab.size]` or
 * `[batch, steps, vocab.size]`. With an unknown input length the window is the seed's length.
 * Every tensor is disposed.
 *
 * @param model A trained `tf.LayersModel` ending in a softmax.
 * @param vocab The vocabulary the model was trained with (e.g. `charVocabulary(text)`).
 * @param options `seed`, `length`, `temperature`, `rng`.
 * @returns The seed followed by `length` generated tokens.
 * @throws {InvalidArgumentError} When `seed` is too short or `length`/`temperature` is invalid.
 * @throws {ShapeError} When the model's input or output does not match the vocabulary.
 * @throws {DataError} When the seed holds tokens outside the vocabulary.
 * @example
 * ```ts
 * const text = "call me ishmael. some years ago, never mind how long precisely";
 * const vocab = charVocabulary(text);
 * const model = tf.sequential({ layers: [ // untrained here; train it on windows of the text first
 *   tf.layers.embedding({ inputDim: vocab.size, outputDim: 8, inputLength: 10 }),
 *   tf.layers.flatten(),
 *   tf.layers.dense({ units: vocab.size, activation: "softmax" }),
 * ] });
 * generateText(model, vocab, { seed: text.slice(0, 10), length: 20, temperature: 0.5 }).startsWith("call me is"); // true
 * ```
 */
export function generateText(model: tf.LayersModel, vocab: TextCodec, options: GenerateTextOptions): string {
  if (!(model instanceof tf.LayersModel)) {
    throw new InvalidArgumentError("`model` must be a tf.LayersModel (tf.sequential() or tf.model()). Received: model=" + describeValue(model));
  }
  if (typeof vocab !== "object" || vocab === null || typeof vocab.encode !== "function" || typeof vocab.decode !== "function") {
    throw new InvalidArgumentError("`vocab` must be a vocabulary with encode/decode, e.g. charVocabulary(text). Received: vocab=" + describeValue(vocab));
  }
  const { seed, length } = options;
  const temperature = options.temperature ?? 1;
  const rng = options.rng ?? Math.random;
  if (typeof seed !== "string" || seed.length === 0) {
    throw new InvalidArgumentError("`seed` must be a non-empty string (the prompt). Received: seed=" + describeValue(seed));
  }
  assertNonNegativeInteger(length, "length");
  const inShape = model.inputs[0].shape;
  const oneHot = inShape.length === 3;
  if (inShape.length !== 2 && !oneHot) {
    throw new ShapeError(`\`model\` must take [batch, seqLength] ids or [batch, seqLength, ${vocab.size}] one-hot. Received: input shape [${inShape.join(", ")}]`);
  }
  if (oneHot && inShape[2] !== vocab.size) {
    throw new ShapeError(`\`model\` one-hot input depth must equal vocab.size (${vocab.size}). Received: input shape [${inShape.join(", ")}]`);
  }
  const ids = Array.from(vocab.encode(seed));
  const window = inShape[1] ?? ids.length;
  if (ids.length < window) {
    throw new InvalidArgumentError(
      `\`seed\` must have at least ${window} tokens (the model's input length). Received: ${ids.length} tokens`,
    );
  }
  const generated: number[] = [];
  for (let step = 0; step < length; step++) {
    const context = ids.slice(ids.length - window);
    const probs = tf.tidy(() => {
      const x = tf.tensor2d([context], [1, window], "int32");
      const input = oneHot ? tf.oneHot(x, vocab.size).toFloat() : x;
      let y = model.predict(input) as tf.Tensor;
      if (Array.isArray(y)) y = y[0];
      if (y.rank === 3) y = y.slice([0, y.shape[1]! - 1, 0], [1, 1, -1]);
      if (y.shape[y.rank - 1] !== vocab.size) {
        throw new ShapeError(`\`model\` output width must equal vocab.size (${vocab.size}). Received: output shape [${y.shape.join(", ")}]`);
      }
      return y.reshape([-1]);
    });
    let next: number;
    try {
      next = sampleWithTemperature(probs.dataSync(), temperature, rng);
    } finally {
      probs.dispose();
    }
    ids.push(next);
    generated.push(next);
  }
  return seed + vocab.decode(generated);
}
