import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs-node";
import { gru, lstm, ShapeError, simpleRNN } from "kernel-helpers";
import { ensureFusedKernels, maxAbsDiff, outputAndGrads, setWaveWeights, standardPath, wave } from "./_helpers";

interface OpAttr {
  name: string;
  value: number | boolean | string;
}
interface Backend {
  binding: Record<string, number>;
  executeMultipleOutputs(name: string, attrs: unknown[], inputs: tf.Tensor[], n: number): tf.Tensor[];
}

/** Runs a TensorFlow op by name, as the fused layers do (the library is loaded by ensureFusedKernels). */
function runOp(name: string, attrs: OpAttr[], inputs: tf.Tensor[], outputs: number): tf.Tensor[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const backend = (require("@tensorflow/tfjs-node/dist/nodejs_kernel_backend") as { nodeBackend(): Backend }).nodeBackend();
  const typed = attrs.map((a) => ({
    name: a.name,
    type: backend.binding[
      typeof a.value === "boolean" ? "TF_ATTR_BOOL" : typeof a.value === "string" ? "TF_ATTR_STRING" : "TF_ATTR_INT"
    ],
    value: a.value,
  }));
  return backend.executeMultipleOutputs(name, typed, inputs, outputs);
}

const B = 3;
const T = 5;
const F = 4;
const U = 3;
const ATTRS: OpAttr[] = [
  { name: "activation", value: "tanh" },
  { name: "recurrent_activation", value: "sigmoid" },
  { name: "go_backwards", value: false },
];

/** Runs `fn` on fresh tensors and disposes them all afterwards. */
function withTensors(fn: (t: (shape: number[]) => tf.Tensor) => void): void {
  const made: tf.Tensor[] = [];
  try {
    fn((shape) => {
      const x = wave(shape, 0.5);
      made.push(x);
      return x;
    });
  } finally {
    tf.dispose(made);
  }
}

/**
 * Asserts that `layer` on `x` with `mask` gives the standard layer's output (1e-5) and
 * gradients for the input and every weight (1e-4), then disposes the layer, `x` and `mask`.
 */
function assertMaskedMatchesStandard(layer: tf.layers.Layer, x: tf.Tensor, mask: tf.Tensor): void {
  layer.apply(x, { mask });
  setWaveWeights(layer);
  const weights = layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const run = (xin: tf.Tensor): tf.Tensor => layer.apply(xin, { mask }) as tf.Tensor;
  const fused = outputAndGrads(run, x, weights);
  const standard = standardPath(() => outputAndGrads(run, x, weights));
  assert.ok(maxAbsDiff(fused.y, standard.y) < 1e-5, "forward differs");
  fused.grads.forEach((g, i) => {
    const d = maxAbsDiff(g, standard.grads[i]);
    assert.ok(d < 1e-4, `gradient ${i} differs by ${d}`);
  });
  tf.dispose([x, mask, fused.y, standard.y, ...fused.grads, ...standard.grads]);
  layer.dispose();
}

describe("fused kernels reject bad inputs", function () {
  before(function () {
    this.timeout(600000);
    ensureFusedKernels();
  });

  const forward: Array<[string, number, (t: (s: number[]) => tf.Tensor) => tf.Tensor[], RegExp]> = [
    ["SeqlabLstm bias of the wrong size", 4, (t) => [t([B, T, F]), t([F, 4 * U]), t([U, 4 * U]), t([4 * U - 1]), t([0])], /b must have 12 elements/],
    ["SeqlabLstm mask of the wrong size", 4, (t) => [t([B, T, F]), t([F, 4 * U]), t([U, 4 * U]), t([0]), t([B, T - 1])], /mask must have 15 elements/],
    ["SeqlabRnn bias of the wrong size", 2, (t) => [t([B, T, F]), t([F, U]), t([U, U]), t([U + 5]), t([0])], /b must have 3 elements/],
    ["SeqlabRnn mask of the wrong size", 2, (t) => [t([B, T, F]), t([F, U]), t([U, U]), t([0]), t([B * T + 1])], /mask must have 15 elements/],
    ["SeqlabGru recurrent bias of the wrong size", 4, (t) => [t([B, T, F]), t([F, 3 * U]), t([U, 3 * U]), t([0]), t([2]), t([0])], /rb must have 9 elements/],
  ];
  for (const [label, outputs, inputs, message] of forward) {
    it(`${label} is an InvalidArgument error from the kernel`, function () {
      const op = label.split(" ")[0];
      const attrs = op === "SeqlabGru" ? [...ATTRS, { name: "reset_after", value: true }] : ATTRS;
      withTensors((t) => assert.throws(() => runOp(op, attrs, inputs(t), outputs), message));
    });
  }

  it("SeqlabLstmGrad checks its saved states and incoming gradients", function () {
    withTensors((t) => {
      const ok = (): tf.Tensor[] => [t([B, T, F]), t([F, 4 * U]), t([U, 4 * U]), t([0]), t([B, T, U]), t([B, T, U]), t([B, T, 4 * U])];
      assert.throws(() => runOp("SeqlabLstmGrad", ATTRS, [...ok().slice(0, 4), t([B, T - 1, U]), ...ok().slice(5), t([0]), t([B, U]), t([0])], 4), /h_seq must have 45/);
      assert.throws(() => runOp("SeqlabLstmGrad", ATTRS, [...ok(), t([0]), t([B, U + 1]), t([0])], 4), /dh_last must have 9/);
      assert.throws(() => runOp("SeqlabLstmGrad", ATTRS, [...ok(), t([B, 2, U]), t([0]), t([0])], 4), /dh_seq must have 45/);
    });
  });

  it("an activation the kernels do not know is an error, never another activation", function () {
    withTensors((t) => {
      const bad = [{ name: "activation", value: "softsign" }, ATTRS[1], ATTRS[2]];
      assert.throws(() => runOp("SeqlabRnn", bad, [t([B, T, F]), t([F, U]), t([U, U]), t([0]), t([0])], 2), /softsign/);
      const numeric = [{ name: "activation", value: 4 }, ATTRS[1], ATTRS[2]];
      assert.throws(() => runOp("SeqlabRnn", numeric, [t([B, T, F]), t([F, U]), t([U, U]), t([0]), t([0])], 2));
    });
  });
});

describe("fused layers: shapes the small tests miss", function () {
  before(function () {
    this.timeout(600000);
    ensureFusedKernels();
  });

  it("gru({resetAfter: true, useBias: false}) runs fused (no recurrent bias) and matches its step-by-step form", function () {
    const layer = gru({ units: U, returnSequences: true, resetAfter: true, useBias: false } as never);
    const x = wave([B, T, F], 1, 0.2, 0.3);
    layer.apply(x);
    setWaveWeights(layer);
    const weights = layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
    const run = (xin: tf.Tensor): tf.Tensor => layer.apply(xin) as tf.Tensor;
    const fused = outputAndGrads(run, x, weights);
    const standard = standardPath(() => outputAndGrads(run, x, weights));
    assert.ok(maxAbsDiff(fused.y, standard.y) < 1e-5, "forward differs");
    fused.grads.forEach((g, i) => assert.ok(maxAbsDiff(g, standard.grads[i]) < 1e-4, `gradient ${i} differs`));
    tf.dispose([x, fused.y, standard.y, ...fused.grads, ...standard.grads]);
    layer.dispose();
  });

  // 40 rows, masked (one thread: the kernels split batches of 128 rows or more across threads,
  // which fused-kernel-paths.test.ts covers).
  for (const [cell, make] of [["lstm", lstm], ["gru", gru], ["simpleRNN", simpleRNN]] as const) {
    for (const goBackwards of [false, true]) {
      it(`${cell}({goBackwards: ${goBackwards}}) over 40 masked rows matches the standard layer`, function () {
        this.timeout(60000);
        const rows = 40;
        const steps = 6;
        const layer = make({ units: U, returnSequences: true, goBackwards, ...(cell === "gru" ? { resetAfter: true } : {}) } as never);
        const x = wave([rows, steps, F], 1, 0.2, 0.3);
        const mask = tf.tidy(() => tf.cast(tf.greater(wave([rows, steps], 1, 0.1, 1.3), -0.6), "bool"));
        assertMaskedMatchesStandard(layer, x, mask);
      });
    }
  }

  // The LSTM kernels stack [recurrent kernel; kernel] and work on each step's rows as blocks:
  // 20 units and 12 features give rows of one full SIMD vector plus a tail, features != units.
  for (const goBackwards of [false, true]) {
    it(`lstm({units: 20, goBackwards: ${goBackwards}}) over 40 masked rows of 12 features matches the standard layer`, function () {
      this.timeout(60000);
      const layer = lstm({ units: 20, returnSequences: true, goBackwards, recurrentActivation: "sigmoid" } as never);
      const x = wave([40, 7, 12], 1, 0.2, 0.3);
      const mask = tf.tidy(() => tf.cast(tf.greater(wave([40, 7], 1, 0.1, 1.3), -0.6), "bool"));
      assertMaskedMatchesStandard(layer, x, mask);
    });
  }
});

describe("fused layers: masks and memory", function () {
  before(function () {
    this.timeout(600000);
    ensureFusedKernels();
  });

  for (const [cell, make] of [["lstm", lstm], ["gru", gru], ["simpleRNN", simpleRNN]] as const) {
    it(`${cell}() given a mask of the wrong shape throws a ShapeError naming both shapes`, function () {
      const layer = make({ units: U });
      const x = wave([B, T, F]);
      const mask = tf.ones([B, T - 1]);
      assert.throws(
        () => layer.apply(x, { mask }),
        (err: unknown) =>
          err instanceof ShapeError && /\[batch, time\] = \[3, 5\]/.test(err.message) && /Received: mask with shape \[3, 4\]/.test(err.message),
      );
      tf.dispose([x, mask]);
      layer.dispose();
    });

    it(`${cell}() reads a mask of other values than 0 and 1 as booleans, like the standard layer`, function () {
      const layer = make({ units: U, returnSequences: true, ...(cell === "gru" ? { resetAfter: true } : {}) } as never);
      const x = wave([B, T, F], 1, 0.2, 0.3);
      const mask = tf.tensor2d([[1, 0.3, -2, 0, 5], [0, 0, 0.5, 1, 0], [2, 2, 0, 0, 0.01]], [B, T]);
      layer.apply(x, { mask });
      setWaveWeights(layer);
      const weights = layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
      const run = (xin: tf.Tensor): tf.Tensor => layer.apply(xin, { mask }) as tf.Tensor;
      const fused = outputAndGrads(run, x, weights);
      const standard = standardPath(() => outputAndGrads(run, x, weights));
      assert.ok(maxAbsDiff(fused.y, standard.y) < 1e-5, "forward differs");
      fused.grads.forEach((g, i) => assert.ok(maxAbsDiff(g, standard.grads[i]) < 1e-4, `gradient ${i} differs`));
      tf.dispose([x, mask, fused.y, standard.y, ...fused.grads, ...standard.grads]);
      layer.dispose();
    });

    it(`a model with ${cell}() layers leaks no tensor after training and model.dispose()`, async function () {
      this.timeout(60000);
      const x = wave([8, T, F]);
      const y = wave([8, 1]);
      const before = tf.memory().numTensors;
      const model = tf.sequential({
        layers: [
          make({ units: U, returnSequences: true, inputShape: [T, F], recurrentActivation: "sigmoid", unitForgetBias: true } as never),
          make({ units: U } as never),
          tf.layers.dense({ units: 1 }),
        ],
      });
      const optimizer = tf.train.adam(0.01);
      model.compile({ optimizer, loss: "meanSquaredError" });
      await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
      model.dispose();
      optimizer.dispose();
      assert.equal(tf.memory().numTensors, before, `${cell} leaked ${tf.memory().numTensors - before} tensors`);
      tf.dispose([x, y]);
    });
  }
});
