/**
 * Recurrent training speed beyond `rnn`'s two workloads: masking, stacked, bidirectional, a
 * per-step output and the course's three builders (`_variant-models.ts`), each for LSTM, GRU
 * and SimpleRNN, side by side with Keras (the same model, `keras-rnn.py`) and with another
 * seqlab checkout (`SEQLAB_BENCH_BASELINE`, e.g. the code before a speed change: is the
 * current code slower anywhere?).
 *
 * Every side trains in its own process (`_seqlab-side.ts` runs the current code and the
 * baseline with the same worker script), on the same arrays (`_variant-data.ts`), a fresh model
 * per round, in interleaved rounds (the order of the sides reverses every round). Each side's
 * seconds per epoch is the median of epochs 2..E over the rounds (epoch 1 is warm-up), wall
 * and CPU (every thread of the process). Ratios: Keras ÷ seqlab and baseline ÷ seqlab (above 1:
 * the current code is faster). Each row also gives the tfjs kernels per batch of both checkouts
 * (`tf.profile`: a model that falls back to tfjs' per-step recurrent code shows hundreds more)
 * and the most tensors a fit left behind (0 expected; a process' first fit, which also creates
 * one-time caches, is not counted).
 *
 * Settings (environment): `SEQLAB_BENCH_PYTHON` (see `_keras-side.ts`; `none` for no Keras),
 * `SEQLAB_BENCH_BASELINE` (a seqlab checkout with `npm install` done), `SEQLAB_BENCH_ROUNDS`
 * (default 2, quick 1), `SEQLAB_BENCH_EPOCHS` (E, default 3, quick 2), `SEQLAB_BENCH_VARIANTS`
 * (default all: `masking,stacked,bidirectional,returnSequences,classifier,charModel,forecaster`),
 * `SEQLAB_BENCH_CELLS` (`lstm,gru,simpleRNN`).
 *
 * @module
 */
import * as fs from "node:fs";
import { projectRoot } from "../setup/paths";
import { findKerasPython, KerasSide } from "./_keras-side";
import type { JsonLinesProcess } from "./_json-lines-process";
import { findBaseline, SeqlabSide } from "./_seqlab-side";
import { intSetting, listSetting, median } from "./_settings";
import { DEFAULT_SIZES, QUICK_SIZES, writeVariantData } from "./_variant-data";
import {
  CHARS,
  EMBEDDING_DIM,
  VARIANT_CELLS,
  VARIANT_KEYS,
  VARIANT_UNITS,
  VARIANTS,
  VariantCell,
  VariantKey,
  WORDS,
} from "./_variant-models";
import type { Benchmark, BenchContext, BenchRow } from "./types";

/**
 * A row of this benchmark: the printed metrics plus the flat fields of `--json`.
 *
 * @example
 * ```ts
 * const rows = (await rnnVariantsBenchmark.run({ quick: true, log: console.log })) as VariantRow[];
 * rows.every((r) => VARIANT_KEYS.includes(r.variant)); // true
 * ```
 */
export interface VariantRow extends BenchRow {
  workload: string;
  variant: VariantKey;
  cell: string;
  keras_s: number | null;
  seqlab_s: number;
  baseline_s: number | null;
  keras_cpu_s: number | null;
  seqlab_cpu_s: number;
  baseline_cpu_s: number | null;
  /** Keras ÷ seqlab, wall. */
  keras_ratio: number | null;
  /** baseline ÷ seqlab, wall (≥ 1: no slower than the baseline). */
  baseline_ratio: number | null;
  keras_cpu_ratio: number | null;
  baseline_cpu_ratio: number | null;
  seqlab_tfjs_ops_per_batch: number;
  baseline_tfjs_ops_per_batch: number | null;
  /** Most tensors one of seqlab's fits left behind (a process' first fit aside). */
  seqlab_leaked_tensors: number;
  /** The same for the baseline. */
  baseline_leaked_tensors: number | null;
}

const CELL_NAMES: Record<VariantCell, string> = { lstm: "LSTM", gru: "GRU", simpleRNN: "SimpleRNN" };
type SideName = "keras" | "seqlab" | "baseline";
interface Times {
  wall: number[];
  cpu: number[];
}

const round3 = (v: number): number => Number(v.toFixed(3));
const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : Number((a / b).toFixed(2)));
const orDash = (v: number | null): number | string => (v === null ? "-" : v);

function describeData(shape: number[], batchSize: number, name: string): string {
  return `${name} [${shape.join(", ")}], batch ${batchSize}`;
}

/**
 * The `rnn-variants` benchmark (see the module notes): seconds per epoch of recurrent variants and the course's builders, against Keras and an optional baseline checkout.
 *
 * @example
 * ```ts
 * import rnnVariantsBenchmark from "./rnn-variants.bench";
 * rnnVariantsBenchmark.name; // "rnn-variants"
 * const rows = await rnnVariantsBenchmark.run({ quick: true, log: console.log });
 * rows.every((r) => r.bench === "rnn-variants"); // true
 * ```
 */
const rnnVariantsBenchmark: Benchmark = {
  name: "rnn-variants",
  description:
    "Seconds per training epoch of masking, stacked, bidirectional, per-step-output models and the course's builders: seqlab vs Keras vs a baseline checkout, side by side",
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const rounds = intSetting("SEQLAB_BENCH_ROUNDS", ctx.quick ? 1 : 2);
    const epochs = intSetting("SEQLAB_BENCH_EPOCHS", ctx.quick ? 2 : 3, 2, "epoch 1 is warm-up, not timed");
    const variants = listSetting<VariantKey>("SEQLAB_BENCH_VARIANTS", VARIANT_KEYS);
    const cells = listSetting<VariantCell>("SEQLAB_BENCH_CELLS", VARIANT_CELLS);
    const sizes = ctx.quick ? QUICK_SIZES : DEFAULT_SIZES;
    const baseline = findBaseline();
    const found = findKerasPython(ctx.log);

    const dataKeys = [...new Set(variants.map((v) => VARIANTS[v].data))];
    const { dir, loads } = writeVariantData(dataKeys, sizes);
    const shapes = new Map(loads.map((l) => [l.name, l.x_shape]));
    const sides = new Map<SideName, JsonLinesProcess>();
    try {
      const seqlab = new SeqlabSide("seqlab side", projectRoot);
      sides.set("seqlab", seqlab);
      const hello = await seqlab.request({ op: "hello" });
      ctx.log(`rnn-variants: seqlab: tfjs ${String(hello.tfjs)}, fused kernels ${hello.fused ? "on" : `off (${String(hello.fused_reason)})`}`);
      if ("root" in baseline) {
        const side = new SeqlabSide("baseline side", baseline.root);
        sides.set("baseline", side);
        const h = await side.request({ op: "hello" });
        ctx.log(`rnn-variants: baseline ${baseline.root}: tfjs ${String(h.tfjs)}, fused kernels ${h.fused ? "on" : `off (${String(h.fused_reason)})`}`);
      } else {
        ctx.log(`rnn-variants: ${baseline.reason}.`);
      }
      if ("python" in found) {
        const keras = new KerasSide(found.python);
        sides.set("keras", keras);
        const h = await keras.request({ op: "hello" });
        ctx.log(`rnn-variants: Keras ${String(h.keras)} on TensorFlow ${String(h.tensorflow)} (${found.python})`);
      } else {
        ctx.log(`rnn-variants: no Keras side: ${found.reason}.`);
      }
      for (const side of sides.values()) for (const load of loads) await side.request(load);

      const times = new Map<string, Record<SideName, Times>>();
      const ops = new Map<string, Partial<Record<SideName, number>>>();
      const leaks = new Map<string, number>(); // key: `${side}:${variant}/${cell}`
      const kerasFailed = new Map<string, string>();
      const noteLeak = (at: string, n: number): void => void leaks.set(at, Math.max(leaks.get(at) ?? 0, n));
      const fitOn = async (name: SideName, key: string, v: VariantKey, cell: VariantCell): Promise<void> => {
        const side = sides.get(name);
        if (!side || kerasFailed.has(key)) return;
        const spec = VARIANTS[v];
        const request =
          name === "keras"
            ? {
                op: "fit_variant", data: spec.data, variant: v, cell, batch_size: spec.batchSize, epochs,
                units: VARIANT_UNITS, words: WORDS, chars: CHARS, embedding_dim: EMBEDDING_DIM,
              }
            : { op: "fit", data: spec.data, variant: v, cell, batch_size: spec.batchSize, epochs };
        let reply: Record<string, unknown>;
        try {
          reply = await side.request(request);
        } catch (err) {
          if (name !== "keras") throw err;
          kerasFailed.set(key, err instanceof Error ? err.message : String(err));
          ctx.log(`rnn-variants: Keras could not train ${key}: ${kerasFailed.get(key)}`);
          return;
        }
        const t = times.get(key)![name];
        t.wall.push(...(reply.epoch_seconds as number[]).slice(1));
        t.cpu.push(...(reply.epoch_cpu_seconds as number[]).slice(1));
        if (name !== "keras") {
          // A process' first model also leaves its one-time caches (see `_variant-worker.ts`).
          if (reply.first !== true) noteLeak(`${name}:${key}`, Number(reply.leaked_tensors));
          const notices = reply.notices as string[];
          if (notices.length > 0) ctx.log(`rnn-variants: ${name} ${key}: ${notices.join(" | ")}`);
        }
      };
      for (let r = 0; r < rounds; r++) {
        const order: SideName[] = r % 2 === 0 ? ["keras", "seqlab", "baseline"] : ["baseline", "seqlab", "keras"];
        for (const v of variants) {
          for (const cell of cells) {
            const key = `${v}/${cell}`;
            if (!times.has(key)) {
              const empty = (): Times => ({ wall: [], cpu: [] });
              times.set(key, { keras: empty(), seqlab: empty(), baseline: empty() });
            }
            for (const name of order) await fitOn(name, key, v, cell);
            const t = times.get(key)!;
            const last = (a: number[]): string => (a.length ? a.slice(-(epochs - 1)).map((s) => s.toFixed(3)).join(" ") : "-");
            ctx.log(
              `rnn-variants: round ${r + 1}/${rounds} ${v} ${CELL_NAMES[cell]}: Keras ${last(t.keras.wall)} s, seqlab ${last(t.seqlab.wall)} s, baseline ${last(t.baseline.wall)} s`,
            );
          }
        }
      }
      // tfjs kernels per batch, after the timed rounds (not disturbing them).
      for (const v of variants) {
        for (const cell of cells) {
          const key = `${v}/${cell}`;
          const counts: Partial<Record<SideName, number>> = {};
          for (const name of ["seqlab", "baseline"] as const) {
            const side = sides.get(name);
            if (!side) continue;
            const reply = await side.request({ op: "profile", data: VARIANTS[v].data, variant: v, cell, batch_size: VARIANTS[v].batchSize, batches: 3 });
            counts[name] = Number(reply.tfjs_ops_per_batch);
            if (reply.first !== true) noteLeak(`${name}:${key}`, Number(reply.leaked_tensors));
          }
          ops.set(key, counts);
        }
      }

      const rows: VariantRow[] = [];
      for (const v of variants) {
        const spec = VARIANTS[v];
        for (const cell of cells) {
          const key = `${v}/${cell}`;
          const t = times.get(key)!;
          const med = (a: number[]): number | null => (a.length ? round3(median(a)) : null);
          const seqlabS = med(t.seqlab.wall)!;
          const seqlabCpu = med(t.seqlab.cpu)!;
          const [kerasS, kerasCpu, baseS, baseCpu] = [t.keras.wall, t.keras.cpu, t.baseline.wall, t.baseline.cpu].map(med);
          const count = ops.get(key)!;
          const row: VariantRow = {
            bench: "rnn-variants",
            case: `${v}: ${CELL_NAMES[cell]} (${spec.name})`,
            workload: describeData(shapes.get(spec.data)!, spec.batchSize, spec.data),
            variant: v,
            cell: CELL_NAMES[cell],
            keras_s: kerasS,
            seqlab_s: seqlabS,
            baseline_s: baseS,
            keras_cpu_s: kerasCpu,
            seqlab_cpu_s: seqlabCpu,
            baseline_cpu_s: baseCpu,
            keras_ratio: ratio(kerasS, seqlabS),
            baseline_ratio: ratio(baseS, seqlabS),
            keras_cpu_ratio: ratio(kerasCpu, seqlabCpu),
            baseline_cpu_ratio: ratio(baseCpu, seqlabCpu),
            seqlab_tfjs_ops_per_batch: Math.round(count.seqlab!),
            baseline_tfjs_ops_per_batch: count.baseline === undefined ? null : Math.round(count.baseline),
            seqlab_leaked_tensors: leaks.get(`seqlab:${key}`) ?? 0,
            baseline_leaked_tensors: sides.has("baseline") ? (leaks.get(`baseline:${key}`) ?? 0) : null,
            metrics: {},
          };
          row.metrics = {
            data: row.workload,
            "Keras s/epoch": orDash(kerasS),
            "seqlab s/epoch": seqlabS,
            "baseline s/epoch": orDash(baseS),
            "Keras/seqlab x": orDash(row.keras_ratio),
            "baseline/seqlab x": orDash(row.baseline_ratio),
            "Keras CPU s/epoch": orDash(kerasCpu),
            "seqlab CPU s/epoch": seqlabCpu,
            "baseline CPU s/epoch": orDash(baseCpu),
            "CPU Keras/seqlab x": orDash(row.keras_cpu_ratio),
            "CPU baseline/seqlab x": orDash(row.baseline_cpu_ratio),
            "tfjs ops/batch seqlab": row.seqlab_tfjs_ops_per_batch,
            "tfjs ops/batch baseline": orDash(row.baseline_tfjs_ops_per_batch),
            "leaked tensors seqlab": row.seqlab_leaked_tensors,
            "leaked tensors baseline": orDash(row.baseline_leaked_tensors),
            ...(kerasFailed.has(key) ? { "Keras failed": kerasFailed.get(key)! } : {}),
          };
          rows.push(row);
        }
      }
      ctx.log(`rnn-variants: medians of epochs 2..${epochs} over ${rounds} round(s)`);
      return rows;
    } finally {
      for (const side of sides.values()) side.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default rnnVariantsBenchmark;
