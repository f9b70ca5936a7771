/**
 * Four process-wide patches that make a training step cheaper without changing what it
 * computes, by moving chains of small tfjs ops into one kernel each (`native/train_ops.cc` and
 * `native/dense_ops.cc`, wrapped in `_train-ops.ts`):
 *
 * - `tfjs Adam update`: `tf.AdamOptimizer.prototype.applyGradients` updates each variable with
 *   one kernel instead of tfjs' dozen element-wise ops (and their scalar uploads). The
 *   optimizer's state is tfjs' own (the same `m`/`v` variables, names, `accBeta1/2`,
 *   iterations), so `getWeights`, `setWeights`, saving and loading are unchanged, and the
 *   float32 results are equal bit for bit.
 * - `tfjs Embedding lookup`: tfjs-layers' `Embedding` looks rows up with one kernel whose
 *   gradient is one scatter-add kernel, instead of `GatherV2` and the `UnsortedSegmentSum`
 *   gradient tfjs builds around it. Same values; the gradient's per-row sums run in the same
 *   order.
 * - `tfjs binaryCrossentropy loss`: a model compiled with `loss: "binaryCrossentropy"` computes
 *   it with one kernel forward and one backward instead of about thirty tfjs ops; the kernels
 *   follow tfjs' ops (and its tape's order of adding gradients) element by element, so values
 *   and gradients agree with tfjs' to float32 rounding. The model's `loss` (what `getConfig`
 *   and saving record) is unchanged.
 * - `tfjs Dense layer`: tfjs-layers' `Dense` on a `[batch, features]` float32 input with a
 *   `linear`, `sigmoid`, `tanh` or `relu` activation runs as one kernel forward and one backward
 *   instead of a matmul, a bias add and an activation (and eight gradient ops under a tape), when
 *   the product is small (batch · features · units up to {@link DENSE_MAX_MACS}); larger layers
 *   keep TensorFlow's multi-threaded MatMul. Values agree with tfjs' to float32 rounding.
 *
 * All fall back to tfjs' own code whenever the kernels are unavailable (`fusedOpsStatus()`,
 * `SEQLAB_FUSED=0`, another backend) or the call is one they do not cover (non-float32
 * variables, several inputs).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import type { Kwargs } from "@tensorflow/tfjs-layers/dist/types";
import { definePatch, type GlobalPatch } from "../contract/global-patches";
import { classRegistry } from "./_standard";
import { compileLossHook, type LossFn } from "./_compile-loss-hook";
import {
  adamCoefficients,
  adamUpdate,
  binaryCrossentropy,
  dense,
  DENSE_ACTIVATIONS,
  denseOpAvailable,
  gatherRows,
  trainOpsAvailable,
  type DenseActivation,
} from "./_train-ops";

/** What the fused update reads and writes of a tfjs `AdamOptimizer`. */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
  accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
  incrementIterations(): void;
}

type Gradients = tf.NamedTensorMap | Array<{ name: string; tensor: tf.Tensor }>;
type ApplyGradients = (this: tf.AdamOptimizer, gradients: Gradients) => void;

function gradientAt(gradients: Gradients, name: string, i: number): tf.Tensor | undefined {
  return Array.isArray(gradients) ? gradients[i]?.tensor : gradients[name];
}

// Whether every variable and gradient is one the kernel takes (float32, same size).
function fusable(gradients: Gradients, names: string[]): boolean {
  if (!trainOpsAvailable()) return false;
  return names.every((name, i) => {
    const value = tf.engine().registeredVariables[name];
    const g = gradientAt(gradients, name, i);
    return value !== undefined && value.dtype === "float32" && (g == null || (g.dtype === "float32" && g.size === value.size));
  });
}

// tfjs' applyGradients with each variable's update as one kernel (see the module notes).
function fusedApplyGradients(opt: AdamState, gradients: Gradients, names: string[]): void {
  tf.tidy(() => {
    // One upload of the constants for every variable (disposed with the tidy).
    const coef = adamCoefficients([opt.beta1, opt.beta2, opt.epsilon, opt.learningRate]);
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name];
      // The moments are created as tfjs creates them, on first use, named `<variable>/m|v`.
      opt.accumulatedFirstMoment[i] ??= {
        originalName: `${name}/m`,
        variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
      };
      opt.accumulatedSecondMoment[i] ??= {
        originalName: `${name}/v`,
        variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
      };
      const gradient = gradientAt(gradients, name, i);
      if (gradient == null) return;
      const m = opt.accumulatedFirstMoment[i]!.variable;
      const v = opt.accumulatedSecondMoment[i]!.variable;
      const [newValue, newM, newV] = adamUpdate(value, m, v, gradient, opt.accBeta1, opt.accBeta2, coef);
      m.assign(newM);
      v.assign(newV);
      value.assign(newValue);
    });
    opt.accBeta1.assign(tf.mul(opt.accBeta1, opt.beta1));
    opt.accBeta2.assign(tf.mul(opt.accBeta2, opt.beta2));
  });
  opt.incrementIterations();
}

/**
 * The Adam patch (see the module notes).
 *
 * @example
 * ```ts
 * ADAM_PATCH.installed; // true
 * ```
 */
export const ADAM_PATCH: GlobalPatch = definePatch({
  name: "tfjs Adam update",
  target: "tf.AdamOptimizer.prototype.applyGradients",
  purpose: "Adam updates each variable with one fused kernel (tfjs' arithmetic, bit for bit) instead of a dozen ops",
  owner: "kernel-helpers",
  scope: "process",
  apply() {
    const proto = tf.AdamOptimizer.prototype as unknown as { applyGradients: ApplyGradients };
    const original = proto.applyGradients;
    proto.applyGradients = function (this: tf.AdamOptimizer, gradients: Gradients): void {
      const names = Array.isArray(gradients) ? gradients.map((g) => g.name) : Object.keys(gradients);
      if (!fusable(gradients, names)) {
        original.call(this, gradients);
        return;
      }
      fusedApplyGradients(this as unknown as AdamState, gradients, names);
    };
    return () => {
      proto.applyGradients = original;
    };
  },
});

/** What the fused lookup reads of a tfjs-layers `Embedding`. */
interface EmbeddingState {
  embeddings: { read(): tf.Tensor };
  invokeCallHook(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): void;
  computeOutputShape(shape: number[]): Array<number | null>;
}
type LayerCall = (this: unknown, inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs) => tf.Tensor | tf.Tensor[];

// tfjs-layers' Embedding.call with the lookup as gatherRows (see the module notes).
function fusedEmbeddingCall(layer: EmbeddingState, inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
  return tf.tidy(() => {
    layer.invokeCallHook(inputs, kwargs);
    let input = Array.isArray(inputs) ? inputs[0] : inputs;
    if (input.dtype !== "int32") input = tf.cast(input, "int32");
    const rows = gatherRows(layer.embeddings.read(), tf.reshape(input, [input.size]));
    return tf.reshape(rows, layer.computeOutputShape(input.shape) as number[]);
  });
}

/**
 * The Embedding patch (see the module notes).
 *
 * @example
 * ```ts
 * EMBEDDING_PATCH.installed; // true
 * ```
 */
export const EMBEDDING_PATCH: GlobalPatch = definePatch({
  name: "tfjs Embedding lookup",
  target: 'the tfjs-layers "Embedding" class\'s call (tf.layers.embedding)',
  purpose: "Embedding lookups and their gradients run as one fused kernel each instead of GatherV2 and UnsortedSegmentSum chains",
  owner: "kernel-helpers",
  scope: "process",
  apply() {
    const entry = classRegistry()["Embedding"];
    if (entry === undefined) throw new Error('tfjs-layers has no registered class "Embedding"');
    const proto = (entry[0] as { prototype: { call: LayerCall } }).prototype;
    const original = proto.call;
    proto.call = function (this: unknown, inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
      const layer = this as EmbeddingState;
      const single = !Array.isArray(inputs) || inputs.length === 1;
      const table = single && trainOpsAvailable() ? layer.embeddings.read() : null;
      if (table === null || table.dtype !== "float32" || table.rank !== 2) return original.call(this, inputs, kwargs);
      return fusedEmbeddingCall(layer, inputs, kwargs);
    };
    return () => {
      proto.call = original;
    };
  },
});

const BCE_NAMES = ["binaryCrossentropy", "binary_crossentropy"];

// The fused loss where it applies, tfjs-layers' own function (`stock`) elsewhere.
function fusedBinaryCrossentropy(stock: LossFn): LossFn {
  return (yTrue, yPred) => {
    const same = yTrue.shape.length === yPred.shape.length && yTrue.shape.every((d, i) => d === yPred.shape[i]);
    if (!same || yPred.rank < 1 || yTrue.dtype !== "float32" || yPred.dtype !== "float32" || !trainOpsAvailable()) {
      return stock(yTrue, yPred);
    }
    return binaryCrossentropy(yTrue, yPred, stock);
  };
}

// Every output's loss is binary cross-entropy: all of them fused.
const bceHook = compileLossHook((fns, args) => {
  const loss: unknown = args.loss;
  const names: unknown[] = typeof loss === "string" ? [loss] : Array.isArray(loss) ? loss : [];
  if (names.length === 0 || !names.every((n) => typeof n === "string" && BCE_NAMES.includes(n))) return null;
  return fns.map((fn) => fusedBinaryCrossentropy(fn));
});

/**
 * The binary cross-entropy patch (see the module notes).
 *
 * @example
 * ```ts
 * BCE_LOSS_PATCH.installed; // true
 * ```
 */
export const BCE_LOSS_PATCH: GlobalPatch = definePatch({
  name: "tfjs binaryCrossentropy loss",
  target: "tf.LayersModel.prototype.compile (the loss functions of `loss: \"binaryCrossentropy\"`)",
  purpose: "binary cross-entropy and its gradient run as one fused kernel each instead of about thirty ops",
  owner: "kernel-helpers",
  scope: "process",
  apply: () => bceHook.install(),
});

/**
 * The largest Dense product (batch · features · units multiply-adds) the fused kernel takes.
 * It runs on one thread: at this size its forward and backward still cost a third of tfjs'
 * in CPU time (about 0.19 against 0.5–0.7 ms for `[128, 128] · [128, 128]`), so they beat
 * TensorFlow's MatMul on two cores too; at four times the size the two are even by wall time.
 *
 * @example
 * ```ts
 * DENSE_MAX_MACS; // 2097152
 * ```
 */
export const DENSE_MAX_MACS = 1 << 21;

/** What the fused call reads of a tfjs-layers `Dense`. */
interface DenseState {
  kernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
  activation: { getClassName(): string } | null;
  invokeCallHook(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): void;
}

// The input and activation when the fused kernel takes this call, else null.
function fusedDenseArgs(layer: DenseState, inputs: tf.Tensor | tf.Tensor[]): [tf.Tensor2D, DenseActivation] | null {
  const input = Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0] : null) : inputs;
  const name = layer.activation === null ? "linear" : layer.activation.getClassName();
  const activation = DENSE_ACTIVATIONS.find((a) => a === name);
  if (input == null || input.rank !== 2 || input.dtype !== "float32" || activation === undefined) return null;
  const kernel = layer.kernel.read();
  if (kernel.dtype !== "float32" || kernel.rank !== 2) return null;
  const [batch, features] = input.shape as [number, number];
  const [k, units] = kernel.shape as [number, number];
  if (features !== k || batch * features * units > DENSE_MAX_MACS || !denseOpAvailable()) return null;
  return [input as tf.Tensor2D, activation];
}

/**
 * The Dense patch (see the module notes).
 *
 * @example
 * ```ts
 * DENSE_PATCH.installed; // true
 * ```
 */
export const DENSE_PATCH: GlobalPatch = definePatch({
  name: "tfjs Dense layer",
  target: 'the tfjs-layers "Dense" class\'s call (tf.layers.dense)',
  purpose: "small Dense layers (matmul, bias, activation) run as one fused kernel forward and one backward instead of about a dozen ops",
  owner: "kernel-helpers",
  scope: "process",
  apply() {
    const entry = classRegistry()["Dense"];
    if (entry === undefined) throw new Error('tfjs-layers has no registered class "Dense"');
    const proto = (entry[0] as { prototype: { call: LayerCall } }).prototype;
    const original = proto.call;
    proto.call = function (this: unknown, inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
      const layer = this as DenseState;
      const args = fusedDenseArgs(layer, inputs);
      if (args === null) return original.call(this, inputs, kwargs);
      return tf.tidy(() => {
        layer.invokeCallHook(inputs, kwargs);
        const bias = layer.bias === null ? null : (layer.bias.read() as tf.Tensor1D);
        return dense(args[0], layer.kernel.read() as tf.Tensor2D, bias, args[1]);
      });
    };
    return () => {
      proto.call = original;
    };
  },
});
