/**
 * Recurrent training speed, seqlab against Keras side by side: for each workload and cell
 * (LSTM, GRU, SimpleRNN) the same model (see `_rnn-workloads.ts`) is trained by Keras (in a
 * Python process, see `_keras-side.ts`) and by seqlab, in interleaved rounds (the side that
 * goes first alternates); each side's seconds per epoch is the median of epochs 2..E over
 * all rounds (epoch 1 is warm-up: Keras traces its graph).
 *
 * Workloads: x `[2000, 50, 8]`, batch 64; IMDB 25,000 × 200 with Embedding(10000, 32),
 * batch 128. Each row prints Keras s/epoch, seqlab s/epoch, their ratio (Keras ÷ seqlab,
 * above 1 means seqlab is faster), the GFLOP/s seqlab achieves on the recurrent arithmetic
 * and that as a fraction of a GEMM peak measured in the same run, and where seqlab's epoch
 * goes (see `_rnn-breakdown.ts`; the Embedding's, Adam's and the Dense layer's pieces also with tfjs' own code, to
 * show what the fused training kernels save). Both sides' CPU seconds per epoch (all threads) are printed
 * too: on a busy shared machine they move much less than wall time.
 *
 * Settings (environment): `SEQLAB_BENCH_PYTHON` (see `_keras-side.ts`),
 * `SEQLAB_BENCH_ROUNDS` (default 2, quick 1), `SEQLAB_BENCH_EPOCHS` (E, default 3, quick 2),
 * `SEQLAB_BENCH_WORKLOADS` (`synthetic,imdb`), `SEQLAB_BENCH_CELLS` (`lstm,gru,simpleRNN`).
 *
 * @module
 */
import * as fs from "node:fs";
import * as tf from "@tensorflow/tfjs-node";
import { fusedOpsStatus } from "kernel-helpers";
import { findKerasPython, KerasSide } from "./_keras-side";
import { breakdown, formatBreakdown, formatStock } from "./_rnn-breakdown";
import { intSetting, listSetting, median } from "./_settings";
import {
  BenchCell,
  CELL_NAMES,
  exportForKeras,
  gemmPeakGflops,
  imdbWorkload,
  recurrentFlopsPerEpoch,
  seqlabEpochs,
  syntheticWorkload,
  UNITS,
  Workload,
} from "./_rnn-workloads";
import type { Benchmark, BenchContext, BenchRow } from "./types";

/**
 * A row of this benchmark: the printed metrics plus the flat fields of `--json`.
 *
 * @example
 * ```ts
 * const rows = (await rnnBenchmark.run({ quick: true, log: console.log })) as RnnRow[];
 * rows.every((r) => r.seqlab_s > 0); // true
 * ```
 */
export interface RnnRow extends BenchRow {
  workload: string;
  cell: string;
  keras_s: number | null;
  seqlab_s: number;
  keras_cpu_s: number | null;
  seqlab_cpu_s: number;
  ratio: number | null;
  gflops: number;
  peak_fraction: number;
}

const round3 = (v: number): number => Number(v.toFixed(3));

/**
 * The `rnn` benchmark (see the module notes): seconds per epoch of the fused recurrent layers against Keras, side by side.
 *
 * @example
 * ```ts
 * import rnnBenchmark from "./rnn.bench";
 * rnnBenchmark.name; // "rnn"
 * const rows = await rnnBenchmark.run({ quick: true, log: console.log });
 * rows.every((r) => r.bench === "rnn"); // true
 * ```
 */
const rnnBenchmark: Benchmark = {
  name: "rnn",
  description:
    "Seconds per training epoch, seqlab's fused recurrent layers vs Keras side by side (LSTM, GRU, SimpleRNN; 32 units)",
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const status = fusedOpsStatus();
    if (!status.available) ctx.log(`rnn: fused kernels unavailable (${status.reason}); seqlab runs standard layers.`);
    else ctx.log("rnn: seqlab runs the fused recurrent kernels, and fused kernels for Adam, the Embedding, the output Dense layer and the loss");
    const rounds = intSetting("SEQLAB_BENCH_ROUNDS", ctx.quick ? 1 : 2);
    const epochs = intSetting("SEQLAB_BENCH_EPOCHS", ctx.quick ? 2 : 3, 2, "epoch 1 is warm-up, not timed");
    const workloadKeys = listSetting("SEQLAB_BENCH_WORKLOADS", ["synthetic", "imdb"] as const);
    const cells = listSetting<BenchCell>("SEQLAB_BENCH_CELLS", ["lstm", "gru", "simpleRNN"]);

    const found = findKerasPython(ctx.log);
    let keras: KerasSide | null = null;
    if ("python" in found) {
      keras = new KerasSide(found.python);
      const hello = await keras.request({ op: "hello" });
      ctx.log(`rnn: Keras ${String(hello.keras)} on TensorFlow ${String(hello.tensorflow)} (${found.python})`);
    } else {
      ctx.log(`rnn: ${found.reason}; printing seqlab alone.`);
    }
    const peaks = [gemmPeakGflops()];
    ctx.log(`rnn: GEMM peak ${peaks[0].toFixed(1)} GFLOP/s (1024^3 float32 matmul, TensorFlow, all cores)`);

    const workloads: Workload[] = workloadKeys.map((k) =>
      k === "synthetic" ? syntheticWorkload() : imdbWorkload(ctx.quick ? 2560 : 25000),
    );
    const tmpDirs: string[] = [];
    try {
      if (keras) {
        for (const w of workloads) {
          const load = exportForKeras(w);
          tmpDirs.push(load.dir as string);
          await keras.request(load);
        }
      }
      const times = new Map<string, { keras: number[]; seqlab: number[]; kerasCpu: number[]; seqlabCpu: number[] }>();
      for (let r = 0; r < rounds; r++) {
        for (const w of workloads) {
          for (const cell of cells) {
            const key = `${w.key}/${cell}`;
            const t = times.get(key) ?? { keras: [], seqlab: [], kerasCpu: [], seqlabCpu: [] };
            times.set(key, t);
            const runKeras = async (): Promise<void> => {
              if (!keras) return;
              const reply = await keras.request({
                op: "fit", data: w.key, cell, units: UNITS, embedding: w.embedding, batch_size: w.batchSize, epochs,
              });
              t.keras.push(...(reply.epoch_seconds as number[]).slice(1));
              t.kerasCpu.push(...(reply.epoch_cpu_seconds as number[]).slice(1));
            };
            const runSeqlab = async (): Promise<void> => {
              const got = await seqlabEpochs(w, cell, epochs);
              t.seqlab.push(...got.seconds.slice(1));
              t.seqlabCpu.push(...got.cpuSeconds.slice(1));
            };
            if (r % 2 === 0) {
              await runKeras();
              await runSeqlab();
            } else {
              await runSeqlab();
              await runKeras();
            }
            const last = (a: number[]): string => (a.length ? a.slice(-(epochs - 1)).map((s) => s.toFixed(3)).join(" ") : "-");
            ctx.log(`rnn: round ${r + 1}/${rounds} ${CELL_NAMES[cell]} ${w.key}: Keras ${last(t.keras)} s, seqlab ${last(t.seqlab)} s`);
          }
        }
      }
      peaks.push(gemmPeakGflops());
      const peak = Math.max(...peaks);
      const rows: RnnRow[] = [];
      for (const w of workloads) {
        for (const cell of cells) {
          const t = times.get(`${w.key}/${cell}`)!;
          const seqlabS = median(t.seqlab);
          const kerasS = t.keras.length ? median(t.keras) : null;
          const kerasCpu = t.kerasCpu.length ? median(t.kerasCpu) : null;
          const seqlabCpu = median(t.seqlabCpu);
          const gflops = recurrentFlopsPerEpoch(w, cell) / seqlabS / 1e9;
          const { parts, stock, tfjsOpsPerBatch } = await breakdown(w, cell);
          rows.push({
            bench: "rnn",
            case: `${w.name}: ${CELL_NAMES[cell]}`,
            workload: w.key,
            cell: CELL_NAMES[cell],
            keras_s: kerasS === null ? null : round3(kerasS),
            seqlab_s: round3(seqlabS),
            ratio: kerasS === null ? null : Number((kerasS / seqlabS).toFixed(2)),
            gflops: Number(gflops.toFixed(2)),
            peak_fraction: round3(gflops / peak),
            keras_cpu_s: kerasCpu === null ? null : round3(kerasCpu),
            seqlab_cpu_s: round3(seqlabCpu),
            metrics: {
              "Keras s/epoch": kerasS === null ? "-" : round3(kerasS),
              "seqlab s/epoch": round3(seqlabS),
              "Keras/seqlab x": kerasS === null ? "-" : Number((kerasS / seqlabS).toFixed(2)),
              "GFLOP/s": Number(gflops.toFixed(2)),
              "of GEMM peak": round3(gflops / peak),
              "Keras CPU s/epoch": kerasCpu === null ? "-" : round3(kerasCpu),
              "seqlab CPU s/epoch": round3(seqlabCpu),
              "CPU Keras/seqlab x": kerasCpu === null ? "-" : Number((kerasCpu / seqlabCpu).toFixed(2)),
              "CPU breakdown": formatBreakdown(parts),
              "same pieces, tfjs' own code": formatStock(stock),
              "tfjs ops per batch": Math.round(tfjsOpsPerBatch),
            },
          });
        }
      }
      ctx.log(`rnn: GEMM peak ${peak.toFixed(1)} GFLOP/s; medians of epochs 2..${epochs} over ${rounds} round(s)`);
      return rows;
    } finally {
      keras?.close();
      for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
      for (const w of workloads) tf.dispose([w.x, w.y]);
    }
  },
};

export default rnnBenchmark;
