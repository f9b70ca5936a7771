/**
 * Windowing throughput: windows per second for `TimeseriesGenerator` and
 * `timeseriesDatasetFromArray` against a plain-array baseline (slicing nested JS arrays and
 * building each batch tensor with `tf.tensor3d`, what one writes without the helpers).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { TimeseriesGenerator, timeseriesDatasetFromArray } from "kernel-helpers";
import { median } from "./_settings";
import type { Benchmark, BenchContext, BenchRow } from "./types";

interface Workload {
  rows: number;
  features: number;
  length: number;
  batchSize: number;
  data: number[][];
  targets: number[];
}

function makeWorkload(rows: number): Workload {
  const features = 8;
  const data = Array.from({ length: rows }, (_, i) => Array.from({ length: features }, (_, j) => Math.sin(i * 0.01 + j)));
  const targets = Array.from({ length: rows }, (_, i) => Math.cos(i * 0.01));
  return { rows, features, length: 50, batchSize: 256, data, targets };
}

/** Plain arrays: for each batch, slice the windows out of the nested array and make tensors. */
function runBaseline(w: Workload): number {
  let windows = 0;
  for (let first = w.length; first < w.rows; first += w.batchSize) {
    const stop = Math.min(first + w.batchSize, w.rows);
    const xs: number[][][] = [];
    const ys: number[] = [];
    for (let r = first; r < stop; r++) {
      xs.push(w.data.slice(r - w.length, r));
      ys.push(w.targets[r]);
    }
    const tx = tf.tensor3d(xs);
    const ty = tf.tensor1d(ys);
    windows += tx.shape[0];
    tf.dispose([tx, ty]);
  }
  return windows;
}

function runGenerator(gen: TimeseriesGenerator): number {
  let windows = 0;
  for (let i = 0; i < gen.length; i++) {
    const { xs, ys } = gen.getBatch(i);
    windows += xs.shape[0];
    tf.dispose([xs, ys]);
  }
  return windows;
}

async function runDataset(ds: tf.data.Dataset<{ xs: tf.Tensor; ys: tf.Tensor }>): Promise<number> {
  let windows = 0;
  await ds.forEachAsync(({ xs, ys }) => {
    windows += xs.shape[0];
    tf.dispose([xs, ys]);
  });
  return windows;
}

async function timed(f: () => number | Promise<number>): Promise<{ windows: number; seconds: number }> {
  const t0 = process.hrtime.bigint();
  const windows = await f();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { windows, seconds };
}

/**
 * The `windows` benchmark (see the module notes): sliding windows per second of the windowing generators.
 *
 * @example
 * ```ts
 * import bench from "./windows.bench";
 * bench.name; // "windows"
 * const rows = await bench.run({ quick: true, log: console.log });
 * rows.every((r) => r.bench === "windows"); // true
 * ```
 */
const bench: Benchmark = {
  name: "windows",
  description: "Sliding windows per second: TimeseriesGenerator and timeseriesDatasetFromArray vs plain arrays + tf.tensor3d",
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const rows = ctx.quick ? 20_000 : 200_000;
    const repeats = ctx.quick ? 3 : 7;
    ctx.log(`windows: building ${rows} rows x 8 features`);
    const w = makeWorkload(rows);
    // Both helpers see the same windows as the baseline: rows r-50..r-1 for targets r = 50..rows-1.
    const gen = new TimeseriesGenerator(w.data, w.targets, { length: w.length, batchSize: w.batchSize });
    const ds = timeseriesDatasetFromArray(w.data.slice(0, -1), w.targets.slice(w.length), {
      sequenceLength: w.length,
      batchSize: w.batchSize,
    });
    const rates: Record<string, number[]> = { baseline: [], generator: [], dataset: [] };
    // warm-up
    runGenerator(new TimeseriesGenerator(w.data.slice(0, 2000), w.targets.slice(0, 2000), { length: w.length, batchSize: w.batchSize }));
    for (let k = 0; k < repeats; k++) {
      const b = await timed(() => runBaseline(w));
      const g = await timed(() => runGenerator(gen));
      const d = await timed(() => runDataset(ds));
      if (b.windows !== g.windows || g.windows !== d.windows) {
        throw new Error(`window counts differ: baseline ${b.windows}, generator ${g.windows}, dataset ${d.windows}`);
      }
      rates.baseline.push(b.windows / b.seconds);
      rates.generator.push(g.windows / g.seconds);
      rates.dataset.push(d.windows / d.seconds);
      ctx.log(`windows: repeat ${k + 1}/${repeats} done`);
    }
    const base = median(rates.baseline);
    const caseName = `${rows} rows x 8 features, length 50, batch 256`;
    const row = (name: string, key: string): BenchRow => ({
      bench: "windows",
      case: `${name}: ${caseName}`,
      metrics: {
        "windows/s": Math.round(median(rates[key])),
        "vs plain arrays ratio": Number((median(rates[key]) / base).toFixed(2)),
      },
    });
    return [row("plain arrays + tf.tensor3d", "baseline"), row("TimeseriesGenerator", "generator"), row("timeseriesDatasetFromArray", "dataset")];
  },
};

export default bench;
