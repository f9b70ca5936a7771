import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs-node";
import { gru, lstm, simpleRNN } from "kernel-helpers";
import { ensureFusedKernels, maxAbsDiff, outputAndGrads, setWaveWeights, standardPath, wave } from "./_helpers";

type Cell = "lstm" | "gru" | "simpleRNN";
const FACTORY = { lstm, gru, simpleRNN } as const;
const B = 3;
const T = 5;
const F = 4;
const U = 3;
// Post-padding, pre-padding and a hole in the middle.
const MASK = [
  [1, 1, 1, 1, 1],
  [1, 1, 1, 0, 0],
  [0, 0, 1, 0, 1],
];

interface Case {
  cell: Cell;
  returnSequences: boolean;
  goBackwards: boolean;
  masked: boolean;
  extra: Record<string, unknown>;
}

function layerWeights(layer: tf.layers.Layer): tf.Variable[] {
  return layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
}

/** Compares the fused and the standard path of one layer: outputs 1e-5, gradients 1e-4. */
function compare(c: Case): void {
  const layer = FACTORY[c.cell]({
    units: U,
    returnSequences: c.returnSequences,
    goBackwards: c.goBackwards,
    ...c.extra,
  } as never);
  const x = wave([B, T, F], 1, 0.2, 0.3);
  const mask = c.masked ? tf.tensor2d(MASK, [B, T], "bool") : null;
  const kwargs = mask ? { mask } : {};
  layer.apply(x, kwargs);
  setWaveWeights(layer);
  // With returnState the layer returns [output, state]: compare them joined.
  const run = (xin: tf.Tensor): tf.Tensor => {
    const out = layer.apply(xin, kwargs) as tf.Tensor | tf.Tensor[];
    return Array.isArray(out) ? tf.concat(out.map((o) => tf.reshape(o, [B, -1])), 1) : out;
  };
  const fused = outputAndGrads(run, x, layerWeights(layer));
  const standard = standardPath(() => outputAndGrads(run, x, layerWeights(layer)));
  const label = JSON.stringify(c);
  assert.ok(maxAbsDiff(fused.y, standard.y) < 1e-5, `forward differs for ${label}`);
  fused.grads.forEach((g, i) => {
    const d = maxAbsDiff(g, standard.grads[i]);
    assert.ok(d < 1e-4, `gradient ${i} differs by ${d} for ${label}`);
  });
  tf.dispose([x, fused.y, standard.y, ...fused.grads, ...standard.grads]);
  if (mask) mask.dispose();
}

describe("fused recurrent layers", function () {
  before(function () {
    this.timeout(600000);
    ensureFusedKernels();
  });

  for (const cell of ["lstm", "gru", "simpleRNN"] as Cell[]) {
    for (const returnSequences of [true, false]) {
      for (const goBackwards of [false, true]) {
        for (const masked of [false, true]) {
          const name = `${cell}() matches the standard layer (returnSequences=${returnSequences}, goBackwards=${goBackwards}, masked=${masked})`;
          it(name, function () {
            compare({ cell, returnSequences, goBackwards, masked, extra: {} });
          });
        }
      }
    }
  }

  const variants: Array<[Cell, Record<string, unknown>]> = [
    ["lstm", { recurrentActivation: "sigmoid", unitForgetBias: true }],
    ["lstm", { activation: "relu", useBias: false }],
    ["gru", { recurrentActivation: "sigmoid", activation: "linear" }],
    ["gru", { useBias: false }],
    ["simpleRNN", { activation: "relu" }],
    ["simpleRNN", { activation: "sigmoid", useBias: false }],
  ];
  for (const [cell, extra] of variants) {
    it(`${cell}() matches the standard layer with ${JSON.stringify(extra)}`, function () {
      compare({ cell, returnSequences: true, goBackwards: false, masked: true, extra });
    });
  }

  for (const returnSequences of [true, false]) {
    for (const goBackwards of [false, true]) {
      for (const masked of [false, true]) {
        it(`gru({resetAfter: true}) matches its step-by-step form (returnSequences=${returnSequences}, goBackwards=${goBackwards}, masked=${masked})`, function () {
          compare({ cell: "gru", returnSequences, goBackwards, masked, extra: { resetAfter: true, recurrentActivation: "sigmoid" } });
        });
      }
    }
  }

  for (const cell of ["lstm", "gru", "simpleRNN"] as Cell[]) {
    for (const returnSequences of [true, false]) {
      it(`${cell}({returnState: true}) gives the output and final states of the standard layer (returnSequences=${returnSequences})`, function () {
        compare({ cell, returnSequences, goBackwards: true, masked: true, extra: { returnState: true } });
      });
    }
  }

  it("simpleRNN() returnState without sequences gives output and state", function () {
    const layer = simpleRNN({ units: U, returnState: true });
    const x = wave([B, T, F]);
    const fusedOut = layer.apply(x) as tf.Tensor[];
    const standardOut = standardPath(() => layer.apply(x) as tf.Tensor[]);
    assert.equal(fusedOut.length, 2);
    fusedOut.forEach((t, i) => assert.ok(maxAbsDiff(t, standardOut[i]) < 1e-5));
    tf.dispose([x, ...fusedOut, ...standardOut]);
  });
});
