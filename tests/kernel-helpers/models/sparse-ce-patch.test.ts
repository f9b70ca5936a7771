import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs-node";
import { helperPatches } from "kernel-helpers/contract";
import { buildCharLanguageModel } from "kernel-helpers";
import { assertSame, ensureFusedKernels, helperPatch, lossFunctions, wave, withoutPatchesAsync, type LossFn } from "./_helpers";

const SCE = "tfjs sparseCategoricalCrossentropy loss";
const BCE = "tfjs binaryCrossentropy loss";




function compiled(loss: string | string[], outputs = 1): tf.LayersModel {
  const input = tf.input({ shape: [2] });
  const heads = Array.from({ length: outputs }, () => tf.layers.dense({ units: 3, activation: "softmax" }).apply(input) as tf.SymbolicTensor);
  const m = tf.model({ inputs: input, outputs: heads });
  m.compile({ optimizer: "sgd", loss });
  return m;
}

/** Seeded probabilities in [0, 1) with exact 0s and 1s and values below the clip edge; rows not normalised. */
function probabilities(shape: number[], seed: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  let s = seed;
  const next = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const v = Array.from({ length: n }, (_, i) => {
    const r = next();
    return i % 11 === 0 ? 0 : i % 13 === 0 ? 1 : i % 17 === 0 ? 1e-9 : r;
  });
  return tf.tensor(v, shape, "float32");
}

function labels(shape: number[], classes: number, dtype: "float32" | "int32", seed: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, (_, i) => {
    const c = (i * 7 + seed) % classes;
    // Every 9th label outside [0, classes) (tfjs' zero one-hot row); float labels are floored.
    if (i % 9 === 4) return i % 2 === 0 ? classes : -1;
    return dtype === "float32" && i % 5 === 0 ? c + 0.7 : c;
  });
  return tf.tensor(v, shape, dtype);
}

/** The loss and the gradient of a weighted sum of it (as fit's mean passes per-row weights). */
function lossAndGrad(loss: LossFn, t: tf.Tensor, p: tf.Tensor): { y: tf.Tensor; g: tf.Tensor } {
  return tf.tidy(() => {
    const y = loss(t, p);
    const w = wave(y.shape, 1, 0.3, 0.9);
    const g = tf.grad((pp: tf.Tensor) => tf.sum(tf.mul(loss(t, pp), w)))(p);
    return { y, g };
  });
}

function maxRel(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  let worst = 0;
  x.forEach((v, i) => {
    const w = y[i];
    if (Number.isNaN(v) || Number.isNaN(w)) {
      if (!(Number.isNaN(v) && Number.isNaN(w))) worst = Infinity;
      return;
    }
    worst = Math.max(worst, Math.abs(v - w) / Math.max(Math.abs(w), 1e-30));
  });
  return worst;
}

async function kernelNames(loss: LossFn, t: tf.Tensor, p: tf.Tensor): Promise<string[]> {
  const info = await tf.profile(() => tf.tidy(() => tf.grad((pp: tf.Tensor) => tf.mean(loss(t, pp)))(p)));
  return info.kernels.map((k) => k.name);
}

describe("sparse categorical cross-entropy patch: one fused kernel forward and one backward", function () {
  let fused: LossFn;
  let stock: LossFn;
  const models: tf.LayersModel[] = [];

  before(async function () {
    ensureFusedKernels();
    const fusedModel = compiled("sparseCategoricalCrossentropy");
    const stockModel = await withoutPatchesAsync([SCE], () => compiled("sparseCategoricalCrossentropy"));
    models.push(fusedModel, stockModel);
    fused = lossFunctions(fusedModel)[0];
    stock = lossFunctions(stockModel)[0];
    const t = tf.tensor1d([1]);
    const p = tf.tensor2d([[0.2, 0.5, 0.3]]);
    const ran = await kernelNames(fused, t, p);
    tf.dispose([t, p]);
    if (ran.includes("OneHot")) throw new Error("the fused op library lacks the loss kernels: run `npm run seqlab -- setup` to rebuild it");
  });
  after(function () {
    models.forEach((m) => m.dispose());
  });

  it("is listed and installed before the BCE patch; uninstalling gives tfjs' own function; other losses and the model's loss are unchanged", async function () {
    const names = helperPatches().map((p) => p.name);
    assert.ok(helperPatch(SCE).installed);
    assert.ok(names.indexOf(SCE) >= 0 && names.indexOf(SCE) < names.indexOf(BCE));
    assert.notEqual(fused, stock);
    assert.equal(models[0].loss, "sparseCategoricalCrossentropy");
    // Only the sparse outputs of a multi-output model change; other losses keep tfjs' functions.
    const mixed = compiled(["sparseCategoricalCrossentropy", "categoricalCrossentropy"], 2);
    const mixedStock = await withoutPatchesAsync([SCE], () => compiled(["sparseCategoricalCrossentropy", "categoricalCrossentropy"], 2));
    assert.notEqual(lossFunctions(mixed)[0], lossFunctions(mixedStock)[0]);
    assert.equal(lossFunctions(mixed)[1], lossFunctions(mixedStock)[1]);
    assert.deepEqual(mixed.loss, ["sparseCategoricalCrossentropy", "categoricalCrossentropy"]);
    // Uninstalled below the BCE patch's wrapper and installed again: one wrapper, working.
    helperPatch(SCE).uninstall();
    helperPatch(SCE).install();
    const again = compiled("sparseCategoricalCrossentropy");
    const t = tf.tensor1d([1]);
    const p = tf.tensor2d([[0.2, 0.5, 0.3]]);
    assert.ok(!(await kernelNames(lossFunctions(again)[0], t, p)).includes("OneHot"));
    [mixed, mixedStock, again].forEach((m) => m.dispose());
    tf.dispose([t, p]);
  });

  const cases: Array<{ pred: number[]; label: number[] }> = [
    { pred: [4, 25, 60], label: [4, 25] },
    { pred: [4, 25, 60], label: [4, 25, 1] },
    { pred: [32, 10], label: [32] },
    { pred: [32, 10], label: [32, 1] },
    { pred: [3, 2, 5, 7], label: [3, 2, 5] },
    { pred: [6], label: [1] },
    { pred: [2, 9000], label: [2] }, // a row long enough for TensorFlow's tree-shaped sum
  ];
  for (const { pred, label } of cases) {
    it(`the same loss (float32 rounding) and gradient (bit for bit) as tfjs-layers' for predictions [${pred}], labels [${label}]`, function () {
      const classes = pred[pred.length - 1];
      const p = probabilities(pred, pred.length * 31 + classes);
      const t = labels(label, classes, "float32", classes);
      const before = tf.memory().numTensors;
      const a = lossAndGrad(fused, t, p);
      assert.equal(tf.memory().numTensors, before + 2, "the fused loss leaked tensors");
      const b = lossAndGrad(stock, t, p);
      assert.deepEqual(a.y.shape, b.y.shape);
      assert.deepEqual(a.g.shape, b.g.shape);
      assert.ok(maxRel(a.y, b.y) <= 2.5e-7, `loss differs by ${maxRel(a.y, b.y)} relative`);
      assertSame(a.g, b.g, "gradient");
      // Int labels (which tfjs' own function rejects) give what float labels of the same ids give.
      const ti = tf.tidy(() => tf.cast(tf.floor(t), "int32"));
      const c = lossAndGrad(fused, ti, p);
      assertSame(c.y, a.y, "loss with int labels");
      assertSame(c.g, a.g, "gradient with int labels");
      tf.dispose([p, t, ti, a.y, a.g, b.y, b.g, c.y, c.g]);
    });
  }

  it("labels outside [0, classes), NaN labels and NaN or infinite predictions give what tfjs gives", function () {
    const p = tf.tensor2d([
      [0.2, 0.3, 0.5],
      [NaN, 0.5, 0.5],
      [Infinity, 0.5, 0.5],
      [0, 0, 0],
      [1, 1, 1],
      [0.2, 0.3, 0.5],
      [0.2, 0.3, 0.5],
    ]);
    const t = tf.tensor1d([3, 1, 0, 2, 1, NaN, 3e9]);
    const a = lossAndGrad(fused, t, p);
    const b = lossAndGrad(stock, t, p);
    assertSame(a.y, b.y, "loss");
    assertSame(a.g, b.g, "gradient");
    assert.ok(a.y.dataSync()[0] === 0); // tfjs' zero one-hot row
    assert.ok(Number.isNaN(a.y.dataSync()[1]));
    tf.dispose([p, t, a.y, a.g, b.y, b.g]);
  });

  it("the fused kernels run (tfjs' OneHot, ClipByValue and Log do not), and tfjs' own code runs with SEQLAB_FUSED=0, for predictions that are not float32, and for mismatched shapes (tfjs' own error)", async function () {
    const p = probabilities([4, 5, 6], 3);
    const t = labels([4, 5], 6, "float32", 1);
    const fusedKernels = await kernelNames(fused, t, p);
    const stockKernels = await kernelNames(stock, t, p);
    for (const name of ["OneHot", "ClipByValue", "Log"]) {
      assert.ok(stockKernels.includes(name), `tfjs' own loss runs no ${name}`);
      assert.ok(!fusedKernels.includes(name), `the fused loss ran ${name}: ${fusedKernels.join(", ")}`);
    }
    // The rest is the mean around the loss, its gradient and the customGrad's bookkeeping.
    assert.ok(fusedKernels.length <= 12 && stockKernels.length > 30, `${fusedKernels.length} vs ${stockKernels.length} kernels`);
    process.env.SEQLAB_FUSED = "0";
    try {
      assert.ok((await kernelNames(fused, t, p)).includes("OneHot"));
      // Int labels take tfjs' own path as float32 ids there too.
      const ti = tf.tidy(() => tf.cast(tf.floor(t), "int32"));
      const viaStock = tf.tidy(() => fused(ti, p));
      const expected = tf.tidy(() => stock(tf.floor(t), p));
      assertSame(viaStock, expected, "tfjs' own loss with int labels");
      tf.dispose([ti, viaStock, expected]);
    } finally {
      delete process.env.SEQLAB_FUSED;
    }
    // Int predictions and a wrong number of labels: tfjs' own code, so tfjs' own error.
    const pi = tf.tidy(() => tf.cast(p, "int32"));
    const wrong = tf.ones([3]);
    const errorOf = (fn: () => unknown): string => {
      try {
        tf.tidy(() => void fn());
      } catch (e) {
        return (e as Error).message;
      }
      return "no error";
    };
    for (const [yTrue, yPred] of [[t, pi], [wrong, p]]) {
      const expected = errorOf(() => stock(yTrue, yPred));
      assert.notEqual(expected, "no error");
      assert.equal(errorOf(() => fused(yTrue, yPred)), expected);
    }
    tf.dispose([p, t, pi, wrong]);
  });

  it("fit: buildCharLanguageModel({returnSequences: true}) trains to tfjs' history (loss, accuracy, bitsPerCharacter, validation) and weights, leaking no tensors", async function () {
    const vocab = 12;
    const steps = 8;
    const n = 40;
    const ids = tf.tidy(() => tf.cast(tf.floor(tf.mul(tf.add(wave([n, steps], 1, 0.2, 1.3), 1), vocab / 2 - 0.01)), "float32"));
    // Next-character targets [n, steps, 1], the shape tfjs' fit takes for a per-step output.
    const next = tf.tidy(() => tf.expandDims(tf.concat([tf.slice(ids, [0, 1], [n, steps - 1]), tf.slice(ids, [0, 0], [n, 1])], 1), 2));
    const train = async (y: tf.Tensor): Promise<{ history: Record<string, number[]>; weights: Float32Array[] }> => {
      const model = buildCharLanguageModel({ cell: "lstm", vocabSize: vocab, embeddingDim: 5, units: 6, seqLength: steps, returnSequences: true, learningRate: 0.01 });
      const start = model.getWeights().map((w, i) => wave(w.shape, 0.3, 0.5 * i));
      model.setWeights(start);
      tf.dispose(start);
      const history = await model.fit(ids, y, { epochs: 3, batchSize: 8, shuffle: false, validationSplit: 0.2, verbose: 0 });
      const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
      const optimizer = model.optimizer;
      model.dispose();
      optimizer.dispose();
      return { history: history.history as Record<string, number[]>, weights };
    };
    await train(next); // warm-up
    const before = tf.memory().numTensors;
    const a = await train(next);
    assert.equal(tf.memory().numTensors, before, "fit with the fused loss leaked tensors");
    const b = await withoutPatchesAsync([SCE], () => train(next));
    assert.deepEqual(Object.keys(a.history).sort(), ["acc", "bitsPerCharacter", "loss", "val_acc", "val_bitsPerCharacter", "val_loss"]);
    for (const key of Object.keys(b.history)) {
      a.history[key].forEach((v, i) => assert.ok(Math.abs(v - b.history[key][i]) < 1e-5, `${key}[${i}]: ${v} vs ${b.history[key][i]}`));
    }
    a.weights.forEach((w, i) => {
      const d = Math.max(...w.map((v, j) => Math.abs(v - b.weights[i][j])));
      assert.ok(d < 1e-5, `weight ${i} differs by ${d}`);
    });
    // The loss went down, and int labels train the same as float ones.
    assert.ok(a.history.loss[2] < a.history.loss[0]);
    const nextInt = tf.cast(next, "int32");
    const c = await train(nextInt);
    for (const key of ["loss", "val_loss"]) {
      c.history[key].forEach((v, i) => assert.ok(Math.abs(v - a.history[key][i]) < 1e-6, `int labels: ${key}[${i}]: ${v} vs ${a.history[key][i]}`));
    }
    tf.dispose([ids, next, nextInt]);
  });
});
