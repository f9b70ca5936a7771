import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs-node";
import { gru, lstm, simpleRNN } from "kernel-helpers";
import { ensureFusedKernels, maxAbsDiff, notices, outputAndGrads, setWaveWeights, standardPath, wave } from "./_helpers";

// The kernels' per-step products (SmallGemm in native/seqlab_rnn_common.h) work on tiles of
// rows by whole SIMD vectors of columns, with smaller tiles for the last rows and a scalar loop
// for columns past the last whole vector; the LSTM (forward and backward) and the reset-after
// GRU (forward) do their gate arithmetic a packet of units at a time when the units are a
// whole number of packets (16 with AVX-512, 8 with AVX), gate by gate otherwise; batches of 128 rows or more are split across two threads. Each
// case below takes a different mix of those paths, and must match tfjs-layers' standard
// layer: outputs 1e-5, gradients (inputs and every weight) 1e-4.
// fused-isa.test.ts runs this file again in child processes against libraries built for AVX2+FMA
// (packet 8, 4x2 tiles) and SSE2 (Eigen's product, packet 4), so keep every case target-neutral.
interface PathCase {
  label: string;
  rows: number;
  steps: number;
  features: number;
  units: number;
}

const CASES: PathCase[] = [
  // One row: only the one-row tile; 32 units: whole packets and whole 4-vector column tiles.
  { label: "1 row, 32 units", rows: 1, steps: 5, features: 8, units: 32 },
  // 64 rows on one thread: 10 tiles of 6 rows and one of 4; 5 features: [R; W]^T padded.
  { label: "64 rows, 32 units, 5 features", rows: 64, steps: 4, features: 5, units: 32 },
  // 130 rows: two threads of 65 (tiles of 6 and one of 5), 16 units (one AVX-512 packet).
  { label: "130 rows on two threads, 16 units", rows: 130, steps: 3, features: 3, units: 16 },
  // 13 units: columns past the last whole vector (scalar loop) and the gate-by-gate LSTM path.
  { label: "7 rows, 13 units", rows: 7, steps: 6, features: 4, units: 13 },
  // 40 units: a tail tile of vectors (LSTM 160 columns = 10 vectors of 16, GRU 120 = 7.5).
  { label: "9 rows, 40 units", rows: 9, steps: 4, features: 6, units: 40 },
];

const FACTORY = { lstm, gru, simpleRNN } as const;

// Each layer and form the cases run: the GRU in both reset forms (Keras' reset-after, and the
// reset-before one tfjs-layers defaults to).
const LAYERS: Array<[string, keyof typeof FACTORY, Record<string, unknown>]> = [
  ["lstm()", "lstm", {}],
  ["gru({resetAfter: true})", "gru", { resetAfter: true }],
  ["gru({resetAfter: false})", "gru", { resetAfter: false }],
  ["simpleRNN()", "simpleRNN", {}],
];

// The packet paths (LSTM forward gates and backward gate gradients, GRU reset-after forward
// gates) implement every activation and its derivative themselves: the other activations and
// no bias, at 16 units (whole packets).
const PACKET_VARIANTS: Array<[keyof typeof FACTORY, Record<string, unknown>]> = [
  ["lstm", { activation: "relu", recurrentActivation: "hardSigmoid" }],
  ["lstm", { activation: "linear", recurrentActivation: "tanh" }],
  ["lstm", { activation: "sigmoid", recurrentActivation: "linear" }],
  ["lstm", { activation: "hardSigmoid", recurrentActivation: "relu", useBias: false }],
  ["gru", { resetAfter: true, activation: "relu", recurrentActivation: "sigmoid" }],
  ["gru", { resetAfter: true, activation: "tanh", recurrentActivation: "sigmoid", useBias: false }],
  ["gru", { resetAfter: true, activation: "linear", recurrentActivation: "hardSigmoid", goBackwards: true }],
];

describe("fused kernels: every product and gate path matches the standard layers", function () {
  before(function () {
    this.timeout(600000);
    ensureFusedKernels();
    // The fused call keeps one shared empty tensor once, on first use: make that happen here.
    const layer = lstm({ units: 2 });
    tf.dispose(tf.tidy(() => layer.apply(tf.ones([1, 2, 1])) as tf.Tensor));
    layer.dispose();
  });

  for (const [label, cell, form] of LAYERS) {
    for (const c of CASES) {
      for (const goBackwards of [false, true]) {
        it(`${label} with ${c.label}, masked, goBackwards=${goBackwards}`, function () {
          this.timeout(120000);
          compareWithStandard(cell, c, { goBackwards, ...form });
        });
      }
    }
  }

  for (const [cell, extra] of PACKET_VARIANTS) {
    it(`${cell}(${JSON.stringify(extra)}) with 70 rows, 16 units, masked`, function () {
      this.timeout(120000);
      compareWithStandard(cell, { label: "", rows: 70, steps: 4, features: 5, units: 16 }, extra);
    });
  }
});

/** One layer's fused and standard paths: outputs 1e-5, gradients 1e-4, no tensor leaked. */
function compareWithStandard(cell: keyof typeof FACTORY, c: PathCase, extra: Record<string, unknown>): void {
  const before = tf.memory().numTensors;
  const noticesBefore = notices.length;
  const layer = FACTORY[cell]({ units: c.units, returnSequences: true, ...extra } as never);
  const x = wave([c.rows, c.steps, c.features], 1, 0.2, 0.3);
  const mask = tf.tidy(() => tf.cast(tf.greater(wave([c.rows, c.steps], 1, 0.1, 1.3), -0.6), "bool"));
  tf.dispose(layer.apply(x, { mask }) as tf.Tensor);
  setWaveWeights(layer, 0.3);
  const weights = layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const run = (xin: tf.Tensor): tf.Tensor => layer.apply(xin, { mask }) as tf.Tensor;
  const fused = outputAndGrads(run, x, weights);
  // A layer that fell back to the standard path says so: this one must have run fused.
  assert.deepEqual(notices.slice(noticesBefore), [], "the layer did not run fused");
  const standard = standardPath(() => outputAndGrads(run, x, weights));
  const dy = maxAbsDiff(fused.y, standard.y);
  assert.ok(dy < 1e-5, `forward differs by ${dy}`);
  fused.grads.forEach((g, i) => {
    const d = maxAbsDiff(g, standard.grads[i]);
    assert.ok(d < 1e-4, `gradient ${i} differs by ${d}`);
  });
  // The output is not all zeros (a kernel that wrote nothing would match nothing else).
  assert.ok(tf.tidy(() => tf.max(tf.abs(fused.y)).dataSync()[0]) > 0.01);
  tf.dispose([x, mask, fused.y, standard.y, ...fused.grads, ...standard.grads]);
  layer.dispose();
  assert.equal(tf.memory().numTensors, before, "tensors leaked");
}
