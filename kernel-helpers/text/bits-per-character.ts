/**
 * `bitsPerCharacter`: the cross-entropy of a character model in bits, as a Keras-style metric.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";

/**
 * Sparse categorical cross-entropy in **bits** (log base 2) per predicted token: the loss
 * `sparseCategoricalCrossentropy` reports in nats, divided by ln 2. This is the unit char-rnn
 * papers and compression benchmarks quote ("bits per character", bpc); a model that guesses
 * uniformly among `V` characters scores `log2(V)`.
 *
 * Use it as a metric: `model.compile({..., metrics: [bitsPerCharacter]})` adds
 * `bitsPerCharacter` (and `val_bitsPerCharacter` when `fit` validates) to the logs and the
 * history. Targets are integer ids (`[batch]` or `[batch, steps]`), predictions probabilities
 * over the vocabulary (`[batch, vocab]` or `[batch, steps, vocab]`), clipped to
 * `[1e-7, 1 - 1e-7]` as Keras' cross-entropy does.
 *
 * @param yTrue Target ids, float or int, with or without a trailing axis of 1.
 * @param yPred Probabilities, last axis the vocabulary.
 * @returns Bits per target, one value per target (the metric's mean is taken by `fit`).
 * @example
 * ```ts
 * const bits = bitsPerCharacter(tf.tensor1d([0, 1]), tf.tensor2d([[0.5, 0.5], [0.75, 0.25]]));
 * bits.arraySync(); // [1, 2]
 * ```
 */
export function bitsPerCharacter(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const depth = yPred.shape[yPred.rank - 1]!;
    const outer = yPred.shape.slice(0, -1);
    const target = tf.oneHot(tf.cast(tf.reshape(yTrue, [-1]), "int32"), depth).reshape(yPred.shape);
    const p = tf.sum(tf.mul(target, tf.clipByValue(yPred, 1e-7, 1 - 1e-7)), -1).reshape(outer);
    return tf.div(tf.neg(tf.log(p)), Math.LN2);
  });
}
