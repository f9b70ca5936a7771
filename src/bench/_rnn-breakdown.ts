/**
 * Where one seqlab training epoch goes, measured piece by piece on one batch of the
 * workload (median of repeated calls) and scaled to the epoch's batches:
 *
 * - `rnn fwd`: the recurrent layer's forward call (the fused forward op);
 * - `rnn bwd`: its gradient (the fused backward op), i.e. forward+backward minus forward;
 * - `embedding`: the Embedding's forward and gradient (IMDB only);
 * - `optimizer`: Adam's update of every weight (`applyGradients`);
 * - `rest of step`: a whole train step (`optimizer.minimize` of the loss) minus the above:
 *   Dense, loss, tfjs' tape;
 * - `fit loop`: one `fit` epoch over a few batches minus as many train steps: tfjs' per-batch
 *   work in `fit` (batch slicing, callbacks, loss reads).
 *
 * Each piece is the fastest of several calls (the least disturbed by other processes on a
 * shared machine), so the pieces are consistent with each other; the `fit loop` share is
 * scaled to the measured epoch.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { BenchCell, buildSeqlabModel, Workload } from "./_rnn-workloads";

/** Seconds per epoch of each piece (see the module notes), in order. */
export type Breakdown = Array<[string, number]>;

function fastestSeconds(fn: () => void, repeats: number): number {
  fn();
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return best;
}

/**
 * Measures the pieces of an epoch of `cell` on `w`.
 *
 * @param w The workload.
 * @param cell The cell.
 * @returns The pieces in seconds per epoch.
 */
export async function breakdown(w: Workload, cell: BenchCell): Promise<Breakdown> {
  const model = buildSeqlabModel(w, cell);
  const n = w.x.shape[0];
  const batches = Math.ceil(n / w.batchSize);
  const repeats = w.embedding ? 9 : 25;
  const xb = tf.slice(w.x, 0, w.batchSize);
  const yb = tf.slice(w.y, 0, w.batchSize);
  const layers = model.layers;
  const embedding = w.embedding ? layers[0] : null;
  const rnn = layers[w.embedding ? 1 : 0];
  const rnnInput = embedding ? (embedding.apply(xb) as tf.Tensor) : xb;
  const rnnWeights = rnn.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val);
  const optimizer = model.optimizer;
  const loss = (): tf.Scalar => tf.mean(tf.metrics.binaryCrossentropy(yb, model.apply(xb) as tf.Tensor)) as tf.Scalar;

  const fwd = fastestSeconds(() => tf.tidy(() => void (rnn.apply(rnnInput) as tf.Tensor).dataSync()), repeats);
  const fwdBwd = fastestSeconds(
    () =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(rnn.apply(rnnInput) as tf.Tensor) as tf.Scalar, rnnWeights);
        value.dataSync();
        Object.values(grads).forEach((g) => g.dataSync());
      }),
    repeats,
  );
  let emb = 0;
  if (embedding) {
    const vars = embedding.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val);
    emb = fastestSeconds(
      () =>
        tf.tidy(() => {
          const { grads } = tf.variableGrads(() => tf.sum(embedding.apply(xb) as tf.Tensor) as tf.Scalar, vars);
          Object.values(grads).forEach((g) => g.dataSync());
        }),
      repeats,
    );
  }
  const { value, grads } = tf.variableGrads(loss);
  const opt = fastestSeconds(() => {
    optimizer.applyGradients(grads);
    void model.layers[model.layers.length - 1].getWeights()[0].dataSync();
  }, repeats);
  tf.dispose([value, ...Object.values(grads)]);
  const step = fastestSeconds(() => {
    const l = optimizer.minimize(loss, true);
    l?.dataSync();
    l?.dispose();
  }, repeats);
  // fit over a few batches, per batch: the fastest of three epochs.
  const fitBatches = w.embedding ? 4 : 8;
  const xf = tf.slice(w.x, 0, fitBatches * w.batchSize);
  const yf = tf.slice(w.y, 0, fitBatches * w.batchSize);
  let fitBest = Infinity;
  for (let i = 0; i < 4; i++) {
    const start = process.hrtime.bigint();
    await model.fit(xf, yf, { batchSize: w.batchSize, epochs: 1, verbose: 0 });
    if (i > 0) fitBest = Math.min(fitBest, Number(process.hrtime.bigint() - start) / 1e9);
  }
  if (embedding) rnnInput.dispose();
  tf.dispose([xb, yb, xf, yf]);
  model.dispose();
  optimizer.dispose();
  const perEpoch = (s: number): number => s * batches;
  const rest = step - fwdBwd - emb - opt;
  return [
    ["rnn fwd", perEpoch(fwd)],
    ["rnn bwd", perEpoch(fwdBwd - fwd)],
    ...(embedding ? ([["embedding", perEpoch(emb)]] as Breakdown) : []),
    ["optimizer", perEpoch(opt)],
    ["rest of step", perEpoch(rest)],
    ["fit loop", perEpoch(fitBest / fitBatches - step)],
  ];
}

/** `"rnn fwd 0.10 s (31%), ..."`, shares of the sum of the pieces. */
export function formatBreakdown(parts: Breakdown): string {
  const total = parts.reduce((s, [, v]) => s + Math.max(0, v), 0);
  return parts.map(([k, v]) => `${k} ${v.toFixed(3)} s (${Math.round((100 * Math.max(0, v)) / total)}%)`).join(", ");
}
