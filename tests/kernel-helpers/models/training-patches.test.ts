import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs-node";
import { lstm } from "kernel-helpers";
import { ensureFusedKernels, helperPatch, maxAbsDiff, standardPath, wave, withoutPatches, withoutPatchesAsync } from "./_helpers";

const ADAM = "tfjs Adam update";
const EMBEDDING = "tfjs Embedding lookup";
const BCE = "tfjs binaryCrossentropy loss";



function values(ts: tf.Tensor[]): Float32Array[] {
  return ts.map((t) => t.dataSync() as Float32Array);
}

/** Trains fresh variables with Adam for `steps` steps; returns their values and the optimizer's weights. */
async function adamRun(steps: number, asList: boolean): Promise<{ vars: Float32Array[]; state: Float32Array[]; names: string[] }> {
  const vars = tf.tidy(() => [
    tf.variable(wave([6, 4], 0.5, 0.1)),
    tf.variable(wave([4], 0.5, 0.2)),
    tf.variable(wave([3, 5], 0.5, 0.3)),
  ]);
  const optimizer = tf.train.adam(0.01, 0.8, 0.95, 1e-6);
  for (let s = 0; s < steps; s++) {
    tf.tidy(() => {
      // The third variable gets no gradient on odd steps (tfjs skips its update then).
      const grads = vars.map((v, i) => (i === 2 && s % 2 === 1 ? null : wave(v.shape, 1 + s, 0.7 * s + i, 0.9)));
      if (asList) {
        optimizer.applyGradients(grads.flatMap((g, i) => (g === null ? [] : [{ name: vars[i].name, tensor: g }])));
      } else {
        const map: tf.NamedTensorMap = {};
        grads.forEach((g, i) => {
          if (g !== null) map[vars[i].name] = g;
        });
        optimizer.applyGradients(map as Parameters<typeof optimizer.applyGradients>[0]);
      }
    });
  }
  const weights = await optimizer.getWeights();
  const out = {
    vars: values(vars),
    state: values(weights.map((w) => w.tensor)),
    names: weights.map((w) => w.name.replace(/^.*\//, "")),
  };
  optimizer.dispose();
  tf.dispose([...vars, ...weights.map((w) => w.tensor)]);
  return out;
}

/** The loss functions a compiled model uses (a Sequential's inner model holds them). */
function lossFunctions(model: tf.LayersModel): Array<(t: tf.Tensor, p: tf.Tensor) => tf.Tensor> {
  const m = model as unknown as { model?: unknown; lossFunctions?: unknown };
  return ((m.lossFunctions ?? (m.model as { lossFunctions: unknown }).lossFunctions) as Array<(t: tf.Tensor, p: tf.Tensor) => tf.Tensor>);
}

describe("training patches: fused Adam update, Embedding lookup and binary cross-entropy", function () {
  before(function () {
    ensureFusedKernels();
  });

  it("are listed, installed, and uninstalling restores tfjs' own methods", function () {
    const embeddingProto = Object.getPrototypeOf(tf.layers.embedding({ inputDim: 2, outputDim: 1 })) as { call: unknown };
    const patchedAdam = tf.AdamOptimizer.prototype.applyGradients;
    const patchedCall = embeddingProto.call;
    assert.ok(helperPatch(ADAM).installed && helperPatch(EMBEDDING).installed && helperPatch(BCE).installed);
    const stock = withoutPatches([ADAM, EMBEDDING], () => {
      assert.notEqual(tf.AdamOptimizer.prototype.applyGradients, patchedAdam);
      assert.notEqual(embeddingProto.call, patchedCall);
      return { adam: tf.AdamOptimizer.prototype.applyGradients, call: embeddingProto.call };
    });
    // tfjs' own methods are what tfjs-core and tfjs-layers define, and reinstalling replaces them again.
    assert.notEqual(tf.AdamOptimizer.prototype.applyGradients, stock.adam);
    assert.notEqual(embeddingProto.call, stock.call);
  });

  for (const asList of [false, true]) {
    it(`Adam: the same variables and optimizer state as tfjs' Adam, bit for bit (gradients as ${asList ? "a list" : "a map"})`, async function () {
      const before = tf.memory().numTensors;
      const fused = await adamRun(7, asList);
      assert.equal(tf.memory().numTensors, before, "the fused Adam leaked tensors");
      const stock = await withoutPatchesAsync([ADAM], () => adamRun(7, asList));
      assert.deepEqual(fused.names, stock.names);
      assert.deepEqual(fused.names.slice(1), ["m", "m", "m", "v", "v", "v"]);
      fused.vars.forEach((v, i) => assert.deepEqual(v, stock.vars[i], `variable ${i} differs`));
      fused.state.forEach((v, i) => assert.deepEqual(v, stock.state[i], `optimizer weight ${fused.names[i]} differs`));
    });
  }

  it("the fused kernels do run: no Sqrt/RealDiv in Adam's update, no GatherV2 in the Embedding's lookup (tfjs' own paths have them)", async function () {
    const kernelsOf = async (fn: () => void): Promise<string[]> => (await tf.profile(fn)).kernels.map((k) => k.name);
    const variable = tf.variable(tf.ones([4, 3]));
    const gradient = tf.ones([4, 3]);
    const optimizer = tf.train.adam();
    const step = (): void => optimizer.applyGradients({ [variable.name]: gradient } as Parameters<typeof optimizer.applyGradients>[0]);
    const layer = tf.layers.embedding({ inputDim: 4, outputDim: 2 });
    const ids = tf.tensor2d([[0, 3]], [1, 2], "int32");
    const lookup = (): void => void tf.tidy(() => layer.apply(ids) as tf.Tensor);
    const fusedAdam = await kernelsOf(step);
    const fusedLookup = await kernelsOf(lookup);
    const stockAdam = await withoutPatchesAsync([ADAM], () => kernelsOf(step));
    const stockLookup = await withoutPatchesAsync([EMBEDDING], () => kernelsOf(lookup));
    assert.ok(stockAdam.includes("Sqrt") && stockAdam.includes("RealDiv"), stockAdam.join(" "));
    assert.ok(!fusedAdam.includes("Sqrt") && !fusedAdam.includes("RealDiv"), fusedAdam.join(" "));
    assert.ok(stockLookup.includes("GatherV2"), stockLookup.join(" "));
    assert.ok(!fusedLookup.includes("GatherV2"), fusedLookup.join(" "));
    optimizer.dispose();
    layer.dispose();
    tf.dispose([variable, gradient, ids]);
  });

  it("Adam: no leak over many steps, and tfjs' own path with SEQLAB_FUSED=0", async function () {
    await adamRun(1, false); // warm-up (the kernels' probe)
    const before = tf.memory().numTensors;
    const fused = await adamRun(30, false);
    const off = await standardPath(() => adamRun(30, false));
    assert.equal(tf.memory().numTensors, before);
    fused.vars.forEach((v, i) => assert.deepEqual(v, off.vars[i]));
  });

  it("Embedding: the same rows and the same dense gradient as tfjs' gather (int and float ids, repeats, rank 3 ids)", function () {
    for (const [ids, dtype] of [
      [[[3, 1, 3, 0], [9, 9, 9, 2]], "int32"],
      [[[3.7, 1.2, 0, 8.9]], "float32"],
      [[[[1, 2], [2, 1]], [[0, 0], [9, 4]]], "int32"],
    ] as const) {
      const layer = tf.layers.embedding({ inputDim: 10, outputDim: 3 });
      const x = tf.tensor(ids as unknown as number[], undefined, dtype);
      layer.apply(x);
      layer.setWeights([wave([10, 3], 1, 0.4)]);
      const table = (layer.trainableWeights[0] as unknown as { val: tf.Variable }).val;
      const run = (): { y: tf.Tensor; g: tf.Tensor } => {
        const y = layer.apply(x) as tf.Tensor;
        const c = wave(y.shape, 1, 0.3, 0.37);
        const { grads, value } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, c)) as tf.Scalar, [table]);
        value.dispose();
        c.dispose();
        return { y, g: grads[table.name] };
      };
      const before = tf.memory().numTensors;
      const fused = run();
      assert.equal(tf.memory().numTensors, before + 2, "the fused lookup leaked tensors");
      const stock = withoutPatches([EMBEDDING], run);
      assert.deepEqual(fused.y.shape, stock.y.shape);
      assert.equal(maxAbsDiff(fused.y, stock.y), 0, `rows differ for ${JSON.stringify(ids)}`);
      assert.ok(maxAbsDiff(fused.g, stock.g) < 1e-6, `gradient differs for ${JSON.stringify(ids)}`);
      tf.dispose([fused.y, fused.g, stock.y, stock.g, x]);
      layer.dispose();
    }
  });

  it("Embedding: an id outside the table fails naming it, on both paths", function () {
    const layer = tf.layers.embedding({ inputDim: 5, outputDim: 2 });
    const x = tf.tensor2d([[1, 7]], [1, 2], "int32");
    assert.throws(() => layer.apply(x), /the index value 7 \(position 1\) is not in \[0, 4\]: ids must be below the layer's inputDim \(5\)/);
    assert.throws(() => withoutPatches([EMBEDDING], () => layer.apply(x)), /the index value 7 is not in \[0, 4\]/);
    x.dispose();
    layer.dispose();
  });

  it("binaryCrossentropy: the same loss and gradient as tfjs-layers' (clipped ends, several columns, rank 1), and its kernels run", async function () {
    const compiled = (): tf.LayersModel => {
      const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
      m.compile({ optimizer: "sgd", loss: "binaryCrossentropy" });
      return m;
    };
    const fusedModel = compiled();
    const stockModel = withoutPatches([BCE], compiled);
    const fusedLoss = lossFunctions(fusedModel)[0];
    const stockLoss = lossFunctions(stockModel)[0];
    assert.notEqual(fusedLoss, stockLoss);
    for (const shape of [[40, 1], [6, 3], [5]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      // 0, 1 and a value below the clip edge, then values spread over (0, 1).
      const probs = Array.from({ length: n }, (_, i) => (i === 0 ? 0 : i === 1 ? 1 : i === 2 ? 1e-9 : (Math.sin(i * 1.7) + 1) / 2));
      const p = tf.tensor(probs, shape);
      const t = tf.tensor(probs.map((_, i) => (i % 3 === 0 ? 1 : 0)), shape);
      const c = wave(shape.slice(0, -1).length ? shape.slice(0, -1) : [], 1, 0.2, 0.9);
      const both = (loss: (t: tf.Tensor, p: tf.Tensor) => tf.Tensor): { y: tf.Tensor; g: tf.Tensor } => ({
        y: loss(t, p),
        g: tf.grad((pp: tf.Tensor) => tf.sum(tf.mul(loss(t, pp), c)))(p),
      });
      const before = tf.memory().numTensors;
      const fused = both(fusedLoss);
      assert.equal(tf.memory().numTensors, before + 2, "the fused loss leaked tensors");
      const stock = both(stockLoss);
      assert.deepEqual(fused.y.shape, stock.y.shape);
      const rel = (a: tf.Tensor, b: tf.Tensor): number =>
        tf.tidy(() => tf.max(tf.div(tf.abs(tf.sub(a, b)), tf.add(tf.abs(b), 1e-6))).dataSync()[0]);
      assert.ok(rel(fused.y, stock.y) < 1e-6, `loss differs for [${shape}]: ${rel(fused.y, stock.y)}`);
      assert.ok(rel(fused.g, stock.g) < 1e-5, `gradient differs for [${shape}]: ${rel(fused.g, stock.g)}`);
      tf.dispose([p, t, c, fused.y, fused.g, stock.y, stock.g]);
    }
    const kernels = async (loss: (t: tf.Tensor, p: tf.Tensor) => tf.Tensor): Promise<string[]> => {
      const p = tf.fill([4, 1], 0.3);
      const t = tf.ones([4, 1]);
      const names = (await tf.profile(() => tf.tidy(() => tf.grad((pp: tf.Tensor) => tf.sum(loss(t, pp)))(p)))).kernels.map((k) => k.name);
      tf.dispose([p, t]);
      return names;
    };
    assert.ok((await kernels(stockLoss)).includes("Log1p"));
    assert.ok(!(await kernels(fusedLoss)).includes("Log1p"));
    // Other losses keep tfjs' functions.
    const mse = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
    mse.compile({ optimizer: "sgd", loss: "meanSquaredError" });
    const stockMse = withoutPatches([BCE], () => {
      const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
      m.compile({ optimizer: "sgd", loss: "meanSquaredError" });
      return m;
    });
    assert.equal(lossFunctions(mse)[0], lossFunctions(stockMse)[0]);
    [fusedModel, stockModel, mse, stockMse].forEach((m) => m.dispose());
  });

  it("fit: an Embedding → LSTM → Dense model trains to the same history and weights as with tfjs' own Adam, gather and loss, with callbacks and validation", async function () {
    const n = 24;
    const ids = tf.tidy(() => tf.cast(tf.floor(tf.mul(tf.add(wave([n, 6], 1, 0.2, 1.3), 1), 9.99)), "int32"));
    const y = tf.tidy(() => tf.cast(tf.greater(wave([n, 1], 1, 0.1, 2.1), 0), "float32"));
    const train = async (): Promise<{ history: Record<string, number[]>; weights: Float32Array[]; batches: number }> => {
      const model = tf.sequential();
      model.add(tf.layers.embedding({ inputDim: 20, outputDim: 4, inputShape: [6], maskZero: true }));
      model.add(lstm({ units: 3 }));
      model.add(tf.layers.dense({ units: 1, activation: "sigmoid" }));
      model.compile({ optimizer: tf.train.adam(0.01), loss: "binaryCrossentropy", metrics: ["accuracy"] });
      const start = model.getWeights().map((w, i) => wave(w.shape, 0.3, 0.5 * i));
      model.setWeights(start);
      tf.dispose(start);
      let batches = 0;
      const history = await model.fit(ids, y, {
        epochs: 3,
        batchSize: 8,
        shuffle: false,
        validationSplit: 0.25,
        verbose: 0,
        callbacks: { onBatchEnd: async () => void batches++ },
      });
      const weights = values(model.getWeights());
      const optimizer = model.optimizer;
      model.dispose();
      optimizer.dispose();
      return { history: history.history as Record<string, number[]>, weights, batches };
    };
    await train(); // warm-up
    const before = tf.memory().numTensors;
    const fused = await train();
    assert.equal(tf.memory().numTensors, before, "fit with the fused patches leaked tensors");
    const stock = await withoutPatchesAsync([ADAM, EMBEDDING, BCE], train);
    assert.equal(fused.batches, 9);
    assert.deepEqual(Object.keys(fused.history).sort(), ["acc", "loss", "val_acc", "val_loss"]);
    for (const key of Object.keys(stock.history)) {
      fused.history[key].forEach((v, i) => assert.ok(Math.abs(v - stock.history[key][i]) < 1e-5, `${key}[${i}]: ${v} vs ${stock.history[key][i]}`));
    }
    fused.weights.forEach((w, i) => {
      const d = Math.max(...w.map((v, j) => Math.abs(v - stock.weights[i][j])));
      // Adam and the Embedding are exact; the loss agrees to float32 rounding.
      assert.ok(d < 1e-5, `weight ${i} differs by ${d}`);
    });
    tf.dispose([ids, y]);
  });
});
