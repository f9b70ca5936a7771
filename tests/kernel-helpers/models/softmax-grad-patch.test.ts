import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs-node";
import { assertSame, ensureFusedKernels, helperPatch, wave, withoutPatchesAsync } from "./_helpers";

const SOFTMAX = "tfjs softmax gradient";



/** The gradient of `sum(softmax(z) · w)` with respect to z. */
function softmaxGradient(z: tf.Tensor, w: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.softmax(x), w)))(z));
}

async function kernelNames(z: tf.Tensor, w: tf.Tensor): Promise<string[]> {
  const info = await tf.profile(() => softmaxGradient(z, w));
  info.result && tf.dispose(info.result as tf.Tensor);
  return info.kernels.map((k) => k.name);
}

describe("softmax gradient patch: one fused kernel, tfjs' gradient bit for bit", function () {
  before(async function () {
    ensureFusedKernels();
    const z = tf.ones([2, 3]);
    const names = await kernelNames(z, z);
    z.dispose();
    if (names.includes("Sub")) throw new Error("the fused op library lacks SeqlabSoftmaxGrad: run `npm run seqlab -- setup` to rebuild it");
  });

  for (const shape of [[32, 100, 60], [7, 3], [5], [2, 9000], [4, 2, 3, 33]]) {
    it(`the same gradient as tfjs' own for logits [${shape}], leaking nothing`, async function () {
      const z = tf.tidy(() => tf.mul(wave(shape, 3, 0.1, 0.37), 4));
      const w = wave(shape, 1, 0.5, 1.3);
      const before = tf.memory().numTensors;
      const fused = softmaxGradient(z, w);
      assert.equal(tf.memory().numTensors, before + 1, "the fused gradient leaked tensors");
      const stock = await withoutPatchesAsync([SOFTMAX], () => softmaxGradient(z, w));
      assertSame(fused, stock, "gradient");
      tf.dispose([z, w, fused, stock]);
    });
  }

  it("runs one kernel instead of tfjs' Multiply/Sum/Sub chain; tfjs' own with SEQLAB_FUSED=0; uninstalling restores tfjs' registered gradient", async function () {
    const z = wave([4, 6], 2);
    const w = wave([4, 6], 1, 0.4);
    const fused = await kernelNames(z, w);
    const stock = await withoutPatchesAsync([SOFTMAX], () => kernelNames(z, w));
    assert.ok(stock.includes("Sub") && !fused.includes("Sub"), `${fused.join(",")} vs ${stock.join(",")}`);
    assert.ok(fused.length < stock.length);
    process.env.SEQLAB_FUSED = "0";
    try {
      assert.ok((await kernelNames(z, w)).includes("Sub"));
    } finally {
      delete process.env.SEQLAB_FUSED;
    }
    const installed = tf.getGradient("Softmax");
    const original = await withoutPatchesAsync([SOFTMAX], () => tf.getGradient("Softmax"));
    assert.notEqual(installed, original);
    assert.deepEqual(installed?.outputsToSave, original?.outputsToSave);
    // NaN and infinite logits: the same as tfjs'.
    const odd = tf.tensor2d([[NaN, 1, 2], [Infinity, 0, 0], [-Infinity, 0, 1]]);
    const ow = tf.ones([3, 3]);
    const a = softmaxGradient(odd, ow);
    const b = await withoutPatchesAsync([SOFTMAX], () => softmaxGradient(odd, ow));
    assertSame(a, b, "gradient of odd logits");
    tf.dispose([z, w, odd, ow, a, b]);
  });
});
