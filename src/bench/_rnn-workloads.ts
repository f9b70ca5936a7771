/**
 * The recurrent benchmark's workloads and the seqlab model it trains on them, the same model
 * `keras-rnn.py` builds in Keras: Input → [Embedding] → cell(32) → Dense(1, sigmoid), Adam
 * (learning rate 1e-3), binary cross-entropy, no metrics, Keras' recurrent defaults (sigmoid
 * recurrent activation, Glorot-uniform / orthogonal initializers, LSTM unit forget bias, GRU
 * `reset_after=True`).
 *
 * @module
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-node";
import { gru, imdb, lstm, padSequences, simpleRNN } from "kernel-helpers";

/**
 * The three cells, in the order the benchmark runs them.
 *
 * @example
 * ```ts
 * const cell: BenchCell = "gru";
 * CELL_NAMES[cell]; // "GRU"
 * ```
 */
export type BenchCell = "lstm" | "gru" | "simpleRNN";
/**
 * Printed names.
 *
 * @example
 * ```ts
 * CELL_NAMES.simpleRNN; // "SimpleRNN"
 * ```
 */
export const CELL_NAMES: Record<BenchCell, string> = { lstm: "LSTM", gru: "GRU", simpleRNN: "SimpleRNN" };
/**
 * Units of every recurrent layer.
 *
 * @example
 * ```ts
 * UNITS; // 32
 * ```
 */
export const UNITS = 32;

/**
 * One dataset and how both sides train on it.
 *
 * @example
 * ```ts
 * const w: Workload = syntheticWorkload();
 * [w.key, w.steps, w.features, w.embedding]; // ["synthetic", 50, 8, null]
 * tf.dispose([w.x, w.y]);
 * ```
 */
export interface Workload {
  /** Short key, e.g. `"synthetic"`. */
  key: string;
  /** Printed name. */
  name: string;
  x: tf.Tensor;
  y: tf.Tensor;
  batchSize: number;
  /** `[inputDim, outputDim]` of the Embedding, or null for float inputs. */
  embedding: [number, number] | null;
  /** Time steps. */
  steps: number;
  /** Features per step seen by the recurrent layer. */
  features: number;
}

/**
 * x `[2000, 50, 8]` of noise and random 0/1 labels, batch 64 (seeded).
 *
 * @example
 * ```ts
 * const w = syntheticWorkload();
 * [w.x.shape, w.y.shape, w.batchSize]; // [[2000, 50, 8], [2000, 1], 64]
 * tf.dispose([w.x, w.y]);
 * ```
 */
export function syntheticWorkload(): Workload {
  const x = tf.randomNormal([2000, 50, 8], 0, 1, "float32", 1);
  const y = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([2000, 1], 0, 1, "float32", 2), 0.5), "float32"));
  return { key: "synthetic", name: "x [2000, 50, 8], batch 64", x, y, batchSize: 64, embedding: null, steps: 50, features: 8 };
}

/**
 * IMDB's 25,000 training reviews (`imdb.loadData({numWords: 10000})`), padded and
 * truncated to 200 ids (Keras' `pad_sequences` defaults), Embedding(10000, 32), batch 128.
 *
 * @param count How many reviews (all 25,000 unless a quick run asks for fewer).
 * @example
 * ```ts
 * const w = imdbWorkload(256);
 * [w.x.shape, w.embedding]; // [[256, 200], [10000, 32]]
 * tf.dispose([w.x, w.y]);
 * ```
 */
export function imdbWorkload(count = 25000): Workload {
  const { train } = imdb.loadData({ numWords: 10000 });
  const rows = padSequences(train.x.slice(0, count), { maxlen: 200 });
  const data = new Int32Array(rows.length * 200);
  rows.forEach((r, i) => data.set(r, i * 200));
  return {
    key: "imdb",
    name: `IMDB ${rows.length} x 200, Embedding(10000, 32), batch 128`,
    x: tf.tensor2d(data, [rows.length, 200], "int32"),
    y: tf.tensor2d(train.y.slice(0, count), [rows.length, 1], "float32"),
    batchSize: 128,
    embedding: [10000, 32],
    steps: 200,
    features: 32,
  };
}

/**
 * Writes the workload's arrays as raw little-endian files for the Keras side.
 *
 * @returns The request that loads them in `keras-rnn.py` (its `dir`: remove it when done).
 * @example
 * ```ts
 * const w = syntheticWorkload();
 * const load = exportForKeras(w);
 * [load.op, load.name, load.x_shape, load.x_dtype]; // ["load", "synthetic", [2000, 50, 8], "float32"]
 * fs.rmSync(load.dir as string, { recursive: true });
 * tf.dispose([w.x, w.y]);
 * ```
 */
export function exportForKeras(w: Workload): Record<string, unknown> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-bench-"));
  const xFile = path.join(dir, "x.bin");
  const yFile = path.join(dir, "y.bin");
  const xData = w.x.dataSync();
  fs.writeFileSync(xFile, Buffer.from(xData.buffer, xData.byteOffset, xData.byteLength));
  const yData = w.y.dataSync();
  fs.writeFileSync(yFile, Buffer.from(yData.buffer, yData.byteOffset, yData.byteLength));
  return { op: "load", name: w.key, x: xFile, x_shape: w.x.shape, x_dtype: w.x.dtype, y: yFile, dir };
}

/**
 * seqlab's model for the workload and cell (see the module notes).
 *
 * @example
 * ```ts
 * const w = syntheticWorkload();
 * const model = buildSeqlabModel(w, "gru");
 * model.layers.map((l) => l.getClassName()); // ["GRU", "Dense"]
 * model.outputs[0].shape; // [null, 1]
 * model.dispose();
 * tf.dispose([w.x, w.y]);
 * ```
 */
export function buildSeqlabModel(w: Workload, cell: BenchCell): tf.LayersModel {
  // tfjs warns that the orthogonal initializer is slow on every build: not what is measured.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!(typeof args[0] === "string" && args[0].startsWith("Orthogonal initializer"))) warn(...args);
  };
  try {
    return buildModel(w, cell);
  } finally {
    console.warn = warn;
  }
}

function buildModel(w: Workload, cell: BenchCell): tf.LayersModel {
  const model = tf.sequential();
  const inputShape = w.embedding ? [w.steps] : [w.steps, w.features];
  if (w.embedding) {
    model.add(tf.layers.embedding({ inputDim: w.embedding[0], outputDim: w.embedding[1], inputShape }));
  }
  const common = {
    units: UNITS,
    kernelInitializer: "glorotUniform",
    recurrentInitializer: "orthogonal",
    ...(w.embedding ? {} : { inputShape }),
  } as const;
  if (cell === "lstm") model.add(lstm({ ...common, recurrentActivation: "sigmoid", unitForgetBias: true }));
  else if (cell === "gru") model.add(gru({ ...common, recurrentActivation: "sigmoid", resetAfter: true }));
  else model.add(simpleRNN(common));
  model.add(tf.layers.dense({ units: 1, activation: "sigmoid" }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: "binaryCrossentropy" });
  return model;
}

/**
 * Each epoch's wall seconds and CPU seconds (all threads of the process).
 *
 * @example
 * ```ts
 * const w = syntheticWorkload();
 * const times: EpochTimes = await seqlabEpochs(w, "lstm", 2);
 * times.seconds.length; // 2
 * tf.dispose([w.x, w.y]);
 * ```
 */
export interface EpochTimes {
  seconds: number[];
  cpuSeconds: number[];
}

/**
 * Trains a fresh seqlab model for `epochs` epochs and returns each epoch's times.
 *
 * @example
 * ```ts
 * const w = syntheticWorkload();
 * const times = await seqlabEpochs(w, "simpleRNN", 2);
 * [times.seconds.length, times.cpuSeconds.length]; // [2, 2]
 * tf.dispose([w.x, w.y]);
 * ```
 */
export async function seqlabEpochs(w: Workload, cell: BenchCell, epochs: number): Promise<EpochTimes> {
  const model = buildSeqlabModel(w, cell);
  const seconds: number[] = [];
  const cpuSeconds: number[] = [];
  let start = 0n;
  let cpuStart = process.cpuUsage();
  await model.fit(w.x, w.y, {
    batchSize: w.batchSize,
    epochs,
    verbose: 0,
    callbacks: {
      onEpochBegin: async () => {
        start = process.hrtime.bigint();
        cpuStart = process.cpuUsage();
      },
      onEpochEnd: async () => {
        seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
        const cpu = process.cpuUsage(cpuStart);
        cpuSeconds.push((cpu.user + cpu.system) / 1e6);
      },
    },
  });
  const optimizer = model.optimizer;
  model.dispose();
  optimizer.dispose();
  return { seconds, cpuSeconds };
}

/**
 * Floating-point operations of one epoch's recurrent arithmetic: the input projection and
 * the recurrent matmul forward (2·T·(F+U)·G per sample, G = 4U LSTM, 3U GRU, U SimpleRNN),
 * twice that backward (input and weight gradients). Element-wise work is not counted.
 *
 * @example
 * ```ts
 * const w = syntheticWorkload();
 * recurrentFlopsPerEpoch(w, "simpleRNN"); // 768000000: 3 x 2000 x 2·50·(8+32)·32
 * tf.dispose([w.x, w.y]);
 * ```
 */
export function recurrentFlopsPerEpoch(w: Workload, cell: BenchCell): number {
  const gates = cell === "lstm" ? 4 : cell === "gru" ? 3 : 1;
  const n = w.x.shape[0];
  return 3 * 2 * n * w.steps * (w.features + UNITS) * gates * UNITS;
}

/**
 * GFLOP/s of a float32 1024×1024 by 1024×1024 matmul through tfjs-node's TensorFlow (its
 * Eigen / oneDNN contraction on every core): the machine's GEMM peak for this run.
 *
 * @example
 * ```ts
 * gemmPeakGflops() > 0; // true
 * ```
 */
export function gemmPeakGflops(): number {
  const n = 1024;
  const a = tf.randomNormal([n, n], 0, 1, "float32", 3);
  const b = tf.randomNormal([n, n], 0, 1, "float32", 4);
  const times: number[] = [];
  for (let i = 0; i < 12; i++) {
    const start = process.hrtime.bigint();
    const c = tf.matMul(a, b);
    c.dataSync();
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
    c.dispose();
  }
  tf.dispose([a, b]);
  const best = Math.min(...times.slice(2));
  return (2 * n * n * n) / best / 1e9;
}
