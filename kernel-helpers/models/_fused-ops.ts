/**
 * One recurrent layer over a whole sequence as one TensorFlow kernel call forward and one
 * backward (`native/*_ops.cc`), wrapped as a tfjs op with a custom gradient.
 *
 * The kernels take tfjs-layers' weights as they are (Keras layout: gate order `i, f, c, o`
 * for LSTM, `z, r, h` for GRU) and do the input projection, the recurrence and, backward, the
 * weight and input gradients, so a training step costs two kernel calls per layer instead of
 * tfjs-layers' handful of ops per time step.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { runOp, OpAttr } from "./_native";

/**
 * The activations the kernels implement, by tfjs' class name. The ops take these names as
 * string attributes and reject any other (`SEQLAB_ACTIVATIONS` in
 * `native/seqlab_rnn_common.h` lists the same names).
 */
export const KERNEL_ACTIVATIONS = ["tanh", "relu", "linear", "sigmoid", "hardSigmoid"] as const;
/** One of {@link KERNEL_ACTIVATIONS}. */
export type KernelActivation = (typeof KERNEL_ACTIVATIONS)[number];

/**
 * The kernels' name for a tfjs activation class name, or `null` when the kernels lack it.
 *
 * @param name The activation's `getClassName()`, e.g. `"tanh"`.
 * @returns The name as the kernels know it, or `null`.
 */
export function kernelActivation(name: string): KernelActivation | null {
  return (KERNEL_ACTIVATIONS as readonly string[]).includes(name) ? (name as KernelActivation) : null;
}

/** Which recurrence. */
export type CellKind = "lstm" | "gru" | "simpleRNN";

/** Static settings of one fused call. */
export interface FusedSequenceConfig {
  /** Which recurrence. */
  kind: CellKind;
  /** The activation. */
  activation: KernelActivation;
  /** The recurrent activation (ignored by SimpleRNN). */
  recurrentActivation: KernelActivation;
  /** Process the sequence from its end (outputs in processing order, as tfjs-layers). */
  goBackwards: boolean;
  /** GRU only: Keras' reset-after form. */
  resetAfter: boolean;
  /** True: return all hidden states `[B, T, U]`; false: the last one `[B, U]`. */
  returnSequences: boolean;
  /** Also return the final states (`h`, and `c` for LSTM), each `[B, U]`. */
  returnState: boolean;
}

/** The weights of one fused call, read from the layer's variables. */
export interface FusedWeights {
  /** Input kernel `[features, G * units]`. */
  kernel: tf.Tensor2D;
  /** Recurrent kernel `[units, G * units]`. */
  recurrentKernel: tf.Tensor2D;
  /** Input bias `[G * units]`, or null without bias. */
  bias: tf.Tensor1D | null;
  /** GRU reset-after only: the recurrent bias `[3 * units]`. */
  recurrentBias: tf.Tensor1D | null;
}

const OPS: Record<CellKind, { forward: string; backward: string; outputs: number }> = {
  lstm: { forward: "SeqlabLstm", backward: "SeqlabLstmGrad", outputs: 4 },
  gru: { forward: "SeqlabGru", backward: "SeqlabGruGrad", outputs: 4 },
  simpleRNN: { forward: "SeqlabRnn", backward: "SeqlabRnnGrad", outputs: 2 },
};

let emptyTensor: tf.Tensor1D | null = null;

/** A kept, shared empty float tensor: the kernels read an empty input as "absent". */
function empty(): tf.Tensor1D {
  if (emptyTensor === null || emptyTensor.isDisposed) emptyTensor = tf.keep(tf.tensor1d([], "float32"));
  return emptyTensor;
}

/**
 * Runs one recurrent layer over `x` with the fused kernels.
 *
 * @param cfg What to run.
 * @param x Inputs `[B, T, F]`, float32.
 * @param weights The layer's weights.
 * @param mask `[B, T]` float 0/1, or null.
 * @returns `[output]`, or `[output, h]` (GRU, SimpleRNN) / `[output, h, c]` (LSTM) with
 *   `returnState`; output is `[B, T, U]` when `returnSequences`, else `[B, U]`.
 */
export function fusedSequence(
  cfg: FusedSequenceConfig,
  x: tf.Tensor3D,
  weights: FusedWeights,
  mask: tf.Tensor2D | null,
): tf.Tensor[] {
  const ops = OPS[cfg.kind];
  const [B, T] = x.shape;
  const U = weights.recurrentKernel.shape[0];
  const withCell = cfg.returnState && cfg.kind === "lstm";
  // With returnState the custom op's single value is [output (flattened), h, c] side by side.
  const parts = cfg.returnState ? [cfg.returnSequences ? T * U : U, U, ...(withCell ? [U] : [])] : [];
  const attrs: OpAttr[] = [
    { name: "activation", value: cfg.activation },
    { name: "recurrent_activation", value: cfg.recurrentActivation },
    { name: "go_backwards", value: cfg.goBackwards },
  ];
  if (cfg.kind === "gru") attrs.push({ name: "reset_after", value: cfg.resetAfter });
  const hasBias = weights.bias !== null;
  const hasRecurrentBias = cfg.kind === "gru" && cfg.resetAfter && weights.recurrentBias !== null;
  const inputs: tf.Tensor[] = [x, weights.kernel, weights.recurrentKernel];
  if (hasBias) inputs.push(weights.bias as tf.Tensor);
  if (hasRecurrentBias) inputs.push(weights.recurrentBias as tf.Tensor);
  if (mask !== null) inputs.push(mask);
  const nInputs = inputs.length;

  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, wIn, rIn] = args as tf.Tensor[];
    let i = 3;
    const bIn = hasBias ? (args[i++] as tf.Tensor) : empty();
    const rbIn = hasRecurrentBias ? (args[i++] as tf.Tensor) : empty();
    const maskIn = mask !== null ? (args[i++] as tf.Tensor) : empty();
    const save = args[nInputs] as tf.GradSaveFunc;
    const forwardInputs =
      cfg.kind === "gru" ? [xIn, wIn, rIn, bIn, rbIn, maskIn] : [xIn, wIn, rIn, bIn, maskIn];
    const outs = runOp(ops.forward, attrs, forwardInputs, ops.outputs);
    const hSeq = outs[0];
    const hLast = outs[outs.length - 1];
    // What the gradient kernel needs besides the weights: LSTM c_seq + gates, GRU gates + inner.
    const internals = outs.slice(1, outs.length - 1);
    save([xIn, wIn, rIn, maskIn, hSeq, ...internals]);
    const output = cfg.returnSequences ? hSeq : hLast;
    let value = output;
    if (cfg.returnState) {
      const states = [hLast];
      if (withCell) states.push(tf.reshape(tf.slice(outs[1], [0, T - 1, 0], [B, 1, U]), [B, U]));
      value = tf.concat([tf.reshape(output, [B, -1]), ...states], 1);
    }
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xS, wS, rS, maskS, hSeqS, ...internalsS] = saved;
        let dhSeq: tf.Tensor = empty();
        let dhLast: tf.Tensor = empty();
        let dcLast: tf.Tensor = empty();
        if (!cfg.returnState) {
          if (cfg.returnSequences) dhSeq = dy;
          else dhLast = dy;
        } else {
          const pieces = tf.split(dy, parts, 1);
          if (cfg.returnSequences) {
            dhSeq = tf.reshape(pieces[0], [B, T, U]);
            dhLast = pieces[1];
          } else {
            dhLast = tf.add(pieces[0], pieces[1]);
          }
          if (withCell) dcLast = pieces[2];
        }
        const tail = cfg.kind === "lstm" ? [dhSeq, dhLast, dcLast] : [dhSeq, dhLast];
        const grads = runOp(
          ops.backward,
          attrs,
          [xS, wS, rS, mask !== null ? maskS : empty(), hSeqS, ...internalsS, ...tail],
          cfg.kind === "gru" ? 5 : 4,
        );
        const [dx, dw, dr, db] = grads;
        const result: tf.Tensor[] = [dx, dw, dr];
        if (hasBias) result.push(db);
        if (hasRecurrentBias) result.push(grads[4]);
        if (mask !== null) result.push(tf.zerosLike(maskS));
        return result;
      },
    };
  });
  const value = op(...inputs);
  if (!cfg.returnState) return [value];
  // A new array: tfjs' tape keeps the split's own output array.
  const [out, ...states] = tf.split(value, parts, 1);
  return [cfg.returnSequences ? tf.reshape(out, [B, T, U]) : out, ...states];
}
