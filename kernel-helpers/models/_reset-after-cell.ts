/**
 * Keras' default GRU form (`reset_after=True`), which tfjs-layers lacks: the reset gate
 * multiplies the recurrent projection after the matmul, and the bias has shape `[2, 3 * units]`
 * (row 0 input bias, row 1 recurrent bias), as in Keras' saved weights.
 *
 * The fused GRU runs this maths in one kernel; this cell is its step-by-step form, used when
 * the fused kernel cannot run (e.g. `recurrentDropout`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import type { GRUCellLayerArgs } from "@tensorflow/tfjs-layers/dist/layers/recurrent";
import type { Kwargs } from "@tensorflow/tfjs-layers/dist/types";
import { StandardGRUCell } from "./_standard";

/** A GRU cell with `resetAfter: true` (Keras' default). */
export class ResetAfterGRUCell extends StandardGRUCell {
  /** Always true for this cell. */
  readonly resetAfter = true;

  /**
   * @param args The GRU cell config (its `resetAfter` is implied).
   */
  constructor(args: GRUCellLayerArgs) {
    super({ ...args, resetAfter: false });
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inputDim = shape[shape.length - 1] as number;
    this.kernel = this.addWeight("kernel", [inputDim, this.units * 3], undefined, this.kernelInitializer,
      this.kernelRegularizer, true, this.kernelConstraint);
    this.recurrentKernel = this.addWeight("recurrent_kernel", [this.units, this.units * 3], undefined,
      this.recurrentInitializer, this.recurrentRegularizer, true, this.recurrentConstraint);
    if (this.useBias) {
      this.bias = this.addWeight("bias", [2, this.units * 3], undefined, this.biasInitializer,
        this.biasRegularizer, true, this.biasConstraint);
    } else {
      this.bias = null as unknown as typeof this.bias;
    }
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor[] {
    return tf.tidy(() => {
      const list = inputs as tf.Tensor[];
      const training = kwargs["training"] == null ? false : (kwargs["training"] as boolean);
      let x = list[0] as tf.Tensor2D;
      let hPrev = list[1] as tf.Tensor2D;
      if (0 < this.dropout && this.dropout < 1) {
        if (this.dropoutMask == null) {
          this.dropoutMask = [tf.keep(training ? tf.dropout(tf.onesLike(x), this.dropout) : tf.onesLike(x))];
        }
        x = tf.mul(x, (this.dropoutMask as tf.Tensor[])[0]);
      }
      if (0 < this.recurrentDropout && this.recurrentDropout < 1) {
        if (this.recurrentDropoutMask == null) {
          this.recurrentDropoutMask = [
            tf.keep(training ? tf.dropout(tf.onesLike(hPrev), this.recurrentDropout) : tf.onesLike(hPrev)),
          ];
        }
        hPrev = tf.mul(hPrev, (this.recurrentDropoutMask as tf.Tensor[])[0]);
      }
      let matrixX = tf.matMul(x, this.kernel.read() as tf.Tensor2D);
      let inner = tf.matMul(hPrev, this.recurrentKernel.read() as tf.Tensor2D);
      if (this.useBias) {
        const [bIn, bRec] = tf.unstack(this.bias.read(), 0);
        matrixX = tf.add(matrixX, bIn);
        inner = tf.add(inner, bRec);
      }
      const [xZ, xR, xH] = tf.split(matrixX, 3, 1);
      const [iZ, iR, iH] = tf.split(inner, 3, 1);
      const z = this.recurrentActivation.apply(tf.add(xZ, iZ));
      const r = this.recurrentActivation.apply(tf.add(xR, iR));
      const hh = this.activation.apply(tf.add(xH, tf.mul(r, iH)));
      const h = tf.add(tf.mul(z, hPrev), tf.mul(tf.sub(1, z), hh));
      return [h, h];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), resetAfter: true };
  }
}
