/**
 * The training-step kernels of `native/train_ops.cc` and `native/dense_ops.cc` as tfjs
 * functions: Adam's update of one variable in one op, an Embedding lookup (a row gather) whose
 * gradient is one scatter-add op, tfjs-layers' binary cross-entropy loss as one op forward and
 * one backward, and a small Dense layer (matmul, bias, activation) as one op forward and one
 * backward. `_training-patches.ts` puts them behind tfjs' `AdamOptimizer`, `Embedding`,
 * `compile` and `Dense`; they compute what tfjs computes, with one TensorFlow call where tfjs
 * makes a dozen.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { kernelProbe, runOp } from "./_native";
import { clippedLossOp } from "./_loss-ops";
import { stockVjp, underOuterTape } from "./_nested-gradients";

/**
 * Whether the training kernels can run here: the fused op library is loaded and has them (a
 * library built before they existed lacks them until `seqlab setup` rebuilds it). Checked
 * once per process by running each op on a tiny input.
 *
 * @returns True when {@link adamUpdate}, {@link gatherRows} and {@link binaryCrossentropy} can run.
 * @example
 * ```ts
 * trainOpsAvailable(); // true
 * ```
 */
export const trainOpsAvailable: () => boolean = kernelProbe(() => {
  const one = tf.ones([1]);
  adamUpdate(one, one, one, one, one, one, adamCoefficients([0.9, 0.999, 1e-7, 1e-3]));
  gatherRows(tf.ones([1, 1]), tf.zeros([1], "int32"));
  binaryCrossentropy(one, one);
});

/**
 * The float32 constants of {@link adamUpdate}, `[β1, 1-β1, β2, 1-β2, ε, -learning rate]`,
 * computed as tfjs computes them: `1 - beta1` in float64 and then rounded (tfjs'
 * `mul(g, 1 - this.beta1)`), `-learningRate`, and so on. One tensor serves every variable of
 * an update.
 *
 * @param hyper `[β1, β2, ε, learning rate]`.
 * @returns A new `[6]` float32 tensor.
 * @example
 * ```ts
 * Array.from(adamCoefficients([0.5, 0.75, 0.25, 2]).dataSync()); // [0.5, 0.5, 0.75, 0.25, 0.25, -2]
 * ```
 */
export function adamCoefficients(hyper: [number, number, number, number]): tf.Tensor1D {
  const [beta1, beta2, epsilon, learningRate] = hyper;
  return tf.tensor1d([beta1, 1 - beta1, beta2, 1 - beta2, epsilon, -learningRate], "float32");
}

/**
 * One Adam step for one variable, as tfjs' `AdamOptimizer.applyGradients` computes it:
 * `m' = m·β1 + g·(1-β1)`, `v' = v·β2 + g²·(1-β2)`, `value' = (m'/(1-accβ1)) /
 * (sqrt(v'/(1-accβ2)) + ε) · (-lr) + value`, every step rounded to float32 as tfjs' ops round
 * it.
 *
 * @param value The variable's value.
 * @param m The first moment.
 * @param v The second moment.
 * @param grad The gradient (same shape).
 * @param accBeta1 `β1^t`, scalar.
 * @param accBeta2 `β2^t`, scalar.
 * @param coef The constants, from {@link adamCoefficients}.
 * @returns `[value', m', v']`, new tensors.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-node";
 * const zero = tf.tensor1d([0]);
 * const [value] = adamUpdate(tf.tensor1d([1]), zero, zero, tf.tensor1d([2]), tf.scalar(0.5), tf.scalar(0.5), adamCoefficients([0.5, 0.5, 0, 1]));
 * Array.from(value.dataSync()); // [0]
 * ```
 */
export function adamUpdate(
  value: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  grad: tf.Tensor,
  accBeta1: tf.Tensor,
  accBeta2: tf.Tensor,
  coef: tf.Tensor1D,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const [nx, nm, nv] = runOp("SeqlabAdam", [], [value, m, v, grad, accBeta1, accBeta2, coef], 3);
  return [nx, nm, nv];
}

/**
 * `params[ids]` (rows of a `[R, D]` table) with a gradient that is one scatter-add kernel:
 * what tfjs' `gather(params, ids)` and its `UnsortedSegmentSum` gradient compute.
 *
 * @param params `[R, D]`, float32.
 * @param ids Row indices, int32, any shape (read flat); each must be in `[0, R)`.
 * @returns `[ids.size, D]`.
 * @throws Error naming the first index outside `[0, R)`.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-node";
 * gatherRows(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor1d([1, 1, 0], "int32")).arraySync(); // [[3, 4], [3, 4], [1, 2]]
 * ```
 */
export function gatherRows(params: tf.Tensor, ids: tf.Tensor): tf.Tensor2D {
  const rows = params.shape[0];
  const lookup = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [table, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([ids]);
    const value = runOp("SeqlabGatherRows", [], [table, ids], 1)[0];
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        underOuterTape()
          ? stockVjp((t) => tf.gather(t, tf.reshape(saved[0], [-1])), [table], dy)[0]
          : runOp("SeqlabGatherRowsGrad", [{ name: "num_rows", value: rows }], [dy, saved[0]], 1)[0],
    };
  });
  return lookup(params) as tf.Tensor2D;
}

/**
 * tfjs-layers' `binaryCrossentropy(yTrue, yPred)` (clip `yPred` to `[ε, 1-ε]`, log-odds,
 * sigmoid cross-entropy with logits, mean over the last axis) as one kernel forward and one
 * backward, element by element in the order of tfjs' ops; `ε` is the backend's epsilon, as
 * tfjs-layers uses.
 *
 * @param yTrue Targets, float32, the shape of `yPred`.
 * @param yPred Predicted probabilities, float32, rank 1 or more.
 * @param stock tfjs-layers' own function for this loss, used for the gradient only when that
 *   gradient is itself differentiated (see `_nested-gradients.ts`).
 * @returns The loss per sample: `yPred`'s shape without its last axis.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-node";
 * binaryCrossentropy(tf.tensor2d([[1]]), tf.tensor2d([[0.5]])).shape; // [1]
 * ```
 */
export function binaryCrossentropy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  stock?: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  return clippedLossOp("SeqlabBinaryCrossentropy", yTrue, yPred, stock);
}

/**
 * The activations {@link dense} runs in its kernel (tfjs-layers' names).
 *
 * @example
 * ```ts
 * DENSE_ACTIVATIONS.length; // 4
 * ```
 */
export const DENSE_ACTIVATIONS = ["linear", "sigmoid", "tanh", "relu"] as const;
/** One of {@link DENSE_ACTIVATIONS}. */
export type DenseActivation = (typeof DENSE_ACTIVATIONS)[number];

/**
 * Whether {@link dense} can run here: the fused op library is loaded and has the Dense kernels
 * (a library built before them lacks them until `seqlab setup` rebuilds it; the other training
 * kernels do not depend on them). Checked once per process.
 *
 * @returns True when {@link dense} can run.
 * @example
 * ```ts
 * denseOpAvailable(); // true
 * ```
 */
export const denseOpAvailable: () => boolean = kernelProbe(() => {
  // Both ops directly (no gradient tape: the first Dense call may come inside one).
  const one = tf.ones([1, 1]);
  const attrs = [{ name: "activation", value: "sigmoid" }];
  const y = runOp("SeqlabDense", attrs, [one, one, tf.ones([1])], 1)[0];
  runOp("SeqlabDenseGrad", [...attrs, { name: "has_bias", value: true }], [one, one, one, y], 3);
});

/** `activation(x · kernel + bias)` in tfjs ops: {@link dense}'s forward, for a gradient of its gradient. */
function stockDense(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | undefined, activation: DenseActivation): tf.Tensor {
  const z = bias === undefined ? tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D) : tf.add(tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D), bias);
  if (activation === "sigmoid") return tf.sigmoid(z);
  if (activation === "tanh") return tf.tanh(z);
  if (activation === "relu") return tf.relu(z);
  return z;
}

/**
 * tfjs-layers' Dense on a `[batch, K]` input, `activation(x · kernel + bias)`, as one kernel
 * forward and one backward (`dx = dz · kernelᵀ`, `dkernel = xᵀ · dz`, `dbias` = column sums of
 * `dz`, with `dz` the output gradient times the activation's derivative, written through the
 * output as tfjs' gradients write it). tfjs runs a matmul, a bias add and an activation, and
 * under a gradient tape eight more ops for their gradients. Values agree with tfjs' to float32
 * rounding (the products sum in another order).
 *
 * @param x `[batch, K]`, float32.
 * @param kernel `[K, units]`, float32.
 * @param bias `[units]`, float32, or null for a layer without one.
 * @param activation One of {@link DENSE_ACTIVATIONS}.
 * @returns `[batch, units]`.
 * @throws Error when the shapes do not fit (`x` not `[batch, K]`, `kernel` not `[K, units]`, `bias` not `[units]`).
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-node";
 * dense(tf.tensor2d([[1, 2]]), tf.tensor2d([[1], [1]]), tf.tensor1d([-1]), "relu").arraySync(); // [[2]]
 * ```
 */
export function dense(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D | null, activation: DenseActivation): tf.Tensor2D {
  const attrs = [{ name: "activation", value: activation }];
  const gradAttrs = [...attrs, { name: "has_bias", value: bias !== null }];
  const layer = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [input, w, b] = args.slice(0, -1) as tf.Tensor[];
    const noBias = b === undefined ? tf.zeros([0]) : null;
    const value = runOp("SeqlabDense", attrs, [input, w, b ?? noBias!], 1)[0];
    noBias?.dispose();
    // The activation's derivative is written through the output (none needed for "linear").
    save([input, w, value]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        if (underOuterTape()) {
          const inputs = b === undefined ? [saved[0], saved[1]] : [saved[0], saved[1], b];
          return stockVjp((xi, wi, bi) => stockDense(xi, wi, bi, activation), inputs, dy);
        }
        const [dx, dw, db] = runOp("SeqlabDenseGrad", gradAttrs, [dy, saved[0], saved[1], saved[2]], 3);
        if (b !== undefined) return [dx, dw, db];
        db.dispose();
        return [dx, dw];
      },
    };
  });
  return (bias === null ? layer(x, kernel) : layer(x, kernel, bias)) as tf.Tensor2D;
}
