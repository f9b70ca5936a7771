import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs-node";
import { FusedLSTM } from "kernel-helpers";
import { helperPatches, installPatches, uninstallPatches, type DisplayContent } from "kernel-helpers/contract";
import { createCellCompiler } from "../../../src/kernel/compiler";
import { createCellExecutor } from "../../../src/kernel/executor";
import { EXIT_GUARD_PATCH, ProcessExitRefused } from "../../../src/kernel/exit-guard";
import { kernelPatches, tfjsLoaded } from "../../../src/kernel/global-patches";
import { InterruptController } from "../../../src/kernel/interrupt";
import { createOutputRouter } from "../../../src/kernel/output-router";
import { patchTfjsTraining, trainingInterruptPatch } from "../../../src/kernel/training-interrupt";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tslab = require("tslab/dist/jupyter") as { lastWriteDisplayData: unknown };

/** Everything a global patch could change, by name → current value. */
function snapshot(): Map<string, unknown> {
  const s = new Map<string, unknown>();
  const layers = tf.layers as unknown as Record<string, unknown>;
  for (const k of Object.keys(layers)) s.set(`tf.layers.${k}`, layers[k]);
  const registry = tf.serialization.SerializationMap.getMap().classNameMap as unknown as Record<string, unknown>;
  for (const k of Object.keys(registry)) s.set(`registry.${k}`, registry[k]);
  const g = globalThis as unknown as Record<PropertyKey, unknown>;
  for (const k of [...Object.getOwnPropertyNames(g), ...Object.getOwnPropertySymbols(g)]) s.set(`globalThis.${String(k)}`, g[k]);
  const proto = Object.prototype as unknown as Record<string, unknown>;
  for (const k of Object.getOwnPropertyNames(proto)) s.set(`Object.prototype.${k}`, proto[k]);
  const console_ = console as unknown as Record<string, unknown>;
  for (const k of Object.keys(console_)) s.set(`console.${k}`, console_[k]);
  s.set("process.stdout.write", process.stdout.write);
  s.set("process.stderr.write", process.stderr.write);
  s.set("process.exit", process.exit);
  s.set("LayersModel.prototype.fit", tf.LayersModel.prototype.fit);
  s.set("LayersModel.prototype.fitDataset", tf.LayersModel.prototype.fitDataset);
  s.set("tslab.lastWriteDisplayData", tslab.lastWriteDisplayData);
  return s;
}

/** Set lazily by Node's own fetch (undici) when a dependency first uses it: not a seqlab patch. */
const NODE_LAZY = ["globalThis.Symbol(undici.globalDispatcher.1)"];

function changed(a: Map<string, unknown>, b: Map<string, unknown>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => !Object.is(a.get(k), b.get(k)) && !NODE_LAZY.includes(k)).sort();
}

describe("kernel global patches", function () {
  this.timeout(120_000);

  it("lists every patch: installing changes exactly their targets, twice is harmless, uninstalling restores", function () {
    const interrupts = new InterruptController();
    const compiler = createCellCompiler({ strict: true, inlineSourceMap: true });
    const executor = createCellExecutor({ rootDir: process.cwd(), compiler, interrupts, hiddenPaths: [] });
    const shown: DisplayContent[] = [];
    const sink = (content: DisplayContent): void => void shown.push(content);
    const { patch: routing } = createOutputRouter();
    const patches = kernelPatches({
      displaySink: sink,
      interruptSignal: interrupts,
      tslabDisplay: sink,
      owned: [executor.cellScopePatch, routing, EXIT_GUARD_PATCH, trainingInterruptPatch(interrupts)],
    });
    assert.deepEqual(patches.map((p) => p.name), [
      "kernel-helpers patches",
      "display sink",
      "interrupt signal",
      "tslab display hook",
      "cell scope",
      "stdout/stderr routing",
      "process.exit guard",
      "tfjs fit wrapper",
    ]);
    uninstallPatches(helperPatches());
    const pristine = snapshot();
    try {
      installPatches(patches);
      assert.ok(!(tf.layers.lstm({ units: 2 }) instanceof FusedLSTM), "fused layers before a cell loaded tfjs");
      assert.equal(patchTfjsTraining(tf), true, "the fit wrapper did not wrap tfjs-node");
      tfjsLoaded();
      assert.ok(helperPatches().every((p) => p.installed === (p.scope === "process")));
      const installed = snapshot();
      assert.deepEqual(changed(pristine, installed), [
        "LayersModel.prototype.fit",
        "LayersModel.prototype.fitDataset",
        "globalThis.Symbol(seqlab.kernel.cellScope)",
        "globalThis.Symbol(seqlab.kernel.display)",
        "globalThis.Symbol(seqlab.kernel.interrupt)",
        "process.exit",
        "process.stderr.write",
        "process.stdout.write",
        "registry.GRU",
        "registry.LSTM",
        "registry.SimpleRNN",
        "tf.layers.gru",
        "tf.layers.lstm",
        "tf.layers.simpleRNN",
        "tslab.lastWriteDisplayData",
      ]);
      installPatches(patches);
      patchTfjsTraining(tf);
      tfjsLoaded();
      assert.deepEqual(changed(installed, snapshot()), [], "installing twice changed something");
      assert.ok(tf.layers.lstm({ units: 2 }) instanceof FusedLSTM);
      assert.throws(() => process.exit(0), ProcessExitRefused);
      // A compile changes nothing global.
      const converted = compiler.convert("", "const x: number = 1;");
      assert.deepEqual(converted.diagnostics, []);
      assert.deepEqual(changed(installed, snapshot()), []);
    } finally {
      uninstallPatches(patches);
      const left = changed(pristine, snapshot());
      installPatches(helperPatches());
      compiler.close();
      assert.deepEqual(left, [], "uninstalling left changes behind");
    }
    assert.ok(patches.every((p) => !p.installed));
  });
});
