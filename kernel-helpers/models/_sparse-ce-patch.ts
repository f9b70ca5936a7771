/**
 * `tfjs sparseCategoricalCrossentropy loss`: a model compiled with
 * `loss: "sparseCategoricalCrossentropy"` (the character models and every per-step-output
 * model of the course) computes its loss with one kernel forward and one backward
 * (`native/loss_ops.cc`, wrapped in `_loss-ops.ts`) instead of tfjs-layers' chain of about
 * forty small ops (floor, cast, oneHot, reshape, two clips, sum, div, log, mul, sum, neg and
 * their gradients). The kernels follow tfjs' ops element by element, so the loss agrees with
 * tfjs' to float32 rounding and the gradient is tfjs' bit for bit.
 *
 * The patch wraps `tf.LayersModel.prototype.compile`: after tfjs' own compile (which has
 * chosen the metrics, e.g. `accuracy` as sparse categorical accuracy, by the loss) it
 * replaces the loss functions of the outputs whose loss is `"sparseCategoricalCrossentropy"`.
 * The model's `loss` (what `getConfig` and saving record) is unchanged. Each call falls back to
 * tfjs' own function when the kernels are unavailable (`fusedOpsStatus()`, `SEQLAB_FUSED=0`,
 * another backend, a library built before them), the predictions are not float32, or the
 * shapes are not ones tfjs accepts (tfjs' own error then). Integer labels, which tfjs' function
 * rejects ("Argument 'x' passed to 'floor' must be float32"), are taken as Keras takes them on
 * both paths for the model's loss; a model with several outputs also reports each output's loss
 * as a metric, computed by tfjs-layers' own function, where integer labels still fail.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { definePatch, type GlobalPatch } from "../contract/global-patches";
import { compileLossHook, type LossFn } from "./_compile-loss-hook";
import { lossOpsAvailable, sparseCategoricalCrossentropy } from "./_loss-ops";


const SPARSE_CE = "sparseCategoricalCrossentropy";

// Whether the kernel takes these tensors: float32 predictions with a last axis, and one label
// per row (tfjs flattens the labels and reshapes their one-hot rows to the predictions' shape).
function fusable(yTrue: tf.Tensor, yPred: tf.Tensor): boolean {
  if (yPred.dtype !== "float32" || yPred.rank < 1 || (yTrue.dtype !== "float32" && yTrue.dtype !== "int32")) return false;
  const classes = yPred.shape[yPred.rank - 1];
  if (classes < 1 || yPred.size === 0 || yTrue.size * classes !== yPred.size) return false;
  return lossOpsAvailable();
}

// The loss function that replaces tfjs-layers' `stock` one: the fused kernels where they
// apply, `stock` (with integer labels as float32) elsewhere.
function fusedSparseCategoricalCrossentropy(stock: LossFn): LossFn {
  return (yTrue, yPred) => {
    if (fusable(yTrue, yPred)) return sparseCategoricalCrossentropy(yTrue, yPred, stock);
    if (yTrue.dtype !== "int32") return stock(yTrue, yPred);
    return tf.tidy(() => stock(tf.cast(yTrue, "float32"), yPred));
  };
}

// The outputs whose loss is sparse categorical cross-entropy, from compile's `loss` argument.
function sparseOutputs(loss: unknown, outputs: number): boolean[] {
  if (typeof loss === "string") return new Array<boolean>(outputs).fill(loss === SPARSE_CE);
  if (Array.isArray(loss)) return Array.from({ length: outputs }, (_, i) => loss[i] === SPARSE_CE);
  return new Array<boolean>(outputs).fill(false);
}

// The outputs whose loss is sparse categorical cross-entropy get the fused function.
const hook = compileLossHook((fns, args) => {
  const sparse = sparseOutputs(args.loss, fns.length);
  return fns.map((fn, i) => (sparse[i] ? fusedSparseCategoricalCrossentropy(fn) : fn));
});

/**
 * The sparse categorical cross-entropy patch (see the module notes).
 *
 * @example
 * ```ts
 * SPARSE_CE_LOSS_PATCH.installed; // true
 * ```
 */
export const SPARSE_CE_LOSS_PATCH: GlobalPatch = definePatch({
  name: "tfjs sparseCategoricalCrossentropy loss",
  target: 'tf.LayersModel.prototype.compile (the loss functions of `loss: "sparseCategoricalCrossentropy"`)',
  purpose: "sparse categorical cross-entropy and its gradient run as one fused kernel each instead of about forty ops",
  owner: "kernel-helpers",
  scope: "process",
  apply: () => hook.install(),
});
