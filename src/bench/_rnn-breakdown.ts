/**
 * Where one seqlab training epoch goes, measured piece by piece on one batch of the
 * workload (median of repeated calls) and scaled to the epoch's batches:
 *
 * - `rnn fwd`: the recurrent layer's forward call (the fused forward op);
 * - `rnn bwd`: its gradient (the fused backward op), i.e. forward+backward minus forward;
 * - `embedding`: the Embedding's forward and gradient (IMDB only);
 * - `optimizer`: Adam's update of every weight (`applyGradients`);
 * - `dense`: the output Dense layer's forward call and its gradient (input and weights);
 * - `rest of step`: a whole train step (`optimizer.minimize` of the model's compiled loss)
 *   minus the above: loss, tfjs' tape;
 * - `fit loop`: one `fit` epoch over a few batches minus as many train steps: tfjs' per-batch
 *   work in `fit` (batch slicing, callbacks, loss reads).
 *
 * The Embedding, Adam and the Dense layer run seqlab's fused kernels (`_training-patches.ts` in
 * kernel-helpers); the same three pieces are also timed, in the same rounds, with those patches
 * uninstalled (tfjs' own `GatherV2`/`UnsortedSegmentSum`, element-wise Adam, and MatMul, bias
 * add and activation), as {@link BreakdownResult}'s `stock`.
 *
 * Times are CPU seconds of the process (all threads), which a busy shared machine disturbs
 * far less than wall time; compare them with the row's seqlab CPU s/epoch. The pieces are
 * timed in interleaved rounds (each round times every piece once) and each
 * piece keeps its fastest round, the one least disturbed by other processes on a shared
 * machine; differences below zero (noise) print as 0.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { helperPatches, type GlobalPatch } from "kernel-helpers/contract";
import { BenchCell, buildSeqlabModel, Workload } from "./_rnn-workloads";

type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/**
 * CPU seconds per epoch of each piece (see the module notes), in order.
 *
 * @example
 * ```ts
 * const parts: Breakdown = [["rnn fwd", 0.1], ["rnn bwd", 0.3]];
 * formatBreakdown(parts); // "rnn fwd 0.100 s (25%), rnn bwd 0.300 s (75%)"
 * ```
 */
export type Breakdown = Array<[string, number]>;

/**
 * The pieces, and the Embedding's, Adam's and the Dense layer's pieces with tfjs' own code (same units).
 *
 * @example
 * ```ts
 * const result: BreakdownResult = { parts: [["rnn fwd", 0.1]], stock: [["optimizer", 0.5]], tfjsOpsPerBatch: 35 };
 * formatStock(result.stock); // "optimizer 0.500 s"
 * ```
 */
export interface BreakdownResult {
  parts: Breakdown;
  stock: Breakdown;
  /**
   * tfjs kernels run per batch of a `fit` epoch (`tf.profile`; the fused ops, which run outside
   * tfjs' kernel registry, are not counted): tfjs' per-op cost is what the small workload pays.
   */
  tfjsOpsPerBatch: number;
}

/** The kernel-helpers patches that run the Embedding, Adam and Dense as fused kernels. */
const TRAINING_PATCHES = ["tfjs Adam update", "tfjs Embedding lookup", "tfjs Dense layer"];

function trainingPatches(): GlobalPatch[] {
  return helperPatches().filter((p) => TRAINING_PATCHES.includes(p.name) && p.installed);
}

function withoutTrainingPatches(fn: () => number): number {
  const patches = trainingPatches();
  patches.forEach((p) => p.uninstall());
  try {
    return fn();
  } finally {
    patches.forEach((p) => p.install());
  }
}

// CPU seconds of the whole process (every TensorFlow thread included).
function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function seconds(fn: () => void): number {
  const start = cpuNow();
  fn();
  return cpuNow() - start;
}

/**
 * Measures the pieces of an epoch of `cell` on `w`.
 *
 * @param w The workload.
 * @param cell The cell.
 * @returns The pieces in seconds per epoch.
 * @example
 * ```ts
 * import { syntheticWorkload } from "./_rnn-workloads";
 * const w = syntheticWorkload();
 * const { parts, stock } = await breakdown(w, "simpleRNN");
 * parts.map(([name]) => name); // ["rnn fwd", "rnn bwd", "optimizer", "dense", "rest of step", "fit loop"]
 * stock.map(([name]) => name); // ["optimizer", "dense"] (and "embedding" first on IMDB)
 * tf.dispose([w.x, w.y]);
 * ```
 */
export async function breakdown(w: Workload, cell: BenchCell): Promise<BreakdownResult> {
  const model = buildSeqlabModel(w, cell);
  const n = w.x.shape[0];
  const batches = Math.ceil(n / w.batchSize);
  const rounds = w.embedding ? 7 : 15;
  const xb = tf.slice(w.x, 0, w.batchSize);
  const yb = tf.slice(w.y, 0, w.batchSize);
  const layers = model.layers;
  const embedding = w.embedding ? layers[0] : null;
  const rnn = layers[w.embedding ? 1 : 0];
  const rnnInput = embedding ? (embedding.apply(xb) as tf.Tensor) : xb;
  const rnnWeights = rnn.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val);
  const optimizer = model.optimizer;
  // The loss function the compiled model trains with (a Sequential's inner model holds it).
  const compiled = model as unknown as { model?: { lossFunctions?: LossFn[] }; lossFunctions?: LossFn[] };
  const lossFn = (compiled.lossFunctions ?? compiled.model?.lossFunctions ?? [tf.metrics.binaryCrossentropy])[0];
  const loss = (): tf.Scalar => tf.mean(lossFn(yb, model.apply(xb) as tf.Tensor)) as tf.Scalar;

  const rnnFwd = (): void => tf.tidy(() => void (rnn.apply(rnnInput) as tf.Tensor).dataSync());
  const rnnFwdBwd = (): void =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(rnn.apply(rnnInput) as tf.Tensor) as tf.Scalar, rnnWeights);
      value.dataSync();
      Object.values(grads).forEach((g) => g.dataSync());
    });
  const embeddingVars = embedding ? embedding.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val) : [];
  const embeddingFwdBwd = (): void =>
    tf.tidy(() => {
      if (!embedding) return;
      const { grads } = tf.variableGrads(() => tf.sum(embedding.apply(xb) as tf.Tensor) as tf.Scalar, embeddingVars);
      Object.values(grads).forEach((g) => g.dataSync());
    });
  // The Dense layer on the recurrent layer's output, gradients for its input and weights.
  const dense = layers[layers.length - 1];
  const denseInput = tf.tidy(() => tf.variable(rnn.apply(rnnInput) as tf.Tensor, true));
  const denseVars = [denseInput, ...dense.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val)];
  const denseFwdBwd = (): void =>
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.sum(dense.apply(denseInput) as tf.Tensor) as tf.Scalar, denseVars);
      Object.values(grads).forEach((g) => g.dataSync());
    });
  const { value, grads } = tf.variableGrads(loss);
  const optimizerStep = (): void => {
    optimizer.applyGradients(grads);
    void model.layers[model.layers.length - 1].getWeights()[0].dataSync();
  };
  const trainStep = (): void => {
    const l = optimizer.minimize(loss, true);
    l?.dataSync();
    l?.dispose();
  };
  // fit over a few batches (per batch).
  const fitBatches = w.embedding ? 4 : 8;
  const xf = tf.slice(w.x, 0, fitBatches * w.batchSize);
  const yf = tf.slice(w.y, 0, fitBatches * w.batchSize);
  const fitPerBatch = async (): Promise<number> => {
    const start = cpuNow();
    await model.fit(xf, yf, { batchSize: w.batchSize, epochs: 1, verbose: 0 });
    return (cpuNow() - start) / fitBatches;
  };
  const best = { fwd: Infinity, fwdBwd: Infinity, emb: 0, opt: Infinity, dense: Infinity, step: Infinity, fit: Infinity };
  const stock = { emb: Infinity, opt: Infinity, dense: Infinity };
  await fitPerBatch(); // warm-up of every path
  const profile = await tf.profile(async () => void (await fitPerBatch()));
  const tfjsOpsPerBatch = profile.kernels.length / fitBatches;
  trainStep();
  embeddingFwdBwd();
  denseFwdBwd();
  withoutTrainingPatches(() => seconds(embeddingFwdBwd) + seconds(optimizerStep) + seconds(denseFwdBwd));
  for (let r = 0; r < rounds; r++) {
    best.fwd = Math.min(best.fwd, seconds(rnnFwd));
    best.fwdBwd = Math.min(best.fwdBwd, seconds(rnnFwdBwd));
    if (embedding) best.emb = r === 0 ? seconds(embeddingFwdBwd) : Math.min(best.emb, seconds(embeddingFwdBwd));
    best.opt = Math.min(best.opt, seconds(optimizerStep));
    best.dense = Math.min(best.dense, seconds(denseFwdBwd));
    best.step = Math.min(best.step, seconds(trainStep));
    best.fit = Math.min(best.fit, await fitPerBatch());
    if (embedding) stock.emb = Math.min(stock.emb, withoutTrainingPatches(() => seconds(embeddingFwdBwd)));
    stock.opt = Math.min(stock.opt, withoutTrainingPatches(() => seconds(optimizerStep)));
    stock.dense = Math.min(stock.dense, withoutTrainingPatches(() => seconds(denseFwdBwd)));
  }
  tf.dispose([value, ...Object.values(grads)]);
  denseInput.dispose();
  if (embedding) rnnInput.dispose();
  tf.dispose([xb, yb, xf, yf]);
  model.dispose();
  optimizer.dispose();
  const { fwd, fwdBwd, emb, opt, step } = best;
  const perEpoch = (s: number): number => s * batches;
  const rest = step - fwdBwd - emb - opt - best.dense;
  return {
    parts: [
      ["rnn fwd", perEpoch(fwd)],
      ["rnn bwd", perEpoch(fwdBwd - fwd)],
      ...(embedding ? ([["embedding", perEpoch(emb)]] as Breakdown) : []),
      ["optimizer", perEpoch(opt)],
      ["dense", perEpoch(best.dense)],
      ["rest of step", perEpoch(rest)],
      ["fit loop", perEpoch(best.fit - step)],
    ],
    stock: [
      ...(embedding ? ([["embedding", perEpoch(stock.emb)]] as Breakdown) : []),
      ["optimizer", perEpoch(stock.opt)],
      ["dense", perEpoch(stock.dense)],
    ],
    tfjsOpsPerBatch,
  };
}

/**
 * The stock pieces as text (CPU seconds).
 *
 * @example
 * ```ts
 * formatStock([["embedding", 0.95], ["optimizer", 0.52]]); // "embedding 0.950 s, optimizer 0.520 s"
 * ```
 */
export function formatStock(parts: Breakdown): string {
  return parts.map(([k, v]) => `${k} ${v.toFixed(3)} s`).join(", ");
}

/**
 * The pieces as text (CPU seconds), with their shares of the sum of the pieces.
 *
 * @example
 * ```ts
 * formatBreakdown([["rnn fwd", 0.1], ["rnn bwd", 0.3]]); // "rnn fwd 0.100 s (25%), rnn bwd 0.300 s (75%)"
 * ```
 */
export function formatBreakdown(parts: Breakdown): string {
  const total = parts.reduce((s, [, v]) => s + Math.max(0, v), 0);
  return parts.map(([k, v]) => `${k} ${v.toFixed(3)} s (${Math.round((100 * Math.max(0, v)) / total)}%)`).join(", ");
}
