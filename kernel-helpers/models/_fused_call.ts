/**
 * The fused forward pass shared by the three layers: input projection as one matmul, the
 * recurrence as one kernel, outputs shaped as tfjs-layers' `RNN.call` returns them.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import type { Kwargs } from "@tensorflow/tfjs-layers/dist/types";
import { activationCode, gruSequence, lstmSequence, simpleRnnSequence } from "./_fused_ops";
import { fusedOpsStatus } from "./_native";

/** Which recurrence. */
export type CellKind = "lstm" | "gru" | "simpleRNN";

/** What the fused pass reads from a tfjs-layers recurrent layer and its cell. */
export interface FusableLayer {
  returnSequences: boolean;
  returnState: boolean;
  goBackwards: boolean;
  stateful: boolean;
  cell: unknown;
}

interface CellView {
  units: number;
  dropout: number;
  recurrentDropout: number;
  useBias: boolean;
  activation: { getClassName(): string };
  recurrentActivation?: { getClassName(): string };
  kernel: { read(): tf.Tensor };
  recurrentKernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
}

/**
 * Why this call cannot be fused, or `null` when it can.
 *
 * @param kind The recurrence.
 * @param layer The layer.
 * @param inputs The call's inputs.
 * @param kwargs The call's keyword arguments.
 * @returns A short reason naming the option, or `null`.
 */
export function unfusableReason(
  kind: CellKind,
  layer: FusableLayer,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Kwargs,
): string | null {
  const status = fusedOpsStatus();
  if (!status.available) return status.reason;
  const cell = layer.cell as CellView;
  if (cell.recurrentDropout > 0) return "`recurrentDropout` cannot be fused";
  if (layer.stateful) return "`stateful` cannot be fused";
  if ((kwargs && kwargs["initialState"] != null) || (Array.isArray(inputs) && inputs.length > 1)) {
    return "an `initialState` cannot be fused";
  }
  if (activationCode(cell.activation.getClassName()) === null) {
    return `activation "${cell.activation.getClassName()}" cannot be fused`;
  }
  if (kind !== "simpleRNN" && activationCode(cell.recurrentActivation?.getClassName() ?? "") === null) {
    return `recurrentActivation "${cell.recurrentActivation?.getClassName()}" cannot be fused`;
  }
  const x = Array.isArray(inputs) ? inputs[0] : inputs;
  if (x.rank !== 3 || x.dtype !== "float32") return "inputs that are not float32 of rank 3 cannot be fused";
  return null;
}

/**
 * Runs a recurrent layer over `inputs` with the fused kernels.
 *
 * @param kind The recurrence.
 * @param layer The layer (its cell holds the weights).
 * @param inputs `[batch, time, features]`.
 * @param kwargs `mask` (`[batch, time]`) and `training`.
 * @param resetAfter GRU only: Keras' reset-after form.
 * @returns What `RNN.call` returns: the output, then the states when `returnState`.
 */
export function fusedRecurrentCall(
  kind: CellKind,
  layer: FusableLayer,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Kwargs,
  resetAfter = false,
): tf.Tensor | tf.Tensor[] {
  return tf.tidy(() => {
    const cell = layer.cell as CellView;
    let x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
    const [B, T, F] = x.shape;
    const U = cell.units;
    const training = kwargs?.["training"] === true;
    if (training && cell.dropout > 0 && cell.dropout < 1) {
      const keep = tf.dropout(tf.ones([B, F]), cell.dropout);
      x = tf.mul(x, tf.expandDims(keep, 1));
    }
    if (layer.goBackwards) x = tf.reverse(x, 1);
    const x2d = tf.reshape(tf.transpose(x, [1, 0, 2]), [T * B, F]) as tf.Tensor2D;
    let xw: tf.Tensor = tf.matMul(x2d, cell.kernel.read() as tf.Tensor2D);
    let recurrentBias: tf.Tensor1D | null = null;
    if (cell.useBias && cell.bias != null) {
      const bias = cell.bias.read();
      if (kind === "gru" && resetAfter) {
        const [bIn, bRec] = tf.unstack(bias, 0);
        xw = tf.add(xw, bIn);
        recurrentBias = bRec as tf.Tensor1D;
      } else {
        xw = tf.add(xw, bias);
      }
    }
    const G = kind === "lstm" ? 4 : kind === "gru" ? 3 : 1;
    const xw3 = tf.reshape(xw, [T, B, G * U]) as tf.Tensor3D;
    const rawMask = kwargs?.["mask"] as tf.Tensor | null | undefined;
    let mask: tf.Tensor2D;
    if (rawMask != null) {
      mask = tf.transpose(tf.cast(tf.reshape(rawMask, [B, T]), "float32")) as tf.Tensor2D;
      if (layer.goBackwards) mask = tf.reverse(mask, 0);
    } else {
      mask = tf.ones([T, B]) as tf.Tensor2D;
    }
    const activation = activationCode(cell.activation.getClassName()) as number;
    const recurrentActivation = activationCode(cell.recurrentActivation?.getClassName() ?? "sigmoid") as number;
    const acts = { activation, recurrentActivation };
    const r = cell.recurrentKernel.read() as tf.Tensor2D;
    let hSeq: tf.Tensor3D;
    let cLast: tf.Tensor2D | null = null;
    if (kind === "lstm") {
      const seq = lstmSequence(xw3, r, mask, acts, layer.returnState);
      if (layer.returnState) {
        const [h, c] = tf.split(seq, 2, 2) as tf.Tensor3D[];
        hSeq = h;
        cLast = tf.reshape(tf.slice(c, [T - 1, 0, 0], [1, B, U]), [B, U]) as tf.Tensor2D;
      } else {
        hSeq = seq;
      }
    } else if (kind === "gru") {
      const rb = recurrentBias ?? (tf.zeros([3 * U]) as tf.Tensor1D);
      hSeq = gruSequence(xw3, r, rb, mask, acts, resetAfter);
    } else {
      hSeq = simpleRnnSequence(xw3, r, mask, activation);
    }
    const hLast = tf.reshape(tf.slice(hSeq, [T - 1, 0, 0], [1, B, U]), [B, U]);
    const output = layer.returnSequences ? tf.transpose(hSeq, [1, 0, 2]) : hLast;
    if (!layer.returnState) return output;
    return cLast != null ? [output, hLast, cLast] : [output, hLast];
  });
}
