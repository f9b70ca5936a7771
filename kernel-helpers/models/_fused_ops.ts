/**
 * Whole-sequence recurrent ops with custom gradients: one TensorFlow kernel call forward and
 * one backward per layer and batch, instead of tfjs-layers' handful of ops per time step.
 *
 * Each op takes the time-major input projection `xw = x @ kernel (+ bias)`, shape
 * `[T, B, G * units]`, and the recurrent kernel in the Keras layout (gate order `i, f, c, o`
 * for LSTM, `z, r, h` for GRU); gradients with respect to the kernel and bias flow through the
 * ordinary tfjs matmul that computed `xw`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { runOp, OpAttr } from "./_native";

/** Activation names the kernels implement, with their codes in `seqlab_rnn_ops.cc`. */
const ACTIVATION_CODES: Record<string, number> = {
  tanh: 0,
  relu: 1,
  linear: 2,
  sigmoid: 3,
  hardSigmoid: 4,
};

/**
 * The kernel code of a tfjs activation class name, or `null` when the kernels lack it.
 *
 * @param name The activation's `getClassName()`, e.g. `"tanh"`.
 * @returns Its code, or `null`.
 */
export function activationCode(name: string): number | null {
  return Object.prototype.hasOwnProperty.call(ACTIVATION_CODES, name) ? ACTIVATION_CODES[name] : null;
}

/** Activations of a fused cell, as kernel codes. */
export interface CellActivations {
  activation: number;
  recurrentActivation: number;
}

type SaveFn = tf.GradSaveFunc;

function lstmAttrs(a: CellActivations): OpAttr[] {
  return [
    { name: "activation", value: a.activation },
    { name: "recurrent_activation", value: a.recurrentActivation },
  ];
}

/**
 * LSTM over a whole sequence.
 *
 * @param xw Input projection `[T, B, 4 * units]` (bias included).
 * @param r Recurrent kernel `[units, 4 * units]`.
 * @param mask `[T, B]` of 0/1 (1 = step counts).
 * @param acts Activation codes.
 * @param withCellState When true the result is `concat([h, c], -1)`, `[T, B, 2 * units]`.
 * @returns Hidden states `[T, B, units]` (or with cell states, see above).
 */
export function lstmSequence(
  xw: tf.Tensor3D,
  r: tf.Tensor2D,
  mask: tf.Tensor2D,
  acts: CellActivations,
  withCellState: boolean,
): tf.Tensor3D {
  const attrs = lstmAttrs(acts);
  const op = tf.customGrad((...args: Array<tf.Tensor | SaveFn>) => {
    const [xwIn, rIn, maskIn] = args as tf.Tensor[];
    const save = args[3] as SaveFn;
    const B = xwIn.shape[1] as number;
    const U = rIn.shape[0] as number;
    const zeros = tf.zeros([B, U]);
    const [hs, cs, gates] = runOp("SeqlabLstmSeq", attrs, [xwIn, rIn, zeros, zeros, maskIn], 3);
    save([rIn, maskIn, hs, cs, gates]);
    const value = (withCellState ? tf.concat([hs, cs], 2) : hs) as tf.Tensor3D;
    return {
      value,
      gradFunc: (dy: tf.Tensor3D, saved: tf.Tensor[]) => {
        const [rS, maskS, hsS, csS, gatesS] = saved;
        const [dh, dc] = withCellState ? tf.split(dy, 2, 2) : [dy, tf.zerosLike(hsS)];
        const z = tf.zeros([B, U]);
        const [dxw, dr] = runOp("SeqlabLstmSeqGrad", attrs, [rS, z, z, maskS, hsS, csS, gatesS, dh, dc], 4);
        return [dxw, dr, tf.zerosLike(maskS)];
      },
    };
  });
  return op(xw, r, mask) as tf.Tensor3D;
}

/**
 * GRU over a whole sequence.
 *
 * @param xw Input projection `[T, B, 3 * units]` (input bias included).
 * @param r Recurrent kernel `[units, 3 * units]`.
 * @param rb Recurrent bias `[3 * units]` (used only when `resetAfter`; zeros otherwise).
 * @param mask `[T, B]` of 0/1.
 * @param acts Activation codes.
 * @param resetAfter Keras' `reset_after=True` form (reset applied after the recurrent matmul).
 * @returns Hidden states `[T, B, units]`.
 */
export function gruSequence(
  xw: tf.Tensor3D,
  r: tf.Tensor2D,
  rb: tf.Tensor1D,
  mask: tf.Tensor2D,
  acts: CellActivations,
  resetAfter: boolean,
): tf.Tensor3D {
  const attrs: OpAttr[] = [...lstmAttrs(acts), { name: "reset_after", value: resetAfter }];
  const op = tf.customGrad((...args: Array<tf.Tensor | SaveFn>) => {
    const [xwIn, rIn, rbIn, maskIn] = args as tf.Tensor[];
    const save = args[4] as SaveFn;
    const B = xwIn.shape[1] as number;
    const U = rIn.shape[0] as number;
    const h0 = tf.zeros([B, U]);
    const [hs, gates, inner] = runOp("SeqlabGruSeq", attrs, [xwIn, rIn, rbIn, h0, maskIn], 3);
    save([rIn, maskIn, hs, gates, inner]);
    return {
      value: hs as tf.Tensor3D,
      gradFunc: (dy: tf.Tensor3D, saved: tf.Tensor[]) => {
        const [rS, maskS, hsS, gatesS, innerS] = saved;
        const z = tf.zeros([B, U]);
        const [dxw, dr, drb] = runOp("SeqlabGruSeqGrad", attrs, [rS, z, maskS, hsS, gatesS, innerS, dy], 4);
        return [dxw, dr, drb, tf.zerosLike(maskS)];
      },
    };
  });
  return op(xw, r, rb, mask) as tf.Tensor3D;
}

/**
 * SimpleRNN over a whole sequence.
 *
 * @param xw Input projection `[T, B, units]` (bias included).
 * @param r Recurrent kernel `[units, units]`.
 * @param mask `[T, B]` of 0/1.
 * @param activation Activation code.
 * @returns Hidden states `[T, B, units]`.
 */
export function simpleRnnSequence(
  xw: tf.Tensor3D,
  r: tf.Tensor2D,
  mask: tf.Tensor2D,
  activation: number,
): tf.Tensor3D {
  const attrs: OpAttr[] = [{ name: "activation", value: activation }];
  const op = tf.customGrad((...args: Array<tf.Tensor | SaveFn>) => {
    const [xwIn, rIn, maskIn] = args as tf.Tensor[];
    const save = args[3] as SaveFn;
    const B = xwIn.shape[1] as number;
    const U = rIn.shape[0] as number;
    const [hs] = runOp("SeqlabRnnSeq", attrs, [xwIn, rIn, tf.zeros([B, U]), maskIn], 1);
    save([rIn, maskIn, hs]);
    return {
      value: hs as tf.Tensor3D,
      gradFunc: (dy: tf.Tensor3D, saved: tf.Tensor[]) => {
        const [rS, maskS, hsS] = saved;
        const [dxw, dr] = runOp("SeqlabRnnSeqGrad", attrs, [rS, tf.zeros([B, U]), maskS, hsS, dy], 3);
        return [dxw, dr, tf.zerosLike(maskS)];
      },
    };
  });
  return op(xw, r, mask) as tf.Tensor3D;
}
