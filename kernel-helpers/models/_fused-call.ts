/**
 * The fused forward pass shared by the three layers: reads the layer's options and weights,
 * runs {@link fusedSequence}, and shapes the result as tfjs-layers' `RNN.call` returns it.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import type { Kwargs } from "@tensorflow/tfjs-layers/dist/types";
import { CellKind, fusedSequence, KernelActivation, kernelActivation } from "./_fused-ops";
import { fusedOpsStatus } from "./_native";

export type { CellKind } from "./_fused-ops";

/** What the fused pass reads from a tfjs-layers recurrent layer. */
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
  if (kernelActivation(cell.activation.getClassName()) === null) {
    return `activation "${cell.activation.getClassName()}" cannot be fused`;
  }
  if (kind !== "simpleRNN" && kernelActivation(cell.recurrentActivation?.getClassName() ?? "") === null) {
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
 * @returns What `RNN.call` returns: the output, then the final states when `returnState`.
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
    if (kwargs?.["training"] === true && cell.dropout > 0 && cell.dropout < 1) {
      // One dropout mask per sample and feature, the same at every step (tfjs-layers' cells).
      const keep = tf.dropout(tf.ones([B, F]), cell.dropout);
      x = tf.mul(x, tf.expandDims(keep, 1));
    }
    let bias: tf.Tensor1D | null = null;
    let recurrentBias: tf.Tensor1D | null = null;
    if (cell.useBias && cell.bias != null) {
      const b = cell.bias.read();
      if (kind === "gru" && resetAfter) {
        [bias, recurrentBias] = tf.unstack(b, 0) as tf.Tensor1D[];
      } else {
        bias = b as tf.Tensor1D;
      }
    }
    const rawMask = kwargs?.["mask"] as tf.Tensor | null | undefined;
    const mask = rawMask != null ? (tf.cast(tf.reshape(rawMask, [B, T]), "float32") as tf.Tensor2D) : null;
    const cfg = {
      kind,
      activation: kernelActivation(cell.activation.getClassName()) as KernelActivation,
      recurrentActivation: kernelActivation(cell.recurrentActivation?.getClassName() ?? "sigmoid") as KernelActivation,
      goBackwards: layer.goBackwards,
      resetAfter,
      returnSequences: layer.returnSequences,
      returnState: layer.returnState,
    };
    const weights = {
      kernel: cell.kernel.read() as tf.Tensor2D,
      recurrentKernel: cell.recurrentKernel.read() as tf.Tensor2D,
      bias,
      recurrentBias,
    };
    const outs = fusedSequence(cfg, x, weights, mask);
    return layer.returnState ? outs : outs[0];
  });
}
