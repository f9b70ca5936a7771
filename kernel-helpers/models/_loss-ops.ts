/**
 * The kernels of `native/loss_ops.cc` as tfjs functions: tfjs-layers' sparse categorical
 * cross-entropy as one op forward and one backward, and tfjs' softmax gradient as one op.
 * `_sparse-ce-patch.ts` puts the loss behind models compiled with
 * `loss: "sparseCategoricalCrossentropy"`, `_softmax-grad-patch.ts` the gradient behind
 * `tf.softmax`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { kernelProbe, runOp } from "./_native";
import { stockVjp, underOuterTape } from "./_nested-gradients";

/**
 * Whether the loss kernels can run here: the fused op library is loaded and has them (a
 * library built before they existed lacks them until `seqlab setup` rebuilds it). Checked
 * once per process by running the op and its gradient on a tiny input; `SEQLAB_FUSED=0` is
 * read at every call.
 *
 * @returns True when {@link sparseCategoricalCrossentropy} and {@link softmaxGrad} can run.
 * @example
 * ```ts
 * lossOpsAvailable(); // true
 * ```
 */
export const lossOpsAvailable: () => boolean = kernelProbe(() => {
  const one = tf.ones([1]);
  const clip = tf.tensor1d([1e-7, 1 - 1e-7]);
  const attrs = [{ name: "k", value: 1 }];
  runOp("SeqlabSparseCategoricalCrossentropy", attrs, [one, one, clip], 1);
  runOp("SeqlabSparseCategoricalCrossentropyGrad", attrs, [one, one, clip, one], 1);
  runOp("SeqlabSoftmaxGrad", attrs, [one, one], 1);
});

/**
 * tfjs-layers' `sparseCategoricalCrossentropy(yTrue, yPred)` (labels floored to class ids and
 * one-hot encoded, `yPred` clipped to `[ε, 1-ε]`, divided by its sum over the last axis,
 * clipped again, log, summed against the one-hot row, negated) as one kernel forward and one
 * backward, element by element in the order of tfjs' ops; `ε` is the backend's epsilon, as
 * tfjs-layers uses. A label whose floor is outside `[0, classes)` gives tfjs' zero one-hot
 * row: loss 0, no gradient.
 *
 * @param yTrue Class ids, float32 or int32, `yPred.size / classes` of them in any shape (read
 *   flat, as tfjs flattens them): `[batch, steps]` or `[batch, steps, 1]` against
 *   `[batch, steps, classes]`, `[batch]` or `[batch, 1]` against `[batch, classes]`.
 * @param yPred Predicted probabilities, float32, rank 1 or more, last axis the classes.
 * @param stock tfjs-layers' own function for this loss, used for the gradient only when that
 *   gradient is itself differentiated (see `_nested-gradients.ts`).
 * @returns The loss per sample (and step): `yPred`'s shape without its last axis.
 * @throws Error from the kernel when the sizes do not match.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-node";
 * sparseCategoricalCrossentropy(tf.tensor1d([1]), tf.tensor2d([[0.5, 0.5]])); // [0.6931472]
 * sparseCategoricalCrossentropy(tf.tensor2d([[0, 2]], [1, 2], "int32"), tf.tensor3d([[[0.2, 0.8], [0.5, 0.5]]])); // [[1.6094379, 0]]
 * ```
 */
export function sparseCategoricalCrossentropy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  stock?: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  return tf.tidy(() => {
    const labels = yTrue.dtype === "float32" ? yTrue : tf.cast(yTrue, "float32");
    return clippedLossOp("SeqlabSparseCategoricalCrossentropy", labels, yPred, stock);
  });
}

/**
 * A loss on probabilities clipped to `[ε, 1-ε]` (`ε` the backend's epsilon, as tfjs-layers
 * uses) run by a fused kernel pair: `op(labels, predictions, [ε, 1-ε])` with attribute `k` (the
 * predictions' last axis) gives one value per row, and `opGrad(labels, predictions, [ε, 1-ε],
 * dy)` the gradient with respect to the predictions. Under an outer gradient tape the gradient
 * is `stock`'s, in tfjs ops (see `_nested-gradients.ts`).
 *
 * @param op The forward kernel's name; the gradient kernel is `${op}Grad`.
 * @param labels float32 labels, as the kernel takes them.
 * @param yPred Predicted probabilities, float32, rank 1 or more.
 * @param stock tfjs-layers' own function for this loss, for gradients of gradients.
 * @returns The loss per row: `yPred`'s shape without its last axis.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-node";
 * clippedLossOp("SeqlabBinaryCrossentropy", tf.tensor2d([[1]]), tf.tensor2d([[0.5]])).shape; // [1]
 * ```
 */
export function clippedLossOp(
  op: string,
  labels: tf.Tensor,
  yPred: tf.Tensor,
  stock?: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  const outShape = yPred.shape.slice(0, -1);
  const attrs = [{ name: "k", value: yPred.shape[yPred.rank - 1] }];
  const loss = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [pred, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const epsilon = tf.backend().epsilon();
    const clip = tf.tensor1d([epsilon, 1 - epsilon], "float32");
    save([labels, pred, clip]);
    const flat = runOp(op, attrs, [labels, pred, clip], 1)[0];
    const value = tf.reshape(flat, outShape);
    flat.dispose();
    clip.dispose();
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [t, p, c] = saved;
        if (stock && underOuterTape()) return stockVjp((q) => stock(t, q), [p], dy)[0];
        return runOp(`${op}Grad`, attrs, [t, p, c, dy], 1)[0];
      },
    };
  });
  return loss(yPred);
}

/**
 * tfjs' gradient of `softmax` over the last axis, `dy·y − y·sum(dy·y, -1)`, as one kernel
 * (tfjs runs four ops and their reshapes), each step rounded to float32 as tfjs' ops round it
 * and the row sum in TensorFlow's order, so the result is tfjs' bit for bit.
 *
 * @param dy The gradient with respect to the softmax's output, float32.
 * @param y The softmax's output, float32, the shape of `dy`, rank 1 or more.
 * @returns The gradient with respect to the logits, `y`'s shape.
 * @throws Error from the kernel when the sizes do not match.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-node";
 * softmaxGrad(tf.tensor2d([[1, 0]]), tf.tensor2d([[0.25, 0.75]])); // [[0.1875, -0.1875]]
 * ```
 */
export function softmaxGrad(dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return runOp("SeqlabSoftmaxGrad", [{ name: "k", value: y.shape[y.rank - 1] }], [dy, y], 1)[0];
}
