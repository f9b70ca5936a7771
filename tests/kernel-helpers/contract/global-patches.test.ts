import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-node";
import { FusedLSTM, buildSequenceClassifier } from "kernel-helpers";
import {
  definePatch,
  duringCall,
  helperPatches,
  installPatches,
  uninstallPatches,
} from "kernel-helpers/contract";

const ROOT = path.resolve(__dirname, "..", "..", "..", "..");

function registryEntry(name: string): [unknown, unknown] {
  return (tf.serialization.SerializationMap.getMap().classNameMap as unknown as Record<string, [unknown, unknown]>)[name]!;
}

describe("global patch registry", function () {
  it("install twice is harmless, uninstall restores, uninstall twice is harmless", function () {
    const target = { value: "original" };
    let applied = 0;
    const patch = definePatch({
      name: "test: target.value",
      target: "target.value",
      purpose: "test",
      owner: "kernel-helpers",
      scope: "process",
      apply() {
        applied++;
        const saved = target.value;
        target.value = "patched";
        return () => {
          target.value = saved;
        };
      },
    });
    assert.equal(patch.installed, false);
    installPatches([patch]);
    installPatches([patch]);
    assert.equal(applied, 1);
    assert.equal(target.value, "patched");
    assert.equal(patch.installed, true);
    uninstallPatches([patch]);
    uninstallPatches([patch]);
    assert.equal(target.value, "original");
    assert.equal(patch.installed, false);
  });

  it("a call-scoped patch is on only during its synchronous call and never installed by installPatches", function () {
    const flags = { on: false };
    const patch = definePatch({
      name: "test: call scope",
      target: "flags.on",
      purpose: "test",
      owner: "kernel-helpers",
      scope: "call",
      apply() {
        flags.on = true;
        return () => {
          flags.on = false;
        };
      },
    });
    installPatches([patch]);
    assert.equal(flags.on, false);
    assert.equal(duringCall(patch, () => flags.on), true);
    assert.equal(flags.on, false);
    assert.throws(() => duringCall(patch, () => Promise.resolve(1)), /must be synchronous/);
    assert.equal(flags.on, false);
  });

  it("lists the helpers' patches, installed on import, and uninstalling restores tfjs' own layers", function () {
    const patches = helperPatches();
    assert.deepEqual(
      patches.map((p) => [p.name, p.scope, p.installed]),
      [
        ["tf.layers recurrent factories", "process", true],
        ["tfjs recurrent class registry", "process", true],
        ["tfjs Adam update", "process", true],
        ["tfjs Embedding lookup", "process", true],
        ["tfjs sparseCategoricalCrossentropy loss", "process", true],
        ["tfjs softmax gradient", "process", true],
        ["tfjs binaryCrossentropy loss", "process", true],
        ["tfjs Dense layer", "process", true],
        ["console.warn orthogonal notice", "call", false],
      ],
    );
    const stockLSTM = Object.getPrototypeOf(FusedLSTM) as unknown;
    const factory = tf.layers.lstm;
    const entry = registryEntry("LSTM");
    installPatches(patches);
    assert.equal(tf.layers.lstm, factory, "installing again replaced the factory");
    assert.equal(registryEntry("LSTM"), entry, "installing again replaced the registry entry");
    try {
      uninstallPatches(patches);
      assert.ok(patches.every((p) => !p.installed));
      assert.ok(!(tf.layers.lstm({ units: 2 }) instanceof FusedLSTM));
      assert.equal(registryEntry("LSTM")[0], stockLSTM);
      const bi = tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 2 }) as tf.RNN });
      assert.ok(!((bi as unknown as { forwardLayer: unknown }).forwardLayer instanceof FusedLSTM));
    } finally {
      installPatches(patches);
    }
    assert.ok(tf.layers.lstm({ units: 2 }) instanceof FusedLSTM);
  });

  it("builders leave console.warn as they found it", function () {
    const warn = console.warn;
    const model = buildSequenceClassifier({ vocabSize: 50, embeddingDim: 4, cell: "lstm", units: 48 });
    assert.equal(console.warn, warn);
    model.dispose();
  });

  it("the list is complete: uninstalling every listed patch undoes everything importing kernel-helpers changed", function () {
    // In a fresh process: snapshot what a patch could touch, import, uninstall, compare.
    const script = `
      const tf = require("@tensorflow/tfjs-node");
      const registry = tf.serialization.SerializationMap.getMap().classNameMap;
      const snapshot = () => {
        const s = new Map();
        for (const k of Object.keys(tf.layers)) s.set("tf.layers." + k, tf.layers[k]);
        for (const k of Object.keys(registry)) s.set("registry." + k, registry[k]);
        for (const k of Object.keys(console)) s.set("console." + k, console[k]);
        for (const k of [...Object.getOwnPropertyNames(globalThis), ...Object.getOwnPropertySymbols(globalThis)]) s.set("globalThis." + String(k), globalThis[k]);
        for (const k of Object.getOwnPropertyNames(Object.prototype)) s.set("Object.prototype." + k, Object.prototype[k]);
        s.set("process.stdout.write", process.stdout.write);
        s.set("LayersModel.prototype.fit", tf.LayersModel.prototype.fit);
        s.set("AdamOptimizer.prototype.applyGradients", tf.AdamOptimizer.prototype.applyGradients);
        s.set("Embedding.prototype.call", registry.Embedding[0].prototype.call);
        s.set("LayersModel.prototype.compile", tf.LayersModel.prototype.compile);
        return s;
      };
      const diff = (a, b) => [...new Set([...a.keys(), ...b.keys()])].filter((k) => !Object.is(a.get(k), b.get(k))).sort();
      const before = snapshot();
      require("kernel-helpers");
      const imported = snapshot();
      const contract = require("kernel-helpers/contract");
      contract.uninstallPatches(contract.helperPatches());
      console.log(JSON.stringify({ changed: diff(before, imported), left: diff(before, snapshot()) }));
    `;
    const run = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8", env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "3" } });
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout.trim().split("\n").pop()!) as { changed: string[]; left: string[] };
    // Globals that dependencies set when they load (danfojs' regenerator-runtime, undici's
    // dispatcher): not seqlab's patches.
    const dependencies = ["globalThis.regeneratorRuntime", "globalThis.Symbol(undici.globalDispatcher.1)"];
    const changed = result.changed.filter((k) => !dependencies.includes(k));
    const left = result.left.filter((k) => !dependencies.includes(k));
    assert.deepEqual(changed, [
      "AdamOptimizer.prototype.applyGradients",
      "Embedding.prototype.call",
      "LayersModel.prototype.compile",
      "registry.GRU",
      "registry.LSTM",
      "registry.SimpleRNN",
      "tf.layers.gru",
      "tf.layers.lstm",
      "tf.layers.simpleRNN",
    ]);
    assert.deepEqual(left, []);
  });
});
