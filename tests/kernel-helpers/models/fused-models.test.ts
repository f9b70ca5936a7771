import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs-node";
import { FusedGRU, FusedLSTM, FusedSimpleRNN, gru, lstm, setFusedNoticeHandler, simpleRNN, withStandardRecurrentLayers } from "kernel-helpers";
import { KERAS_REFERENCE } from "./_keras-reference";
import { ensureFusedKernels, maxAbsDiff, standardPath, wave } from "./_helpers";

function modelGrads(model: tf.LayersModel, x: tf.Tensor): { y: tf.Tensor; grads: tf.Tensor[] } {
  const vars = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const y = model.apply(x) as tf.Tensor;
  const c = wave(y.shape, 1, 0.5, 0.31);
  const { grads, value } = tf.variableGrads(() => tf.sum(tf.mul(model.apply(x) as tf.Tensor, c)) as tf.Scalar, vars);
  value.dispose();
  c.dispose();
  return { y, grads: vars.map((v) => grads[v.name]) };
}

function assertSameModel(model: tf.LayersModel, x: tf.Tensor): void {
  const fused = modelGrads(model, x);
  const standard = standardPath(() => modelGrads(model, x));
  assert.ok(maxAbsDiff(fused.y, standard.y) < 1e-5, "forward differs");
  fused.grads.forEach((g, i) => assert.ok(maxAbsDiff(g, standard.grads[i]) < 1e-4, `gradient ${i} differs`));
  tf.dispose([fused.y, standard.y, ...fused.grads, ...standard.grads]);
}

// Token ids with zero padding (masked by the embedding) in different places.
const IDS = [
  [3, 5, 7, 2, 9, 4],
  [0, 0, 4, 8, 1, 6],
  [6, 2, 9, 0, 0, 0],
];

describe("fused layers in models", function () {
  before(function () {
    this.timeout(600000);
    ensureFusedKernels();
  });

  for (const [cell, make] of [["lstm", lstm], ["gru", gru], ["simpleRNN", simpleRNN]] as const) {
    it(`${cell}() stacked twice over an Embedding(maskZero) matches the standard layers`, function () {
      const model = tf.sequential({
        layers: [
          tf.layers.embedding({ inputDim: 10, outputDim: 4, maskZero: true, inputShape: [6] }),
          make({ units: 3, returnSequences: true } as never),
          make({ units: 3, goBackwards: true } as never),
          tf.layers.dense({ units: 2 }),
        ],
      });
      const x = tf.tensor2d(IDS, [3, 6], "int32");
      assertSameModel(model, x);
      x.dispose();
      model.dispose();
    });

    it(`${cell}() inside tf.layers.bidirectional with a mask matches the standard layers`, function () {
      const model = tf.sequential({
        layers: [
          tf.layers.embedding({ inputDim: 10, outputDim: 4, maskZero: true, inputShape: [6] }),
          tf.layers.bidirectional({ layer: make({ units: 3, returnSequences: true } as never) as never, mergeMode: "concat" }),
          tf.layers.bidirectional({ layer: make({ units: 2 } as never) as never, mergeMode: "sum" }),
        ],
      });
      const x = tf.tensor2d(IDS, [3, 6], "int32");
      assertSameModel(model, x);
      x.dispose();
      model.dispose();
    });
  }

  it("tf.layers.lstm(), gru() and simpleRNN() give fused layers once kernel-helpers is imported", function () {
    assert.ok(tf.layers.lstm({ units: 2 }) instanceof FusedLSTM);
    assert.ok(tf.layers.gru({ units: 2 }) instanceof FusedGRU);
    assert.ok(tf.layers.simpleRNN({ units: 2 }) instanceof FusedSimpleRNN);
    const stock = withStandardRecurrentLayers(() => [tf.layers.lstm({ units: 2 }), tf.layers.gru({ units: 2 }), tf.layers.simpleRNN({ units: 2 })]);
    assert.ok(!(stock[0] instanceof FusedLSTM) && !(stock[1] instanceof FusedGRU) && !(stock[2] instanceof FusedSimpleRNN));
    assert.ok(tf.layers.lstm({ units: 2 }) instanceof FusedLSTM);
  });

  it("tf.layers.bidirectional() recreates fused layers for both directions", function () {
    const bi = tf.layers.bidirectional({ layer: lstm({ units: 2 }) as never });
    const inner = bi as unknown as { forwardLayer: unknown; backwardLayer: unknown };
    assert.ok(inner.forwardLayer instanceof FusedLSTM);
    assert.ok(inner.backwardLayer instanceof FusedLSTM);
    const stock = withStandardRecurrentLayers(() => tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 2 }) }));
    assert.ok(!((stock as unknown as { backwardLayer: unknown }).backwardLayer instanceof FusedLSTM));
  });

  describe("Keras parity", function () {
    const x = () => tf.reshape(tf.cos(tf.mul(tf.range(0, 24), 0.3)), [2, 4, 3]);
    const cases: Array<[string, () => tf.layers.Layer, number[][][]]> = [
      ["gru({resetAfter: true})", () => gru({ units: 3, returnSequences: true, resetAfter: true, recurrentActivation: "sigmoid" }), KERAS_REFERENCE.gruAfter],
      ["gru()", () => gru({ units: 3, returnSequences: true, recurrentActivation: "sigmoid" }), KERAS_REFERENCE.gruBefore],
      ["lstm()", () => lstm({ units: 3, returnSequences: true, recurrentActivation: "sigmoid" }), KERAS_REFERENCE.lstm],
      ["simpleRNN()", () => simpleRNN({ units: 3, returnSequences: true }), KERAS_REFERENCE.simple],
    ];
    for (const [name, make, expected] of cases) {
      it(`${name} reproduces Keras 3's outputs for the same weights`, function () {
        const layer = make();
        const input = x();
        layer.apply(input);
        const ws = layer.getWeights().map((w, i) =>
          tf.reshape(tf.mul(tf.sin(tf.add(tf.mul(tf.range(0, w.size), 0.7), [0.1, 0.2, 0.3][i])), [0.5, 0.4, 0.3][i]), w.shape),
        );
        layer.setWeights(ws);
        const y = layer.apply(input) as tf.Tensor;
        assert.ok(maxAbsDiff(y, tf.tensor3d(expected)) < 1e-5);
        const yStd = standardPath(() => layer.apply(input) as tf.Tensor);
        assert.ok(maxAbsDiff(yStd, tf.tensor3d(expected)) < 1e-5);
        tf.dispose([input, y, yStd, ...ws]);
      });
    }

    it("gru({resetAfter: true}) keeps Keras' bias shape [2, 3 * units]", function () {
      const layer = new FusedGRU({ units: 4, resetAfter: true });
      layer.apply(tf.zeros([1, 2, 3]));
      assert.deepEqual(layer.getWeights().map((w) => w.shape), [[3, 12], [4, 12], [2, 12]]);
    });
  });

  describe("fallback", function () {
    it("lstm({recurrentDropout}) runs the standard layer and says so once", function () {
      const seen: string[] = [];
      const previous = setFusedNoticeHandler((m) => seen.push(m));
      try {
        const layer = lstm({ units: 2, recurrentDropout: 0.3 });
        const x = wave([2, 3, 2]);
        tf.dispose([layer.apply(x, { training: true }) as tf.Tensor, layer.apply(x) as tf.Tensor, x]);
      } finally {
        setFusedNoticeHandler(previous);
      }
      assert.equal(seen.length, 1);
      assert.match(seen[0], /recurrentDropout/);
    });

    it("gru({resetAfter: true, recurrentDropout}) trains through its step-by-step cell", async function () {
      const model = tf.sequential({ layers: [gru({ units: 3, resetAfter: true, recurrentDropout: 0.2, inputShape: [4, 2] }), tf.layers.dense({ units: 1 })] });
      model.compile({ optimizer: "adam", loss: "meanSquaredError" });
      const h = await model.fit(wave([8, 4, 2]), wave([8, 1]), { epochs: 1, verbose: 0 });
      assert.ok(Number.isFinite(h.history.loss[0] as number));
      // The fallback notice is said once per process, so an earlier test may have taken it:
      // "says so once" is the LSTM test's above.
    });
  });
});
