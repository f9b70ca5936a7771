import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs-node";
import { ensureFusedKernels, lossFunctions, maxAbsDiff, wave, withoutPatches, type LossFn } from "./_helpers";



const LOSS_PATCHES = ["tfjs binaryCrossentropy loss", "tfjs sparseCategoricalCrossentropy loss"];

/** The loss function a model compiled with `loss` computes with (seqlab's fused one unless patches are off). */
function compiledLoss(loss: string, classes: number): LossFn {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: classes, inputShape: [1] })] });
  model.compile({ optimizer: "sgd", loss });
  const fn = lossFunctions(model)[0];
  model.dispose();
  return fn;
}

/** The largest difference relative to the largest magnitude of `b`. */
function relDiff(a: tf.Tensor, b: tf.Tensor): number {
  const scale = Math.max(1e-6, ...Array.from(b.dataSync(), Math.abs));
  return maxAbsDiff(a, b) / scale;
}

/** `sum(g(x)²)` where g is the gradient of `f`: differentiating it needs the gradient of a gradient. */
function gradientNorm(f: (x: tf.Tensor) => tf.Tensor): (x: tf.Tensor) => tf.Scalar {
  return (x) => tf.sum(tf.square(tf.grad(f)(x)));
}

/**
 * Asserts that `compute` (a second derivative) gives with the patches what it gives without
 * them: the same values (and not trivially zero), or, where tfjs' own ops cannot be
 * differentiated twice, the same error.
 */
function assertSecondDerivative(name: string, compute: () => tf.Tensor, patches: string[]): void {
  const before = tf.memory().numTensors;
  let theirs: tf.Tensor | Error;
  try {
    theirs = withoutPatches(patches, () => tf.tidy(compute));
  } catch (err) {
    theirs = err as Error;
  }
  if (theirs instanceof Error) {
    const stockError = theirs;
    assert.throws(() => tf.tidy(compute), (err: Error) => err.message === stockError.message, `${name}: tfjs' own error`);
    return;
  }
  const ours = tf.tidy(compute);
  assert.ok(tf.tidy(() => tf.sum(tf.abs(theirs as tf.Tensor)).dataSync()[0]) > 1e-4, `${name}: a non-trivial second derivative`);
  assert.ok(relDiff(ours, theirs) < 1e-5, `${name}: relative difference ${relDiff(ours, theirs)}`);
  tf.dispose([ours, theirs]);
  assert.equal(tf.memory().numTensors, before, `${name}: no tensor left behind`);
}

describe("fused training kernels under a gradient of a gradient", function () {
  this.timeout(120_000);
  before(() => ensureFusedKernels());

  it("a first-order gradient still runs the fused kernels", async () => {
    const layer = tf.layers.dense({ units: 2, activation: "tanh", inputShape: [3] });
    const x = wave([4, 3]);
    const info = await tf.profile(() => tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t) as tf.Tensor))(x));
    tf.dispose(info.result as tf.Tensor);
    const names = info.kernels.map((k) => k.name);
    assert.ok(!names.includes("MatMul") && !names.includes("_FusedMatMul") && !names.includes("BatchMatMul"), names.join(" "));
    tf.dispose([...layer.getWeights(), x]);
  });

  it("softmax (its gradient is patched process-wide) behaves as tfjs' own under a nested gradient", () => {
    const z = wave([3, 5]);
    const w = wave([3, 5], 1, 1.3);
    assertSecondDerivative("softmax", () => tf.grad(gradientNorm((x) => tf.sum(tf.mul(tf.softmax(x), w))))(z), ["tfjs softmax gradient"]);
    tf.dispose([z, w]);
  });

  it("the fused Dense layer, for every activation it runs, gives tfjs' second derivative", () => {
    const x = wave([4, 3]);
    const c = wave([4, 2], 1, 2.1);
    for (const activation of ["linear", "sigmoid", "tanh", "relu"] as const) {
      const layer = tf.layers.dense({ units: 2, activation, inputShape: [3] });
      layer.build([null, 3]);
      layer.setWeights([wave([3, 2], 0.5, 0.4), wave([2], 0.3, 0.9)]);
      assertSecondDerivative(
        `dense ${activation}`,
        () => tf.grad(gradientNorm((t) => tf.sum(tf.mul(tf.square(layer.apply(t) as tf.Tensor), c))))(x),
        ["tfjs Dense layer"],
      );
      tf.dispose(layer.getWeights());
    }
    tf.dispose([x, c]);
  });

  it("the fused Embedding lookup gives tfjs' second derivative", () => {
    const layer = tf.layers.embedding({ inputDim: 5, outputDim: 3 });
    layer.build([null, 4]);
    layer.setWeights([wave([5, 3])]);
    const ids = tf.tensor2d([[4, 0, 4, 2]], [1, 4], "int32");
    // The layer's own variable: the inner gradient is taken with respect to the table the lookup reads.
    const table = (layer as unknown as { embeddings: { read(): tf.Tensor } }).embeddings.read();
    const up = wave([1, 4, 3], 1, 0.2);
    const lookup = (p: tf.Tensor): tf.Tensor => {
      assert.equal(p, table);
      return layer.apply(ids) as tf.Tensor;
    };
    assertSecondDerivative(
      "embedding",
      () => tf.grad((u: tf.Tensor) => tf.sum(tf.square(tf.grad((p: tf.Tensor) => tf.sum(tf.mul(lookup(p), u)))(table))))(up),
      ["tfjs Embedding lookup"],
    );
    tf.dispose([...layer.getWeights(), ids, up]);
  });

  it("binary and sparse categorical cross-entropy (fused in compiled models) behave as tfjs' own under a nested gradient", () => {
    const probs = tf.sigmoid(wave([4, 3], 2));
    const targets = tf.tensor2d([[1, 0, 1], [0, 0, 1], [1, 1, 0], [0, 1, 0]]);
    assertSecondDerivative(
      "binary cross-entropy",
      () => tf.grad(gradientNorm((p) => tf.sum(compiledLoss("binaryCrossentropy", 3)(targets, p))))(probs),
      LOSS_PATCHES,
    );
    const dist = tf.softmax(wave([2, 3, 4], 2));
    const labels = tf.tensor2d([[0, 3, 1], [2, 2, 0]]);
    assertSecondDerivative(
      "sparse categorical cross-entropy",
      () => tf.grad(gradientNorm((p) => tf.sum(compiledLoss("sparseCategoricalCrossentropy", 4)(labels, p))))(dist),
      LOSS_PATCHES,
    );
    tf.dispose([probs, targets, dist, labels]);
  });
});
