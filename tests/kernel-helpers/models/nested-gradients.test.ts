import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs-node";
import * as tfjsLosses from "@tensorflow/tfjs-layers/dist/losses";
import { helperPatches } from "kernel-helpers/contract";
import { sparseCategoricalCrossentropy } from "../../../kernel-helpers/models/_loss-ops";
import { stockVjp, underOuterTape } from "../../../kernel-helpers/models/_nested-gradients";
import { binaryCrossentropy, dense, gatherRows } from "../../../kernel-helpers/models/_train-ops";
import { ensureFusedKernels, maxAbsDiff, wave } from "./_helpers";

/** The largest difference relative to the largest magnitude of `b`. */
function relDiff(a: tf.Tensor, b: tf.Tensor): number {
  const scale = Math.max(1e-6, ...Array.from(b.dataSync(), Math.abs));
  return maxAbsDiff(a, b) / scale;
}

/** `sum(g(x)²)` where g is the gradient of `f`: differentiating it needs the gradient of a gradient. */
function gradientNorm(f: (x: tf.Tensor) => tf.Tensor): (x: tf.Tensor) => tf.Scalar {
  return (x) => tf.sum(tf.square(tf.grad(f)(x)));
}

describe("fused kernels under a gradient of a gradient", function () {
  this.timeout(120_000);
  before(() => ensureFusedKernels());

  it("underOuterTape is true only while a nested gradient's backward pass runs", () => {
    assert.equal(underOuterTape(), false);
    const seen: boolean[] = [];
    const probe = tf.customGrad((x) => ({
      value: tf.clone(x as tf.Tensor),
      gradFunc: (dy: tf.Tensor) => {
        seen.push(underOuterTape());
        return dy;
      },
    }));
    tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(probe(x) as tf.Tensor))(tf.ones([2])));
    tf.tidy(() => tf.grad(gradientNorm((x) => tf.sum(tf.square(probe(x) as tf.Tensor))))(tf.ones([2])));
    assert.deepEqual(seen, [false, true], "plain gradient, then the inner backward pass of a nested one");
    const [g] = tf.tidy(() => stockVjp((x) => tf.square(x), [tf.tensor1d([3])], tf.tensor1d([1])).map((t) => tf.keep(t)));
    assert.deepEqual(Array.from(g.dataSync()), [6]);
    g.dispose();
  });

  it("softmax (patched gradient) gives tfjs' second derivative", () => {
    const softmax = helperPatches().find((p) => p.name === "tfjs softmax gradient")!;
    const z = wave([3, 5]);
    const w = wave([3, 5], 1, 1.3);
    const second = (): tf.Tensor => tf.tidy(() => tf.grad(gradientNorm((x) => tf.sum(tf.mul(tf.softmax(x), w))))(z));
    const before = tf.memory().numTensors;
    const ours = second();
    softmax.uninstall();
    let theirs: tf.Tensor;
    try {
      theirs = second();
    } finally {
      softmax.install();
    }
    assert.ok(tf.sum(tf.abs(theirs)).dataSync()[0] > 1e-3, "a non-trivial second derivative");
    assert.ok(relDiff(ours, theirs) < 1e-5, `softmax: ${relDiff(ours, theirs)}`);
    tf.dispose([ours, theirs]);
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([z, w]);
  });

  it("Dense, the Embedding's row gather and both losses give the second derivative of their tfjs ops", () => {
    const before = tf.memory().numTensors;
    const x = wave([4, 3]);
    const kernel = wave([3, 2], 0.5, 0.4) as tf.Tensor2D;
    const bias = wave([2], 0.3, 0.9) as tf.Tensor1D;
    const c = wave([4, 2], 1, 2.1);
    const cases: [string, () => tf.Tensor, () => tf.Tensor][] = [];
    for (const act of ["linear", "sigmoid", "tanh", "relu"] as const) {
      const stock = (t: tf.Tensor): tf.Tensor => {
        const zz = tf.add(tf.matMul(t as tf.Tensor2D, kernel), bias);
        return act === "sigmoid" ? tf.sigmoid(zz) : act === "tanh" ? tf.tanh(zz) : act === "relu" ? tf.relu(zz) : zz;
      };
      cases.push([
        `dense ${act}`,
        () => tf.grad(gradientNorm((t) => tf.sum(tf.mul(tf.square(dense(t as tf.Tensor2D, kernel, bias, act)), c))))(x),
        () => tf.grad(gradientNorm((t) => tf.sum(tf.mul(tf.square(stock(t)), c))))(x),
      ]);
    }
    const table = wave([5, 3]);
    const ids = tf.tensor1d([4, 0, 4, 2], "int32");
    const up = wave([4, 3], 1, 0.2);
    cases.push([
      "gather rows",
      () => tf.grad((u: tf.Tensor) => tf.sum(tf.square(tf.grad((p: tf.Tensor) => tf.sum(tf.mul(gatherRows(p, ids), u)))(table))))(up),
      () => tf.grad((u: tf.Tensor) => tf.sum(tf.square(tf.grad((p: tf.Tensor) => tf.sum(tf.mul(tf.gather(p, ids), u)))(table))))(up),
    ]);
    const probs = tf.sigmoid(wave([4, 3], 2));
    const targets = tf.tensor2d([[1, 0, 1], [0, 0, 1], [1, 1, 0], [0, 1, 0]]);
    cases.push([
      "binary cross-entropy",
      () => tf.grad(gradientNorm((p) => tf.sum(binaryCrossentropy(targets, p, tfjsLosses.binaryCrossentropy))))(probs),
      () => tf.grad(gradientNorm((p) => tf.sum(tfjsLosses.binaryCrossentropy(targets, p))))(probs),
    ]);
    const dist = tf.softmax(wave([2, 3, 4], 2));
    const labels = tf.tensor2d([[0, 3, 1], [2, 2, 0]]);
    const stockSce = (t: tf.Tensor, p: tf.Tensor): tf.Tensor => tfjsLosses.sparseCategoricalCrossentropy(t, p);
    cases.push([
      "sparse categorical cross-entropy",
      () => tf.grad(gradientNorm((p) => tf.sum(sparseCategoricalCrossentropy(labels, p, stockSce))))(dist),
      () => tf.grad(gradientNorm((p) => tf.sum(stockSce(labels, p))))(dist),
    ]);
    for (const [name, ours, theirs] of cases) {
      tf.tidy(() => {
        const a = ours();
        const b = theirs();
        assert.ok(tf.sum(tf.abs(b)).dataSync()[0] > 1e-4, `${name}: a non-trivial second derivative`);
        assert.ok(relDiff(a, b) < 1e-5, `${name}: ${relDiff(a, b)}`);
      });
    }
    tf.dispose([x, kernel, bias, c, table, ids, up, probs, targets, dist, labels]);
    assert.equal(tf.memory().numTensors, before);
  });
});
