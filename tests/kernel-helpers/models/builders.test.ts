import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs-node";
import {
  buildCharLanguageModel,
  buildForecaster,
  buildSequenceClassifier,
  FusedGRU,
  FusedLSTM,
  FusedSimpleRNN,
  gru,
  InvalidArgumentError,
  lstm,
  simpleRNN,
} from "kernel-helpers";
import { ensureFusedKernels, wave } from "./_helpers";

const CELLS = ["simpleRNN", "lstm", "gru"] as const;
const FUSED = { simpleRNN: FusedSimpleRNN, lstm: FusedLSTM, gru: FusedGRU };

function lossName(model: tf.LayersModel): string {
  return String(model.loss);
}

/** Token sequences whose label is whether token 1 occurs: learnable in a few epochs. */
function toyText(n: number, len: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: len }, (_, j) => 2 + ((i * 7 + j * 3) % 8));
    const positive = i % 2 === 0;
    if (positive) row[(i * 5) % len] = 1;
    rows.push(row);
    labels.push(positive ? 1 : 0);
  }
  return { x: tf.tensor2d(rows, [n, len], "int32"), y: tf.tensor2d(labels, [n, 1]) };
}

async function lossDrops(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, epochs: number): Promise<[number, number]> {
  const h = await model.fit(x, y, { epochs, batchSize: 16, verbose: 0, shuffle: false });
  const losses = h.history.loss as number[];
  return [losses[0], losses[losses.length - 1]];
}

describe("buildSequenceClassifier()", function () {
  before(function () {
    this.timeout(600000);
    ensureFusedKernels();
  });

  for (const cell of CELLS) {
    it(`buildSequenceClassifier() builds a compiled ${cell} binary classifier with fused layers`, function () {
      const model = buildSequenceClassifier({ cell, vocabSize: 20, embeddingDim: 4, units: 3 });
      assert.ok(model.layers[1] instanceof FUSED[cell]);
      assert.equal(lossName(model), "binaryCrossentropy");
      assert.deepEqual(model.metricsNames, ["loss", "acc"]);
      const y = model.predict(tf.zeros([2, 7], "int32")) as tf.Tensor;
      assert.deepEqual(y.shape, [2, 1]);
    });

    it(`buildSequenceClassifier() lowers the loss of a ${cell} model on a toy task`, async function () {
      const { x, y } = toyText(64, 8);
      const model = buildSequenceClassifier({ cell, vocabSize: 10, embeddingDim: 8, units: 8, learningRate: 0.01 });
      const [first, last] = await lossDrops(model, x, y, 5);
      assert.ok(last < first, `loss ${first} -> ${last}`);
    });
  }

  it("buildSequenceClassifier() with numClasses > 2 uses a softmax and sparse labels", function () {
    const model = buildSequenceClassifier({ cell: "gru", vocabSize: 20, embeddingDim: 4, units: 3, numClasses: 4 });
    assert.equal(lossName(model), "sparseCategoricalCrossentropy");
    const y = model.predict(tf.ones([2, 5], "int32")) as tf.Tensor;
    assert.deepEqual(y.shape, [2, 4]);
    const sums = tf.sum(y, 1).dataSync();
    sums.forEach((s) => assert.ok(Math.abs(s - 1) < 1e-5));
  });

  it("buildSequenceClassifier() stacks bidirectional layers with masking", function () {
    const model = buildSequenceClassifier({
      cell: "lstm", vocabSize: 20, embeddingDim: 4, units: 3, layers: 2, bidirectional: true, maskZero: true,
    });
    assert.equal(model.layers.length, 4);
    assert.equal(model.layers[1].getClassName(), "Bidirectional");
    assert.deepEqual(model.layers[1].outputShape, [null, null, 6]);
    assert.deepEqual(model.layers[2].outputShape, [null, 6]);
    const y = model.predict(tf.tensor2d([[0, 0, 3, 4], [5, 6, 0, 0]], [2, 4], "int32")) as tf.Tensor;
    assert.deepEqual(y.shape, [2, 1]);
  });

  for (const cell of CELLS) {
    it(`buildSequenceClassifier({ cell: "${cell}", maskZero }) skips padding as Keras does: pre- and post-padding give the same output, also bidirectional`, function () {
      const pre = tf.tensor2d([[0, 0, 0, 3, 4, 5], [0, 7, 8, 9, 3, 4]], [2, 6], "int32");
      const post = tf.tensor2d([[3, 4, 5, 0, 0, 0], [7, 8, 9, 3, 4, 0]], [2, 6], "int32");
      const before = tf.memory().numTensors;
      for (const bidirectional of [false, true]) {
        const masked = buildSequenceClassifier({ cell, vocabSize: 10, embeddingDim: 4, units: 3, maskZero: true, bidirectional, sequenceLength: 6 });
        const [a, b] = [masked.predict(pre) as tf.Tensor, masked.predict(post) as tf.Tensor];
        const [ya, yb] = [Array.from(a.dataSync()), Array.from(b.dataSync())];
        ya.forEach((v, i) => assert.ok(Math.abs(v - yb[i]!) < 1e-5, `${cell}, bidirectional ${bidirectional}: ${ya} vs ${yb}`));
        // Without the mask the zeros are read as a word: the outputs differ.
        const plain = buildSequenceClassifier({ cell, vocabSize: 10, embeddingDim: 4, units: 3, bidirectional, sequenceLength: 6 });
        plain.setWeights(masked.getWeights());
        const [c, d] = [plain.predict(pre) as tf.Tensor, plain.predict(post) as tf.Tensor];
        assert.ok(Math.abs(c.dataSync()[0]! - d.dataSync()[0]!) > 1e-6, `${cell}, bidirectional ${bidirectional}: unmasked outputs should differ`);
        tf.dispose([a, b, c, d]);
        for (const m of [masked, plain]) {
          m.optimizer.dispose();
          m.dispose();
        }
      }
      assert.equal(tf.memory().numTensors, before);
      tf.dispose([pre, post]);
    });
  }

  it("buildSequenceClassifier() with impl \"standard\" uses tfjs-layers' own classes, also when bidirectional", function () {
    const plain = buildSequenceClassifier({ cell: "lstm", vocabSize: 20, embeddingDim: 4, units: 3, impl: "standard" });
    assert.ok(!(plain.layers[1] instanceof FusedLSTM));
    assert.equal(plain.layers[1].getClassName(), "LSTM");
    const bi = buildSequenceClassifier({ cell: "gru", vocabSize: 20, embeddingDim: 4, units: 3, bidirectional: true, impl: "standard" });
    const wrapper = bi.layers[1] as unknown as { forwardLayer: unknown; backwardLayer: unknown };
    assert.ok(!(wrapper.forwardLayer instanceof FusedGRU) && !(wrapper.backwardLayer instanceof FusedGRU));
  });

  it("buildSequenceClassifier() sets Keras' recurrent defaults explicitly", function () {
    const model = buildSequenceClassifier({ cell: "lstm", vocabSize: 20, embeddingDim: 4, units: 3 });
    const config = model.layers[1].getConfig();
    assert.equal(config.recurrentActivation, "sigmoid");
    assert.equal(config.unitForgetBias, true);
    // glorotUniform serializes as VarianceScaling(scale 1, fanAvg, uniform).
    const kernelInit = config.kernelInitializer as { className: string; config: Record<string, unknown> };
    assert.equal(kernelInit.className, "VarianceScaling");
    assert.equal(kernelInit.config.mode, "fanAvg");
    assert.equal(kernelInit.config.distribution, "uniform");
    assert.equal((config.recurrentInitializer as { className: string }).className, "Orthogonal");
  });

  it("buildSequenceClassifier() rejects bad options naming them", function () {
    assert.throws(
      () => buildSequenceClassifier({ cell: "rnn" as never, vocabSize: 20, embeddingDim: 4, units: 3 }),
      (e: Error) => e instanceof InvalidArgumentError && /`cell` must be one of/.test(e.message) && /Received: cell="rnn"/.test(e.message),
    );
    assert.throws(() => buildSequenceClassifier({ cell: "lstm", vocabSize: 0, embeddingDim: 4, units: 3 }), /vocabSize=0/);
    assert.throws(() => buildSequenceClassifier({ cell: "lstm", vocabSize: 5, embeddingDim: 4, units: 3, dropout: 1 }), /`dropout` must be a number in \[0, 1\)/);
    assert.throws(() => buildSequenceClassifier({ cell: "lstm", vocabSize: 5, embeddingDim: 4, units: 3, numClasses: 1 }), /numClasses=1/);
    assert.throws(() => buildSequenceClassifier({ cell: "lstm", vocabSize: 5, embeddingDim: 4, units: 3, impl: "fast" as never }), /`impl`/);
  });
});

describe("buildForecaster()", function () {
  for (const cell of CELLS) {
    it(`buildForecaster() builds a ${cell} model [batch, window, features] -> [batch, horizon] with MSE`, function () {
      const model = buildForecaster({ cell, windowLength: 6, numFeatures: 2, units: 4, layers: 2, horizon: 3 });
      assert.equal(lossName(model), "meanSquaredError");
      assert.ok(model.layers[0] instanceof FUSED[cell]);
      const y = model.predict(tf.zeros([5, 6, 2])) as tf.Tensor;
      assert.deepEqual(y.shape, [5, 3]);
    });

    it(`buildForecaster() lowers the loss of a ${cell} model on a sine wave`, async function () {
      const x = tf.tidy(() => tf.stack(Array.from({ length: 48 }, (_, i) => wave([6, 1], 1, i * 0.2, 0.2))));
      const y = tf.tidy(() => tf.stack(Array.from({ length: 48 }, (_, i) => wave([1], 1, i * 0.2 + 1.2, 0.2))));
      const model = buildForecaster({ cell, windowLength: 6, numFeatures: 1, units: 8, learningRate: 0.01 });
      const [first, last] = await lossDrops(model, x, y, 5);
      assert.ok(last < first, `loss ${first} -> ${last}`);
    });
  }

  it("buildForecaster() rejects a bad horizon", function () {
    assert.throws(() => buildForecaster({ cell: "gru", windowLength: 6, numFeatures: 1, units: 4, horizon: 1.5 }), /horizon=1.5/);
  });
});

describe("buildCharLanguageModel()", function () {
  for (const cell of CELLS) {
    it(`buildCharLanguageModel() builds a ${cell} next-character model with a softmax over the vocabulary`, function () {
      const model = buildCharLanguageModel({ cell, vocabSize: 12, units: 4, seqLength: 5 });
      assert.equal(lossName(model), "sparseCategoricalCrossentropy");
      assert.deepEqual(model.layers[0].getConfig().outputDim, 64);
      const y = model.predict(tf.zeros([3, 5], "int32")) as tf.Tensor;
      assert.deepEqual(y.shape, [3, 12]);
    });

    it(`buildCharLanguageModel() lowers the loss of a ${cell} model on a repeating text`, async function () {
      const text = "abcabdabcabd".repeat(6).split("").map((c) => c.charCodeAt(0) - 97);
      const xs: number[][] = [];
      const ys: number[] = [];
      for (let i = 0; i + 4 < text.length; i++) {
        xs.push(text.slice(i, i + 4));
        ys.push(text[i + 4]);
      }
      const model = buildCharLanguageModel({ cell, vocabSize: 4, embeddingDim: 8, units: 8, seqLength: 4, learningRate: 0.01 });
      const [first, last] = await lossDrops(model, tf.tensor2d(xs, undefined, "int32"), tf.tensor2d(ys, [ys.length, 1]), 5);
      assert.ok(last < first, `loss ${first} -> ${last}`);
    });
  }

  it("buildCharLanguageModel({returnSequences: true}) predicts every next character and reports bits per character", async function () {
    const model = buildCharLanguageModel({ cell: "lstm", vocabSize: 4, embeddingDim: 8, units: 8, seqLength: 6, returnSequences: true, dropout: 0.1, learningRate: 0.01 });
    assert.deepEqual(model.outputs[0]!.shape, [null, 6, 4]);
    assert.deepEqual(model.layers.map((l) => l.getClassName()), ["Embedding", "LSTM", "Dropout", "Dense"]);
    assert.ok(model.layers[1] instanceof FusedLSTM, "the fused LSTM");
    const text = "abcdabdc".repeat(12).split("").map((c) => c.charCodeAt(0) - 97);
    const xs: number[][] = [];
    const ys: number[][] = [];
    for (let i = 0; i + 7 <= text.length; i += 6) {
      xs.push(text.slice(i, i + 6));
      ys.push(text.slice(i + 1, i + 7));
    }
    const x = tf.tensor2d(xs, undefined, "int32");
    const y = tf.tensor3d(ys.map((row) => row.map((v) => [v]))); // fit() checks sparse targets as [batch, steps, 1]
    const h = await model.fit(x, y, { epochs: 8, batchSize: 4, verbose: 0, shuffle: false });
    const loss = h.history.loss as number[];
    const bits = h.history["bitsPerCharacter"] as number[];
    assert.ok(loss[loss.length - 1]! < loss[0]!, `loss ${loss[0]} -> ${loss[loss.length - 1]}`);
    loss.forEach((l, i) => assert.ok(Math.abs(bits[i]! - l / Math.LN2) < 1e-3, `epoch ${i + 1}: ${bits[i]} bits vs ${l} nats`));
    tf.dispose([x, y]);
    model.dispose();
  });

  it("buildCharLanguageModel() rejects a bad returnSequences or dropout", function () {
    assert.throws(() => buildCharLanguageModel({ cell: "gru", vocabSize: 4, units: 4, seqLength: 5, returnSequences: "yes" as never }), /returnSequences=/);
    assert.throws(() => buildCharLanguageModel({ cell: "gru", vocabSize: 4, units: 4, seqLength: 5, dropout: 1.5 }), /dropout=1.5/);
  });

  it("buildCharLanguageModel() rejects a missing seqLength", function () {
    assert.throws(() => buildCharLanguageModel({ cell: "lstm", vocabSize: 4, units: 4 } as never), /seqLength=undefined/);
  });
});

describe("builders free what they allocate", function () {
  this.timeout(120_000);
  const BUILDS = {
    classifier: (cell: (typeof CELLS)[number]) => buildSequenceClassifier({ cell, vocabSize: 10, embeddingDim: 4, units: 4 }),
    forecaster: (cell: (typeof CELLS)[number]) => buildForecaster({ cell, windowLength: 5, numFeatures: 2, units: 4 }),
    charModel: (cell: (typeof CELLS)[number]) => buildCharLanguageModel({ cell, vocabSize: 6, units: 4, seqLength: 5 }),
    charSequenceModel: (cell: (typeof CELLS)[number]) => buildCharLanguageModel({ cell, vocabSize: 6, units: 4, seqLength: 5, returnSequences: true, dropout: 0.2 }),
  };
  for (const [kind, build] of Object.entries(BUILDS)) {
    it(`model.dispose() of a trained ${kind} leaves none of its tensors (weights, Adam's state)`, async function () {
      // The LSTM's own layer-level leak (its initializers) is the fused layers' concern; SimpleRNN
      // and GRU show the builder's part: its Adam must go with the model.
      for (const cell of ["simpleRNN", "gru"] as const) {
        const before = tf.memory().numTensors;
        const model = build(cell);
        const input = model.inputs[0]!.shape.map((d) => d ?? 3);
        const x = kind === "forecaster" ? tf.zeros(input) : tf.zeros(input, "int32");
        const y = kind === "charSequenceModel" ? tf.zeros([input[0]!, input[1]!, 1]) : tf.zeros([input[0]!, kind === "forecaster" ? 1 : 1]);
        await model.trainOnBatch(x, y);
        tf.dispose([x, y]);
        assert.ok(tf.memory().numTensors > before);
        model.dispose();
        assert.equal(tf.memory().numTensors, before, `${kind} ${cell} left ${tf.memory().numTensors - before} tensor(s)`);
      }
    });
  }
});

describe("lstm() / gru() / simpleRNN() config checks", function () {
  const FACTORIES = { lstm, gru, simpleRNN } as const;
  for (const [name, factory] of Object.entries(FACTORIES)) {
    it(`${name}() without a config or units names units and the fix`, function () {
      const call = factory as (args?: unknown) => unknown;
      assert.throws(() => call(), (e: unknown) => e instanceof InvalidArgumentError && e.message.includes(`${name}({ units: 32 })`) && /Received: undefined$/.test(e.message));
      assert.throws(() => call({}), (e: unknown) => e instanceof InvalidArgumentError && /Received: units=undefined$/.test(e.message));
      assert.throws(() => call({ units: 2.5 }), /Received: units=2\.5$/);
      assert.throws(() => (tf.layers as unknown as Record<string, (a?: unknown) => unknown>)[name]!(), InvalidArgumentError, `tf.layers.${name}() is routed to the fused layer`);
      assert.equal((factory as (a: { units: number }) => tf.layers.Layer)({ units: 3 }).getConfig().units, 3);
    });
  }
});

describe("fused training", function () {
  it("a fused training step leaks no tensors", async function () {
    for (const cell of CELLS) {
      const model = buildSequenceClassifier({ cell, vocabSize: 10, embeddingDim: 4, units: 4, maskZero: true, dropout: 0.2 });
      const { x, y } = toyText(32, 6);
      await model.trainOnBatch(x, y);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) await model.trainOnBatch(x, y);
      assert.equal(tf.memory().numTensors, before, `${cell} leaked`);
      tf.dispose([x, y]);
      model.dispose();
    }
  });

  it("setting model.stopTraining stops fit() at the next batch", async function () {
    const model = buildForecaster({ cell: "lstm", windowLength: 4, numFeatures: 1, units: 4 });
    let batches = 0;
    await model.fit(tf.zeros([64, 4, 1]), tf.zeros([64, 1]), {
      batchSize: 8,
      epochs: 3,
      verbose: 0,
      callbacks: {
        onBatchEnd: async () => {
          batches++;
          if (batches === 2) model.stopTraining = true;
        },
      },
    });
    assert.equal(batches, 2);
  });
});
