/**
 * `tfjs softmax gradient`: the gradient tfjs-core registers for its `Softmax` kernel (used by
 * `tf.softmax` and so by every `activation: "softmax"` layer) computed by one kernel
 * (`SeqlabSoftmaxGrad` of `native/loss_ops.cc`, wrapped in `_loss-ops.ts`) instead of tfjs'
 * `mul`, `sum`, `mul`, `sub` and their reshapes. Each step is rounded to float32 as tfjs' op
 * rounds it and the row sum follows TensorFlow's `Sum` kernel, so the gradient is tfjs' bit for
 * bit. Per-step softmax outputs (`[batch, steps, classes]`, the character models) run it once
 * per batch over every step.
 *
 * The patch re-registers tfjs' gradient config for `"Softmax"` with the same saved outputs;
 * each call falls back to tfjs' own gradient function when the kernels are unavailable
 * (`SEQLAB_FUSED=0`, another backend, a library built before them), a tensor is not float32,
 * the softmax is over another axis than the last or an empty one, or the gradient is itself
 * being differentiated (a gradient of a gradient, see `_nested-gradients.ts`).
 * Uninstalling registers tfjs' own config again.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { definePatch, type GlobalPatch } from "../contract/global-patches";
import { lossOpsAvailable, softmaxGrad } from "./_loss-ops";
import { underOuterTape } from "./_nested-gradients";

/**
 * The softmax-gradient patch (see the module notes).
 *
 * @example
 * ```ts
 * SOFTMAX_GRAD_PATCH.installed; // true
 * ```
 */
export const SOFTMAX_GRAD_PATCH: GlobalPatch = definePatch({
  name: "tfjs softmax gradient",
  target: 'the gradient registered for tfjs-core\'s "Softmax" kernel (tf.registerGradient)',
  purpose: "softmax's gradient runs as one fused kernel (tfjs' arithmetic, bit for bit) instead of four ops and their reshapes",
  owner: "kernel-helpers",
  scope: "process",
  apply() {
    const original = tf.getGradient("Softmax");
    if (original === undefined) throw new Error('tfjs-core has no gradient registered for "Softmax"');
    tf.registerGradient({
      ...original,
      gradFunc: (dy, saved, attrs) => {
        const d = dy as tf.Tensor;
        const y = saved[0];
        const dim = (attrs as { dim?: number } | undefined)?.dim ?? -1;
        const lastAxis = dim === -1 || dim === y.rank - 1;
        if (
          d.dtype !== "float32" ||
          y.dtype !== "float32" ||
          y.rank < 1 ||
          !lastAxis ||
          y.shape[y.rank - 1] === 0 ||
          d.size !== y.size ||
          underOuterTape() ||
          !lossOpsAvailable()
        ) {
          return original.gradFunc(dy, saved, attrs);
        }
        return { logits: () => softmaxGrad(d, y) };
      },
    });
    return () => {
      tf.registerGradient(original);
    };
  },
});
