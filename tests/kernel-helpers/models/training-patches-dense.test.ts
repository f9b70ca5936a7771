import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs-node";
import { lstm } from "kernel-helpers";
import { ensureFusedKernels, helperPatch, maxAbsDiff, standardPath, wave, withoutPatchesAsync } from "./_helpers";

const DENSE = "tfjs Dense layer";



type Activation = "linear" | "sigmoid" | "tanh" | "relu" | "softmax";

/** A Dense layer with wave weights: its output and the gradients of sum(y · c) for the input, kernel and bias. */
function denseRun(units: number, activation: Activation, useBias: boolean, x: tf.Tensor): tf.Tensor[] {
  const layer = tf.layers.dense({ units, activation, useBias });
  tf.dispose(layer.apply(x) as tf.Tensor);
  const start = layer.getWeights().map((w, i) => wave(w.shape, 0.6, 0.4 * i + 0.1));
  layer.setWeights(start);
  tf.dispose(start);
  const vars = layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const out = tf.tidy(() => {
    const y = layer.apply(x) as tf.Tensor;
    const c = wave(y.shape, 1, 0.5, 0.31);
    const objective = (input: tf.Tensor): tf.Scalar => tf.sum(tf.mul(layer.apply(input) as tf.Tensor, c));
    const { value, grads } = tf.variableGrads(() => objective(x), vars);
    value.dispose();
    const dx = tf.grad(objective)(x);
    return [y, dx, ...vars.map((v) => grads[v.name])];
  });
  layer.dispose();
  return out;
}

async function kernelsOf(fn: () => void): Promise<string[]> {
  return (await tf.profile(fn)).kernels.map((k) => k.name);
}

/** The relative difference max |a - b| / (max |b| + 1e-6). */
function relDiff(a: tf.Tensor, b: tf.Tensor): number {
  const scale = tf.tidy(() => tf.max(tf.abs(b)).dataSync()[0]);
  return maxAbsDiff(a, b) / (scale + 1e-6);
}

describe("training patches: fused Dense layer", function () {
  before(function () {
    ensureFusedKernels();
  });

  it("is listed and installed, and uninstalling restores tfjs-layers' own Dense call", async function () {
    const proto = Object.getPrototypeOf(tf.layers.dense({ units: 1 })) as { call: unknown };
    const patched = proto.call;
    assert.ok(helperPatch(DENSE).installed);
    const stock = await withoutPatchesAsync([DENSE], () => proto.call);
    assert.notEqual(stock, patched);
    // Reinstalling replaces tfjs' call again.
    assert.notEqual(proto.call, stock);
  });

  for (const activation of ["linear", "sigmoid", "tanh", "relu"] as const) {
    for (const useBias of [true, false]) {
      it(`${activation}${useBias ? "" : ", no bias"}: the same output and input, kernel and bias gradients as tfjs' Dense, without its ops or leaks`, async function () {
        const x = wave([7, 5], 1.5, 0.2, 0.53);
        denseRun(3, activation, useBias, x).forEach((t) => t.dispose()); // warm-up (the kernel's probe)
        const before = tf.memory().numTensors;
        const fused = denseRun(3, activation, useBias, x);
        assert.equal(tf.memory().numTensors, before + fused.length, "the fused Dense leaked tensors");
        const stock = await withoutPatchesAsync([DENSE], () => denseRun(3, activation, useBias, x));
        assert.equal(fused.length, useBias ? 4 : 3);
        const names = ["output", "input gradient", "kernel gradient", "bias gradient"];
        fused.forEach((t, i) => {
          assert.deepEqual(t.shape, stock[i].shape, names[i]);
          assert.ok(relDiff(t, stock[i]) < 1e-5, `${names[i]} differs by ${relDiff(t, stock[i])}`);
        });
        const layer = tf.layers.dense({ units: 3, activation, useBias });
        const grad = (): void => tf.tidy(() => void tf.grad((input: tf.Tensor) => tf.sum(layer.apply(input) as tf.Tensor))(x));
        const fusedKernels = await kernelsOf(grad);
        const stockKernels = await withoutPatchesAsync([DENSE], () => kernelsOf(grad));
        assert.ok(stockKernels.some((k) => k.endsWith("MatMul")), stockKernels.join(" "));
        assert.ok(!fusedKernels.some((k) => k.endsWith("MatMul")), fusedKernels.join(" "));
        layer.dispose();
        tf.dispose([x, ...fused, ...stock]);
      });
    }
  }

  it("at the size limit (2^21 multiply-adds) still fused, with tfjs' values", async function () {
    const x = wave([128, 128], 1, 0.3, 0.41);
    const layer = tf.layers.dense({ units: 128, activation: "tanh" });
    const kernels = await kernelsOf(() => tf.tidy(() => void layer.apply(x)));
    assert.ok(!kernels.some((k) => k.endsWith("MatMul")), kernels.join(" "));
    const fused = denseRun(128, "tanh", true, x);
    const stock = await withoutPatchesAsync([DENSE], () => denseRun(128, "tanh", true, x));
    fused.forEach((t, i) => assert.ok(relDiff(t, stock[i]) < 1e-5, `result ${i} differs by ${relDiff(t, stock[i])}`));
    layer.dispose();
    tf.dispose([x, ...fused, ...stock]);
  });

  it("leaves to tfjs' Dense what the kernel does not take (rank-3 input, softmax, a large product, SEQLAB_FUSED=0), with tfjs' values", async function () {
    const cases: Array<[string, number, Activation, tf.Tensor]> = [
      ["rank-3 input", 3, "sigmoid", wave([2, 4, 5], 1, 0.3)],
      ["softmax", 3, "softmax", wave([6, 5], 1, 0.3)],
      ["a product over the limit", 128, "sigmoid", wave([256, 65], 1, 0.3)],
    ];
    for (const [what, units, activation, x] of cases) {
      const layer = tf.layers.dense({ units, activation });
      const kernels = await kernelsOf(() => tf.tidy(() => void layer.apply(x)));
      assert.ok(kernels.some((k) => k.endsWith("MatMul")), `${what}: ${kernels.join(" ")}`);
      const fused = denseRun(units, activation, true, x);
      const stock = await withoutPatchesAsync([DENSE], () => denseRun(units, activation, true, x));
      fused.forEach((t, i) => assert.equal(maxAbsDiff(t, stock[i]), 0, `${what}: result ${i} differs`));
      layer.dispose();
      tf.dispose([x, ...fused, ...stock]);
    }
    const x = wave([7, 5], 1, 0.3);
    const layer = tf.layers.dense({ units: 2, activation: "sigmoid" });
    const off = await standardPath(() => kernelsOf(() => tf.tidy(() => void layer.apply(x))));
    assert.ok(off.some((k) => k.endsWith("MatMul")) && off.includes("Sigmoid"), off.join(" "));
    const on = await kernelsOf(() => tf.tidy(() => void layer.apply(x)));
    assert.ok(!on.some((k) => k.endsWith("MatMul")), on.join(" "));
    layer.dispose();
    x.dispose();
  });

  it("the kernels refuse inputs whose shapes do not fit, naming them", function () {
    type Backend = { executeMultipleOutputs(op: string, attrs: unknown[], inputs: tf.Tensor[], n: number): tf.Tensor[] };
    const backend = tf.backend() as unknown as Backend;
    const attr = { name: "activation", type: (backend as unknown as { binding: { TF_ATTR_STRING: number } }).binding.TF_ATTR_STRING, value: "sigmoid" };
    tf.tidy(() => {
      assert.throws(() => backend.executeMultipleOutputs("SeqlabDense", [attr], [tf.ones([2, 3]), tf.ones([4, 1]), tf.ones([1])], 1), /x must be \[batch, K\] and kernel \[K, units\], got x \[2,3\] and kernel \[4,1\]/);
      assert.throws(() => backend.executeMultipleOutputs("SeqlabDense", [attr], [tf.ones([2, 3]), tf.ones([3, 2]), tf.ones([3])], 1), /bias must have 2 elements \(or none\), got 3/);
      assert.throws(() => backend.executeMultipleOutputs("SeqlabDenseGrad", [attr], [tf.ones([2, 1]), tf.ones([2, 3]), tf.ones([3, 2]), tf.ones([2, 2])], 3), /dy must have 4 elements, got 2/);
    });
  });

  it("fit: LSTM → Dense(relu) → Dense(sigmoid) trains to tfjs' history, batch logs and weights, with metrics, validation, shuffling and callbacks, without leaks", async function () {
    const n = 40;
    const x = wave([n, 6, 3], 1, 0.2, 0.61);
    const y = tf.tidy(() => tf.cast(tf.greater(wave([n, 1], 1, 0.1, 2.1), 0), "float32"));
    const train = async (): Promise<{ history: Record<string, number[]>; batchLogs: number[][]; weights: Float32Array[]; kernels: string[] }> => {
      const model = tf.sequential();
      model.add(lstm({ units: 4, inputShape: [6, 3] }));
      model.add(tf.layers.dense({ units: 5, activation: "relu" }));
      model.add(tf.layers.dense({ units: 1, activation: "sigmoid" }));
      model.compile({ optimizer: tf.train.adam(0.02), loss: "binaryCrossentropy", metrics: ["accuracy"] });
      const start = model.getWeights().map((w, i) => wave(w.shape, 0.4, 0.5 * i));
      model.setWeights(start);
      tf.dispose(start);
      const batchLogs: number[][] = [];
      // tfjs shuffles with Math.random: seeded, both runs see the same batches.
      let seed = 7;
      Math.random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
      const history = await model.fit(x, y, {
        epochs: 4,
        batchSize: 8,
        validationSplit: 0.2,
        verbose: 0,
        callbacks: { onBatchEnd: async (batch, logs) => void batchLogs.push([batch, logs?.size ?? -1, logs?.loss ?? NaN, logs?.acc ?? NaN]) },
      });
      Math.random = random;
      const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
      const xb = tf.slice(x, 0, 8);
      const kernels = await kernelsOf(() => tf.tidy(() => void model.predict(xb)));
      xb.dispose();
      const optimizer = model.optimizer;
      model.dispose();
      optimizer.dispose();
      return { history: history.history as Record<string, number[]>, batchLogs, weights, kernels };
    };
    const random = Math.random;
    try {
      await train(); // warm-up
      const before = tf.memory().numTensors;
      const fused = await train();
      assert.equal(tf.memory().numTensors, before, "fit with the fused Dense leaked tensors");
      const stock = await withoutPatchesAsync([DENSE], train);
      assert.ok(!fused.kernels.some((k) => k.endsWith("MatMul")), fused.kernels.join(" "));
      assert.ok(stock.kernels.some((k) => k.endsWith("MatMul")), stock.kernels.join(" "));
      assert.deepEqual(Object.keys(fused.history).sort(), ["acc", "loss", "val_acc", "val_loss"]);
      for (const key of Object.keys(stock.history)) {
        fused.history[key].forEach((v, i) => assert.ok(Math.abs(v - stock.history[key][i]) < 1e-5, `${key}[${i}]: ${v} vs ${stock.history[key][i]}`));
      }
      assert.equal(fused.batchLogs.length, 4 * 4);
      fused.batchLogs.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - stock.batchLogs[i][j]) < 1e-5, `batch log ${i}[${j}]: ${v} vs ${stock.batchLogs[i][j]}`)));
      fused.weights.forEach((w, i) => {
        const d = Math.max(...w.map((v, j) => Math.abs(v - stock.weights[i][j])));
        assert.ok(d < 1e-5, `weight ${i} differs by ${d}`);
      });
    } finally {
      Math.random = random;
      tf.dispose([x, y]);
    }
  });
});
