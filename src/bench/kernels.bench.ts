/**
 * `npm run bench -- kernels`: seqlab's fused recurrent kernels alone, op by op.
 *
 * For each cell (LSTM, GRU reset-after, SimpleRNN; 32 units) and shape (the small workload's
 * batch x `[64, 50, 8]` and IMDB's `[128, 200, 32]`), it calls the forward op
 * (`SeqlabLstm`, `SeqlabGru`, `SeqlabRnn`) and then its gradient op on that call's outputs,
 * with the incoming gradient on the last state only, as in the rnn bench's models (no mask,
 * `tanh` / `sigmoid`). Each call is timed alone: CPU milliseconds of the whole process (every
 * thread, `process.cpuUsage()`) and wall milliseconds. Cases alternate within each round
 * (the order reversed every other round) and each metric is the median over all rounds.
 * GFLOP per CPU-second counts the matrix products only: `2·B·T·(F+U)·G` forward, twice that
 * backward (G = 4U, 3U, U).
 *
 * Settings: `SEQLAB_BENCH_CELLS=lstm,gru,simpleRNN`, `SEQLAB_BENCH_SHAPES=small,imdb`,
 * `SEQLAB_BENCH_ROUNDS` (default 7, `--quick` 2). Needs the fused kernels built
 * (`npm run seqlab -- setup`).
 *
 * @module
 */
import * as os from "node:os";
import * as tf from "@tensorflow/tfjs-node";
import { fusedOpsStatus } from "kernel-helpers";
import { intSetting, listSetting, median } from "./_settings";
import type { Benchmark, BenchContext, BenchRow } from "./types";

type Cell = "lstm" | "gru" | "simpleRNN";

interface Shape {
  name: string;
  B: number;
  T: number;
  F: number;
  U: number;
  /** Calls per case per round. */
  calls: number;
}

const SHAPES: Shape[] = [
  { name: "small", B: 64, T: 50, F: 8, U: 32, calls: 40 },
  { name: "imdb", B: 128, T: 200, F: 32, U: 32, calls: 6 },
];
const CELLS: Cell[] = ["lstm", "gru", "simpleRNN"];
const GATES: Record<Cell, number> = { lstm: 4, gru: 3, simpleRNN: 1 };

/** The part of tfjs-node's backend the bench calls (runs a TensorFlow op by name). */
interface NodeBackend {
  binding: { TF_ATTR_BOOL: number; TF_ATTR_STRING: number };
  executeMultipleOutputs(name: string, attrs: unknown[], inputs: tf.Tensor[], n: number): tf.Tensor[];
}

function nodeBackend(): NodeBackend {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require("@tensorflow/tfjs-node/dist/nodejs_kernel_backend") as { nodeBackend(): NodeBackend };
  return mod.nodeBackend();
}

/** One cell at one shape: its inputs and the two calls. */
interface Case {
  cell: Cell;
  shape: Shape;
  forward(): tf.Tensor[];
  backward(outs: tf.Tensor[]): tf.Tensor[];
  dispose(): void;
}

function makeCase(be: NodeBackend, cell: Cell, shape: Shape): Case {
  const { B, T, F, U } = shape;
  const G = GATES[cell] * U;
  const str = (name: string, value: string): unknown => ({ name, type: be.binding.TF_ATTR_STRING, value });
  const bool = (name: string, value: boolean): unknown => ({ name, type: be.binding.TF_ATTR_BOOL, value });
  const attrs = [str("activation", "tanh"), str("recurrent_activation", "sigmoid"), bool("go_backwards", false)];
  if (cell === "gru") attrs.push(bool("reset_after", true));
  // Seeded, so every run times the same numbers.
  const x = tf.randomUniform([B, T, F], -1, 1, "float32", 1);
  const w = tf.randomUniform([F, G], -0.3, 0.3, "float32", 2);
  const r = tf.randomUniform([U, G], -0.3, 0.3, "float32", 3);
  const b = tf.randomUniform([G], -0.1, 0.1, "float32", 4);
  const dhLast = tf.randomUniform([B, U], -1, 1, "float32", 5);
  const none = tf.tensor1d([], "float32");
  const run = (op: string, inputs: tf.Tensor[], n: number): tf.Tensor[] => be.executeMultipleOutputs(op, attrs, inputs, n);
  return {
    cell,
    shape,
    forward: () => {
      if (cell === "lstm") return run("SeqlabLstm", [x, w, r, b, none], 4);
      if (cell === "gru") return run("SeqlabGru", [x, w, r, b, b, none], 4);
      return run("SeqlabRnn", [x, w, r, b, none], 2);
    },
    backward: (o) => {
      if (cell === "lstm") return run("SeqlabLstmGrad", [x, w, r, none, o[0]!, o[1]!, o[2]!, none, dhLast, none], 4);
      if (cell === "gru") return run("SeqlabGruGrad", [x, w, r, none, o[0]!, o[1]!, o[2]!, none, dhLast], 5);
      return run("SeqlabRnnGrad", [x, w, r, none, o[0]!, none, dhLast], 4);
    },
    dispose: () => tf.dispose([x, w, r, b, dhLast, none]),
  };
}

/** CPU and wall milliseconds of one synchronous call, and its result. */
function timed<T>(fn: () => T): { value: T; cpuMs: number; wallMs: number } {
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  const value = fn();
  const wallMs = Number(process.hrtime.bigint() - wall0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  return { value, cpuMs: (cpu.user + cpu.system) / 1000, wallMs };
}

/**
 * The `kernels` benchmark (see the module notes).
 *
 * @example
 * ```ts
 * import kernels from "./kernels.bench";
 * const rows = await kernels.run({ quick: true, log: console.log });
 * rows.length; // 6: lstm, gru, simpleRNN x the small and imdb shapes (0 when the fused kernels are not built)
 * rows[0].case; // "lstm x[64,50,8] 32 units"
 * rows[0].metrics.calls; // 80: 40 calls a round x 2 rounds
 * (rows[0].metrics["fwd cpu ms"] as number) > 0; // true
 * ```
 */
const bench: Benchmark = {
  name: "kernels",
  description: "seqlab's fused recurrent kernels alone: CPU and wall ms per forward and backward call, per cell and shape",
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const cells = listSetting("SEQLAB_BENCH_CELLS", CELLS);
    const shapeNames = listSetting("SEQLAB_BENCH_SHAPES", SHAPES.map((s) => s.name));
    const rounds = intSetting("SEQLAB_BENCH_ROUNDS", ctx.quick ? 2 : 7);
    const status = fusedOpsStatus();
    if (!status.available) {
      ctx.log(`[kernels] skipped: ${status.reason}`);
      return [];
    }
    const be = nodeBackend();
    const cases = shapeNames.flatMap((name) => cells.map((cell) => makeCase(be, cell, SHAPES.find((s) => s.name === name)!)));
    const samples = cases.map(() => ({ fwdCpu: [] as number[], fwdWall: [] as number[], bwdCpu: [] as number[], bwdWall: [] as number[] }));
    const load0 = os.loadavg()[0]!;
    for (let round = 0; round < rounds + 1; round++) {
      const order = cases.map((_, i) => i);
      if (round % 2 === 1) order.reverse();
      for (const i of order) {
        const c = cases[i]!;
        for (let call = 0; call < c.shape.calls; call++) {
          const f = timed(() => c.forward());
          const g = timed(() => c.backward(f.value));
          tf.dispose([...f.value, ...g.value]);
          // Round 0 warms up (first calls allocate and fault in pages); it is not counted.
          if (round === 0) continue;
          const s = samples[i]!;
          s.fwdCpu.push(f.cpuMs);
          s.fwdWall.push(f.wallMs);
          s.bwdCpu.push(g.cpuMs);
          s.bwdWall.push(g.wallMs);
        }
      }
      if (round > 0) ctx.log(`[kernels] round ${round}/${rounds} done`);
    }
    const load1 = os.loadavg()[0]!;
    const rows = cases.map((c, i): BenchRow => {
      const { B, T, F, U } = c.shape;
      const flop = 2 * B * T * (F + U) * GATES[c.cell] * U;
      const s = samples[i]!;
      const fwdCpu = median(s.fwdCpu);
      const bwdCpu = median(s.bwdCpu);
      return {
        bench: "kernels",
        case: `${c.cell} x[${B},${T},${F}] ${U} units`,
        metrics: {
          "fwd cpu ms": fwdCpu,
          "fwd wall ms": median(s.fwdWall),
          "bwd cpu ms": bwdCpu,
          "bwd wall ms": median(s.bwdWall),
          "fwd GFLOP/cpu-s": flop / fwdCpu / 1e6,
          "bwd GFLOP/cpu-s": (2 * flop) / bwdCpu / 1e6,
          calls: s.fwdCpu.length,
          "load avg": `${load0.toFixed(1)}-${load1.toFixed(1)}`,
        },
      };
    });
    cases.forEach((c) => c.dispose());
    return rows;
  },
};

export default bench;
