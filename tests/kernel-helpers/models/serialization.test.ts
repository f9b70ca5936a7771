import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-node";
import { FusedGRU, FusedLSTM, FusedSimpleRNN, gru, lstm, simpleRNN, withStandardRecurrentLayers } from "kernel-helpers";
import { ensureFusedKernels, maxAbsDiff, setWaveWeights, wave } from "./_helpers";

const CASES = [
  ["lstm", lstm, FusedLSTM, "LSTM"],
  ["gru", gru, FusedGRU, "GRU"],
  ["simpleRNN", simpleRNN, FusedSimpleRNN, "SimpleRNN"],
] as const;

function buildModel(make: (args: never) => tf.layers.Layer): tf.Sequential {
  const model = tf.sequential({
    layers: [make({ units: 3, returnSequences: true, inputShape: [4, 2] } as never), make({ units: 2 } as never), tf.layers.dense({ units: 1 })],
  });
  model.layers.forEach((l) => setWaveWeights(l));
  return model;
}

describe("fused layers serialization", function () {
  before(function () {
    this.timeout(600000);
    ensureFusedKernels();
  });

  let dir: string;
  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-fused-"));
  });
  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const [name, make, cls, className] of CASES) {
    it(`${name}() saves as a plain "${className}" layer and loads back fused with the same outputs`, async function () {
      const model = buildModel(make as never);
      const x = wave([2, 4, 2]);
      const y = model.predict(x) as tf.Tensor;
      const url = `file://${path.join(dir, name)}`;
      await model.save(url);
      const json = JSON.parse(fs.readFileSync(path.join(dir, name, "model.json"), "utf8"));
      const classNames = json.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name);
      assert.deepEqual(classNames, [className, className, "Dense"]);
      const loaded = await tf.loadLayersModel(`${url}/model.json`);
      assert.ok(loaded.layers[0] instanceof cls);
      assert.ok(maxAbsDiff(loaded.predict(x) as tf.Tensor, y) < 1e-6);
      const stock = await withStandardRecurrentLayers(() => tf.loadLayersModel(`${url}/model.json`));
      assert.ok(!(stock.layers[0] instanceof cls));
      assert.ok(maxAbsDiff(stock.predict(x) as tf.Tensor, y) < 1e-5);
      tf.dispose([x, y]);
    });

    it(`${name}() weights move to and from the standard layer unchanged`, function () {
      const fused = buildModel(make as never);
      const standard = withStandardRecurrentLayers(() => {
        const stockMake = { lstm: tf.layers.lstm, gru: tf.layers.gru, simpleRNN: tf.layers.simpleRNN }[name];
        return buildModel(stockMake as never);
      });
      assert.ok(!(standard.layers[0] instanceof cls));
      assert.deepEqual(fused.getWeights().map((w) => w.shape), standard.getWeights().map((w) => w.shape));
      assert.deepEqual(
        fused.weights.map((w) => w.originalName.split("/").slice(1).join("/")),
        standard.weights.map((w) => w.originalName.split("/").slice(1).join("/")),
      );
      standard.setWeights(fused.getWeights());
      const x = wave([3, 4, 2], 1, 0.4);
      assert.ok(maxAbsDiff(standard.predict(x) as tf.Tensor, fused.predict(x) as tf.Tensor) < 1e-5);
      fused.setWeights(standard.getWeights().map((w) => tf.mul(w, 0.5)));
      assert.ok(maxAbsDiff(fused.getWeights()[0], tf.mul(standard.getWeights()[0], 0.5)) === 0);
    });
  }

  it("gru({resetAfter: true}) round-trips its config and weights in seqlab", async function () {
    const model = tf.sequential({ layers: [gru({ units: 3, resetAfter: true, inputShape: [4, 2] }), tf.layers.dense({ units: 1 })] });
    model.layers.forEach((l) => setWaveWeights(l));
    const x = wave([2, 4, 2]);
    const url = `file://${path.join(dir, "gru-after")}`;
    await model.save(url);
    const loaded = await tf.loadLayersModel(`${url}/model.json`);
    assert.equal((loaded.layers[0] as FusedGRU).resetAfter, true);
    assert.ok(maxAbsDiff(loaded.predict(x) as tf.Tensor, model.predict(x) as tf.Tensor) < 1e-6);
  });

  it("getConfig() of a fused layer is the stock layer's config", function () {
    const fused = lstm({ units: 4, returnSequences: true, recurrentActivation: "sigmoid" });
    const stock = withStandardRecurrentLayers(() => tf.layers.lstm({ units: 4, returnSequences: true, recurrentActivation: "sigmoid" }));
    assert.ok(!(stock instanceof FusedLSTM));
    const strip = (c: tf.serialization.ConfigDict) => ({ ...c, name: undefined });
    assert.deepEqual(strip(fused.getConfig()), strip(stock.getConfig()));
    assert.equal(fused.getClassName(), "LSTM");
  });

  it("a saved fused model loads in a process with only stock tfjs-node", async function () {
    this.timeout(60000);
    const x = wave([2, 4, 2]);
    const expected: number[][] = [];
    for (const [name, make] of CASES) {
      const model = buildModel(make as never);
      await model.save(`file://${path.join(dir, `stock-${name}`)}`);
      expected.push(Array.from((model.predict(x) as tf.Tensor).dataSync()));
    }
    const script = `
      const tf = require("@tensorflow/tfjs-node");
      (async () => {
        const x = tf.reshape(tf.mul(tf.sin(tf.add(tf.mul(tf.range(0, 16), 0.7), 0)), 1), [2, 4, 2]);
        const out = [];
        for (const name of ["lstm", "gru", "simpleRNN"]) {
          const m = await tf.loadLayersModel("file://" + ${JSON.stringify(dir)} + "/stock-" + name + "/model.json");
          out.push({ cls: m.layers[0].constructor.name, y: Array.from(m.predict(x).dataSync()) });
        }
        process.stdout.write(JSON.stringify(out));
      })();`;
    const stdout = execFileSync(process.execPath, ["-e", script], { cwd: process.cwd(), encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const results = JSON.parse(stdout) as Array<{ cls: string; y: number[] }>;
    assert.deepEqual(results.map((r) => r.cls), ["LSTM", "GRU", "SimpleRNN"]);
    results.forEach((r, i) => r.y.forEach((v, j) => assert.ok(Math.abs(v - expected[i][j]) < 1e-5)));
  });
});
