import { strict as assert } from "node:assert";
import { setTimeout as sleep } from "node:timers/promises";
import * as tf from "@tensorflow/tfjs-node";
import type { io } from "@tensorflow/tfjs-core";

type ModelArtifacts = io.ModelArtifacts;
import { buildSequenceClassifier, FusedGRU, FusedLSTM, FusedSimpleRNN, withStandardRecurrentLayers } from "kernel-helpers";

/** A model saved to memory: one LSTM layer. */
async function savedLstmModel(): Promise<ModelArtifacts> {
  const model = tf.sequential({ layers: [tf.layers.lstm({ units: 3, inputShape: [4, 2] })] });
  let artifacts: ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
  }));
  model.dispose();
  return artifacts!;
}

function firstLayer(model: tf.LayersModel): tf.layers.Layer {
  return model.layers[0]!;
}

describe("withStandardRecurrentLayers under concurrency", function () {
  it("stock layers inside an awaiting callback, fused layers in concurrent work outside it", async function () {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inside = withStandardRecurrentLayers(async () => {
      const before = tf.layers.lstm({ units: 2 });
      await gate;
      const after = tf.layers.gru({ units: 2 });
      const inTimer = await new Promise<tf.layers.Layer>((resolve) => setTimeout(() => resolve(tf.layers.simpleRNN({ units: 2 })), 5));
      return [before, after, inTimer];
    });
    // While the callback is suspended, other async work (another cell) still gets fused layers.
    await sleep(5);
    const outside = [tf.layers.lstm({ units: 2 }), tf.layers.gru({ units: 2 }), tf.layers.simpleRNN({ units: 2 })];
    assert.ok(outside[0] instanceof FusedLSTM && outside[1] instanceof FusedGRU && outside[2] instanceof FusedSimpleRNN);
    const bi = tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 2 }) as tf.RNN });
    assert.ok((bi as unknown as { backwardLayer: unknown }).backwardLayer instanceof FusedLSTM);
    release();
    const stock = await inside;
    assert.ok(!(stock[0] instanceof FusedLSTM) && stock[0]!.getClassName() === "LSTM");
    assert.ok(!(stock[1] instanceof FusedGRU) && stock[1]!.getClassName() === "GRU");
    assert.ok(!(stock[2] instanceof FusedSimpleRNN) && stock[2]!.getClassName() === "SimpleRNN");
    assert.ok(tf.layers.lstm({ units: 2 }) instanceof FusedLSTM);
  });

  it("concurrent loads of one saved model: stock inside, fused outside", async function () {
    const artifacts = await savedLstmModel();
    const load = () => tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const [stock, fused] = await Promise.all([withStandardRecurrentLayers(load), load()]);
    assert.ok(!(firstLayer(stock) instanceof FusedLSTM));
    assert.equal(firstLayer(stock).getClassName(), "LSTM");
    assert.ok(firstLayer(fused) instanceof FusedLSTM);
    stock.dispose();
    fused.dispose();
  });

  it("a standard bidirectional builder does not change layers built concurrently", async function () {
    const other = (async () => {
      await sleep(0);
      return tf.layers.lstm({ units: 2 });
    })();
    const model = buildSequenceClassifier({ vocabSize: 30, embeddingDim: 4, cell: "lstm", units: 3, bidirectional: true, impl: "standard" });
    const wrapper = model.layers.find((l) => l.getClassName() === "Bidirectional") as unknown as { forwardLayer: unknown };
    assert.ok(!(wrapper.forwardLayer instanceof FusedLSTM));
    assert.ok((await other) instanceof FusedLSTM);
    model.dispose();
  });

  it("errors thrown inside leave nothing behind", async function () {
    await assert.rejects(
      withStandardRecurrentLayers(async () => {
        await sleep(1);
        throw new Error("boom");
      }),
      /boom/,
    );
    assert.throws(() => withStandardRecurrentLayers(() => {
      throw new Error("sync boom");
    }), /sync boom/);
    assert.ok(tf.layers.lstm({ units: 2 }) instanceof FusedLSTM);
  });
});
