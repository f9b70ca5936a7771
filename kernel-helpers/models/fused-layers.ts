/**
 * Fused recurrent layers: `LSTM`, `GRU` and `SimpleRNN` with tfjs-layers' config, weights and
 * maths, whose whole sequence (forward and backward) runs as one TensorFlow kernel call on the
 * `tensorflow` backend.
 *
 * seqlab's global patches (`_recurrent-patches.ts`, installed by the kernel and on import of
 * kernel-helpers) make them the default: `tf.layers.lstm`, `tf.layers.gru` and
 * `tf.layers.simpleRNN` return these layers, and saved models with such layers load as them,
 * so students' code runs fused unchanged. `withStandardRecurrentLayers` runs code with the
 * stock ones.
 *
 * Design: each class extends the stock tfjs-layers class and only replaces `call`, so config,
 * weights (`kernel`, `recurrent_kernel`, `bias`, same names, shapes and gate order), masking
 * and the `Bidirectional` wrapper behave exactly as in tfjs-layers. They are serialized under
 * the stock class names, so `model.save()` writes plain `"LSTM"`/`"GRU"`/`"SimpleRNN"` layers
 * that stock tfjs-layers loads as its standard layers, and `tf.loadLayersModel` in seqlab
 * loads them as the fused ones.
 *
 * When a call cannot be fused (`recurrentDropout`, `stateful`, an `initialState`, an
 * activation the kernels lack, the kernels not built, another backend),
 * the layer runs the standard step-by-step code and says so once (see
 * {@link setFusedNoticeHandler}).
 *
 * Porting note: `hardSigmoid` (tfjs-layers' default `recurrentActivation`) is tfjs'
 * `clip(0.2 * x + 0.5, 0, 1)`, as in the standard layers; Keras 3's is `clip(x / 6 + 0.5, 0, 1)`.
 * Keras' recurrent defaults (`sigmoid`, `glorotUniform`, LSTM `unitForgetBias`) must be set
 * explicitly, as the builders do.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import type { GRULayerArgs, LSTMLayerArgs, SimpleRNNLayerArgs } from "@tensorflow/tfjs-layers/dist/layers/recurrent";
import type { Kwargs } from "@tensorflow/tfjs-layers/dist/types";
import { ShapeError } from "../errors";
import { CellKind, FusableLayer, fusedRecurrentCall, unfusableReason } from "./_fused-call";
import { checkRecurrentArgs } from "./_layer-args";
import { noticeOnce } from "./_notice";
import { ResetAfterGRUCell } from "./_reset-after-cell";
import { StandardGRU, StandardLSTM, StandardSimpleRNN } from "./_standard";

/**
 * Checks a call's `mask` against its inputs: one entry per sample and step, `[batch, time]`
 * (or `[batch, time, 1]`), as tfjs-layers' `rnn()` reads it.
 */
function checkMask(className: string, inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): void {
  const mask = kwargs?.["mask"] as tf.Tensor | null | undefined;
  const x = Array.isArray(inputs) ? inputs[0] : inputs;
  if (mask == null || x.rank !== 3) return;
  const [batch, time] = x.shape;
  const ok =
    mask.shape[0] === batch &&
    mask.shape[1] === time &&
    (mask.rank === 2 || (mask.rank === 3 && mask.shape[2] === 1));
  if (!ok) {
    throw new ShapeError(
      `${className}: \`mask\` must have shape [batch, time] = [${batch}, ${time}], one entry per sample and ` +
        `step of inputs [${x.shape.join(", ")}]. Received: mask with shape [${mask.shape.join(", ")}]`,
    );
  }
}

function fusedOrStandard(
  kind: CellKind,
  className: string,
  layer: FusableLayer,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Kwargs,
  standard: () => tf.Tensor | tf.Tensor[],
  resetAfter = false,
): tf.Tensor | tf.Tensor[] {
  checkMask(className, inputs, kwargs);
  const reason = unfusableReason(kind, layer, inputs, kwargs);
  if (reason !== null) {
    noticeOnce(`${className}:${reason}`, `seqlab: ${reason}; ${className} runs as the standard (slower) layer.`);
    return standard();
  }
  return fusedRecurrentCall(kind, layer, inputs, kwargs, resetAfter);
}

/**
 * A tfjs-layers `LSTM` whose sequence runs as one fused kernel (see the module notes).
 *
 * @example
 * ```ts
 * import { FusedLSTM } from "kernel-helpers";
 * const layer = new FusedLSTM({ units: 32, returnSequences: true });
 * ```
 */
export class FusedLSTM extends StandardLSTM {
  /** Serialized as the stock class name, so stock tfjs-layers loads saved models. */
  static override className = "LSTM";

  /**
   * @param args The same config as `tf.layers.lstm`.
   */
  constructor(args: LSTMLayerArgs) {
    super(checkRecurrentArgs(args, "lstm"));
  }

  /**
   * Builds the weights inside `tf.tidy`: tfjs-layers' `unitForgetBias` initializer leaves four
   * intermediate tensors behind (variables survive `tidy`).
   */
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    tf.tidy(() => super.build(inputShape));
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return fusedOrStandard("lstm", "LSTM", this, inputs, kwargs, () => super.call(inputs, kwargs));
  }
}

/** Config of {@link FusedGRU}: tfjs-layers' GRU config plus Keras' `resetAfter`. */
export interface FusedGRULayerArgs extends GRULayerArgs {
  /**
   * Keras' `reset_after`: apply the reset gate after the recurrent matmul, with a separate
   * recurrent bias (bias shape `[2, 3 * units]`). Keras' default is `true`; tfjs-layers only
   * has the `false` form.
   * @default false
   */
  resetAfter?: boolean;
}

/**
 * A tfjs-layers `GRU` whose sequence runs as one fused kernel, with Keras' `resetAfter` form
 * available.
 *
 * Porting note: stock tfjs-layers cannot load a GRU saved with `resetAfter: true` (its GRU has
 * only the reset-before form); seqlab and Keras can.
 *
 * @example
 * ```ts
 * import { FusedGRU } from "kernel-helpers";
 * const layer = new FusedGRU({ units: 32, resetAfter: true });
 * ```
 */
export class FusedGRU extends StandardGRU {
  /** Serialized as the stock class name, so stock tfjs-layers loads saved models. */
  static override className = "GRU";
  /** Whether the reset gate applies after the recurrent matmul (Keras' default form). */
  readonly resetAfter: boolean;

  /**
   * @param args The same config as `tf.layers.gru`, plus `resetAfter`.
   */
  constructor(args: FusedGRULayerArgs) {
    const { resetAfter, ...rest } = checkRecurrentArgs(args, "gru");
    super(rest);
    this.resetAfter = resetAfter === true;
    if (this.resetAfter) {
      const { cell: _cell, ...cellArgs } = rest as GRULayerArgs & { cell?: unknown };
      void _cell;
      (this as unknown as { cell: unknown }).cell = new ResetAfterGRUCell(cellArgs);
    }
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return fusedOrStandard("gru", "GRU", this, inputs, kwargs, () => super.call(inputs, kwargs), this.resetAfter);
  }
}

/**
 * A tfjs-layers `SimpleRNN` whose sequence runs as one fused kernel.
 *
 * @example
 * ```ts
 * import { FusedSimpleRNN } from "kernel-helpers";
 * const layer = new FusedSimpleRNN({ units: 32 });
 * ```
 */
export class FusedSimpleRNN extends StandardSimpleRNN {
  /** Serialized as the stock class name, so stock tfjs-layers loads saved models. */
  static override className = "SimpleRNN";

  /**
   * @param args The same config as `tf.layers.simpleRNN`.
   */
  constructor(args: SimpleRNNLayerArgs) {
    super(checkRecurrentArgs(args, "simpleRNN"));
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return fusedOrStandard("simpleRNN", "SimpleRNN", this, inputs, kwargs, () => super.call(inputs, kwargs));
  }
}

/**
 * Creates a fused LSTM layer: `tf.layers.lstm`'s config and maths, one kernel per sequence.
 *
 * @param args The same config as `tf.layers.lstm` (`units` required).
 * @returns The layer.
 * @throws {InvalidArgumentError} Without a config object or a positive integer `units`.
 * @throws Whatever `tf.layers.lstm` throws for another bad config.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-node";
 * import { lstm } from "kernel-helpers";
 * const model = tf.sequential({ layers: [
 *   lstm({ units: 32, inputShape: [50, 8], recurrentActivation: "sigmoid" }),
 *   tf.layers.dense({ units: 1 }),
 * ] });
 * ```
 */
export function lstm(args: LSTMLayerArgs): FusedLSTM {
  return new FusedLSTM(args);
}

/**
 * Creates a fused GRU layer: `tf.layers.gru`'s config and maths (plus Keras' `resetAfter`),
 * one kernel per sequence.
 *
 * @param args The same config as `tf.layers.gru`, plus `resetAfter` (default `false`).
 * @returns The layer.
 * @throws {InvalidArgumentError} Without a config object or a positive integer `units`.
 * @throws Whatever `tf.layers.gru` throws for another bad config.
 * @example
 * ```ts
 * import { gru } from "kernel-helpers";
 * const layer = gru({ units: 32, returnSequences: true });
 * ```
 */
export function gru(args: FusedGRULayerArgs): FusedGRU {
  return new FusedGRU(args);
}

/**
 * Creates a fused SimpleRNN layer: `tf.layers.simpleRNN`'s config and maths, one kernel per
 * sequence.
 *
 * @param args The same config as `tf.layers.simpleRNN`.
 * @returns The layer.
 * @throws {InvalidArgumentError} Without a config object or a positive integer `units`.
 * @throws Whatever `tf.layers.simpleRNN` throws for another bad config.
 * @example
 * ```ts
 * import { simpleRNN } from "kernel-helpers";
 * const layer = simpleRNN({ units: 16 });
 * ```
 */
export function simpleRNN(args: SimpleRNNLayerArgs): FusedSimpleRNN {
  return new FusedSimpleRNN(args);
}
