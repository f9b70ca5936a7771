/**
 * Gradients of gradients through the fused training kernels. A fused kernel's gradient is one
 * more kernel, which tfjs' tape cannot differentiate again; tfjs' own ops can be. When a
 * gradient is computed under an outer gradient tape (`tf.grad(x => tf.grad(f)(x))`, a gradient
 * penalty), tfjs records the ops of that inner backward pass for the outer one, and then the
 * fused kernels' wrappers compute their gradient with tfjs ops instead ({@link stockVjp}), so
 * the outer gradient is tfjs' own. Outside such a tape (every `fit`, every plain `tf.grad`)
 * nothing changes.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";

/**
 * Whether a gradient being computed now is itself recorded for an outer gradient (tfjs'
 * engine is inside a tape while it runs a backward pass).
 *
 * @returns True only inside the backward pass of a nested gradient.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-node";
 * underOuterTape(); // false
 * ```
 */
export function underOuterTape(): boolean {
  return (tf.engine().state as unknown as { gradientDepth: number }).gradientDepth > 0;
}

/**
 * The vector-Jacobian product of `f` at `inputs` with `dy`, computed with tfjs ops (so it can
 * be differentiated again): what a fused kernel's gradient computes, for the nested case.
 *
 * @param f The same function as the fused kernel's forward, in tfjs ops.
 * @param inputs The inputs to differentiate with respect to.
 * @param dy The gradient with respect to `f`'s output.
 * @returns One gradient per input.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-node";
 * stockVjp((x) => tf.square(x), [tf.tensor1d([3])], tf.tensor1d([1]))[0].dataSync(); // Float32Array [6]
 * ```
 */
export function stockVjp(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], dy: tf.Tensor): tf.Tensor[] {
  return tf.grads(f)(inputs, dy);
}
