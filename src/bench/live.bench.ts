/**
 * Overhead of `liveTraining()` on `model.fit`: the same training with and without the live
 * callback, interleaved, medians. Displays go through a stand-in kernel channel that
 * serialises each message as the kernel does (JSON), so the cost of building figures, SVG
 * and messages is counted. The target: under 5% slower.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { liveTraining } from "kernel-helpers";
import { installDisplaySink } from "kernel-helpers/contract";
import { median } from "./_settings";
import type { Benchmark, BenchRow } from "./types";

function buildModel(timesteps: number, features: number): tf.LayersModel {
  const model = tf.sequential({
    layers: [tf.layers.lstm({ units: 16, inputShape: [timesteps, features], kernelInitializer: "glorotUniform", recurrentInitializer: "glorotUniform" }), tf.layers.dense({ units: 1 })],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: "meanSquaredError", metrics: ["mae"] });
  return model;
}

/**
 * The `live` benchmark (see the module notes): what `liveTraining()` costs `model.fit`.
 *
 * @example
 * ```ts
 * import bench from "./live.bench";
 * bench.name; // "live"
 * const rows = await bench.run({ quick: true, log: console.log });
 * rows.every((r) => r.bench === "live"); // true
 * ```
 */
const bench: Benchmark = {
  name: "live",
  description: "model.fit with liveTraining() (default throttle and every batch) vs without: overhead in %",
  async run(ctx): Promise<BenchRow[]> {
    // Full mode trains for a few seconds per fit, like a lesson does, so the fixed first and
    // last draws weigh as they do in practice.
    const samples = ctx.quick ? 512 : 4096;
    const epochs = ctx.quick ? 2 : 4;
    const repeats = ctx.quick ? 3 : 5;
    const [timesteps, features] = [20, 4];
    const x = tf.randomNormal([samples, timesteps, features], 0, 1, "float32", 1);
    const y = tf.randomNormal([samples, 1], 0, 1, "float32", 2);
    let messages = 0;
    let bytes = 0;
    const previous = installDisplaySink((content) => {
      messages++;
      bytes += JSON.stringify(content).length;
    });
    const variants: Array<[string, () => tf.CustomCallbackArgs[] | tf.Callback[]]> = [
      ["plain fit", () => []],
      ["liveTraining() (every 500 ms)", () => [liveTraining()]],
      ["liveTraining({every: 0}) (every batch)", () => [liveTraining({ every: 0 })]],
    ];
    const times = new Map<string, number[]>(variants.map(([n]) => [n, []]));
    const counts = new Map<string, number>();
    try {
      const warm = buildModel(timesteps, features);
      await warm.fit(x, y, { epochs: 1, batchSize: 64, verbose: 0 });
      warm.dispose();
      for (let r = 0; r < repeats; r++) {
        // Rotate the order each repeat so no variant always runs first (warm caches, GC).
        const order = variants.map((_, i) => variants[(i + r) % variants.length]!);
        for (const [name, callbacks] of order) {
          const model = buildModel(timesteps, features);
          messages = 0;
          const t0 = performance.now();
          await model.fit(x, y, { epochs, batchSize: 64, validationSplit: 0.2, verbose: 0, callbacks: callbacks() as tf.Callback[] });
          times.get(name)!.push((performance.now() - t0) / 1000);
          counts.set(name, messages);
          model.dispose();
        }
        ctx.log(`live: repeat ${r + 1}/${repeats} done`);
      }
    } finally {
      installDisplaySink(previous);
      tf.dispose([x, y]);
    }
    const base = median(times.get("plain fit")!);
    return variants.map(([name]) => {
      const t = median(times.get(name)!);
      return {
        bench: "live",
        case: `${name}, LSTM 16 on x[${samples},${timesteps},${features}], ${epochs} epochs`,
        metrics: {
          "s/fit (median)": Number(t.toFixed(3)),
          "overhead %": Number((((t - base) / base) * 100).toFixed(2)),
          "display messages": counts.get(name) ?? 0,
        },
      };
    });
  },
};

export default bench;
