import { strict as assert } from "node:assert";
import * as path from "node:path";
import { notebookResults, plotlyFigures, runNotebook, type ExecutedNotebook } from "../../support/notebook";
import { projectRoot } from "../../support/project";

const notebook = path.join(projectRoot, "notebooks", "lessons", "02-rnn-memory-and-gradients.ipynb");

/** The notebook's hand cell, recomputed in plain numbers: h_t = tanh(x_t W + h_{t-1} U + b). */
function cellStates(xs: number[]): number[][] {
  const W = [0.9, -0.6, 0.4];
  const U = [
    [0.5, 0.3, -0.2],
    [-0.3, 0.6, 0.1],
    [0.2, -0.1, 0.7],
  ];
  let h = [0, 0, 0];
  const out: number[][] = [];
  for (const x of xs) {
    h = [0, 1, 2].map((j) => Math.tanh(x * W[j]! + h.reduce((s, hi, i) => s + hi * U[i]![j]!, 0)));
    out.push(h);
  }
  return out;
}

/** The ratio printed after `label`, e.g. "SimpleRNN, gain 0.7:". */
function ratio(stdout: string, label: string): number {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = new RegExp(`^${escaped}\\s+\\|dL/dx_1\\| / \\|dL/dx_50\\| = (\\S+)$`, "m").exec(stdout);
  assert.ok(m, `no ratio printed for ${label}:\n${stdout}`);
  return Number(m[1]);
}

describe("notebooks/lessons/02-rnn-memory-and-gradients.ipynb", function () {
  this.timeout(600_000);
  let run: ExecutedNotebook;

  before(async () => {
    run = await runNotebook(notebook, { quick: true });
  });

  it("runs through the seqlab kernel without errors or stderr", () => {
    assert.equal(run.result.status, "ok", JSON.stringify(run.result.error));
    assert.equal(run.stderr, "");
  });

  it("steps the SimpleRNN cell by hand: the pulse's trace stays in the state and fades", () => {
    const pulse = cellStates([1, 0, 0, 0, 0, 0, 0, 0]);
    const rows = [...run.stdout.matchAll(/^\s+(\d+)\s+([01])\s+\[([^\]]+)\]\s+(\S+)$/gm)];
    assert.equal(rows.length, 8, run.stdout);
    const gaps: number[] = [];
    rows.forEach((m, t) => {
      assert.equal(Number(m[1]), t + 1);
      const printed = m[3]!.split(",").map(Number);
      printed.forEach((v, j) => assert.ok(Math.abs(v - pulse[t]![j]!) <= 6e-4, `step ${t + 1}: ${printed} vs ${pulse[t]}`));
      // With zero inputs the state stays 0, so the gap is |h_t(pulse)|.
      const gap = Number(m[4]);
      assert.ok(Math.abs(gap - Math.hypot(...pulse[t]!)) <= 1e-3 * Math.hypot(...pulse[t]!), `gap ${gap}`);
      gaps.push(gap);
    });
    assert.ok(gaps[7]! > 0.01, "the pulse is still remembered at step 8");
    for (let t = 1; t < 8; t++) assert.ok(gaps[t]! < gaps[t - 1]!, `memory fades: ${gaps}`);
  });

  it("matches tf.layers.simpleRNN with the same weights", () => {
    const m = /^max \|hand-computed h_t - simpleRNN h_t\| = (\S+)$/m.exec(run.stdout);
    assert.ok(m, run.stdout);
    assert.ok(Number(m[1]) < 1e-5, m[0]);
  });

  it("measures vanishing gradients for a small recurrent gain and exploding ones for a large gain", () => {
    assert.ok(ratio(run.stdout, "SimpleRNN, gain 0.7:") < 1e-6);
    assert.ok(ratio(run.stdout, "SimpleRNN, gain 2.5:") > 10);
  });

  it("shows the LSTM keeping the gradient alive far better than a SimpleRNN", () => {
    const rnn = ratio(run.stdout, "SimpleRNN, gain 1:");
    const lstm1 = ratio(run.stdout, "LSTM, forget bias 1:");
    const lstm3 = ratio(run.stdout, "LSTM, forget bias 3:");
    assert.ok(rnn < 1e-4, `SimpleRNN gain 1 vanishes: ${rnn}`);
    assert.ok(lstm1 > 100 * rnn, `LSTM (bias 1) ${lstm1} vs SimpleRNN ${rnn}`);
    assert.ok(lstm3 > lstm1 && lstm3 > 0.01, `LSTM (bias 3) ${lstm3}`);
  });

  it("plots the gradient norms: 2 SimpleRNN curves, then SimpleRNN vs 2 LSTMs, 50 steps each on a log axis", () => {
    const figures = plotlyFigures(run).slice(0, 2);
    assert.equal(plotlyFigures(run).length, 4);
    assert.deepEqual(
      figures[0]!.data.map((d) => d.name),
      ["SimpleRNN, recurrent gain 0.7", "SimpleRNN, recurrent gain 2.5"],
    );
    assert.deepEqual(
      figures[1]!.data.map((d) => d.name),
      ["SimpleRNN (gain 1)", "LSTM (forget bias 1)", "LSTM (forget bias 3)"],
    );
    for (const fig of figures) {
      for (const trace of fig.data) assert.equal(trace.y?.length, 50);
      assert.equal((fig.layout.yaxis as { type?: string }).type, "log");
    }
    // The small-gain curve falls from the last step (x=0) to the first (x=49); the large-gain one rises.
    const [small, large] = figures[0]!.data.map((d) => d.y as number[]);
    assert.ok(small![49]! < small![0]! && large![49]! > large![0]!);
  });

  it("trains SimpleRNN, LSTM and GRU on a 30-step dependency: the SimpleRNN stays at chance, the gated cells learn it", () => {
    const acc = (cell: string) => {
      const m = new RegExp(`^${cell}\\s+validation accuracy after 10 epochs: (\\S+) \\(1 seed; reached 95% at epoch (\\w+)\\)$`, "m").exec(run.stdout);
      assert.ok(m, `no accuracy line for ${cell}:\n${run.stdout}`);
      return { acc: Number(m[1]), reached: m[2] };
    };
    const rnn = acc("SimpleRNN");
    const lstm = acc("LSTM");
    const gru = acc("GRU");
    assert.ok(rnn.acc < 0.6 && rnn.reached === "never", `SimpleRNN ${JSON.stringify(rnn)}`);
    assert.ok(lstm.acc >= 0.95, `LSTM ${JSON.stringify(lstm)}`);
    assert.ok(gru.acc >= 0.95, `GRU ${JSON.stringify(gru)}`);
    assert.match(run.stdout, /^verdict: SimpleRNN stays at chance; LSTM learns it; GRU learns it$/m);
    const fig = plotlyFigures(run).find((f) => JSON.stringify(f.layout.title).includes("Remembering step 1"));
    assert.ok(fig, "no accuracy figure");
    assert.deepEqual(fig.data.map((d) => d.name), ["SimpleRNN", "LSTM", "GRU"]);
    for (const t of fig.data) assert.equal(t.y?.length, 10);
    assert.equal((fig.data[1]!.y as number[])[9], lstm.acc);
  });

  it("clips the global gradient norm in a custom training step: every step's norm ends at or below the threshold", () => {
    const m = /^20 custom steps: global gradient norm up to (\S+) before clipping, (\S+) after \(threshold 1\)$/m.exec(run.stdout);
    assert.ok(m, run.stdout);
    assert.ok(Number(m[1]) > 10, `the gain-2.5 SimpleRNN's gradients explode: ${m[1]}`);
    assert.ok(Number(m[2]) <= 1 + 1e-4, `after clipping: ${m[2]}`);
    assert.match(run.stdout, /^steps clipped: \d+ of 20; loss \S+ -> \S+, always finite: true$/m);
    const fig = plotlyFigures(run).find((f) => JSON.stringify(f.layout.title).includes("Global gradient norm"));
    assert.ok(fig);
    const [before, after] = fig.data.map((d) => d.y as number[]);
    assert.equal(before!.length, 20);
    before!.forEach((b, i) => assert.ok(Math.abs(after![i]! - Math.min(b, 1)) <= 1e-6 * Math.max(1, b), `step ${i + 1}: ${b} -> ${after![i]}`));
  });

  it("emits its computed summary for seqlab run --json", () => {
    const [r] = notebookResults(run);
    assert.ok(r, "no summary");
    assert.equal(r.mode, "quick");
    assert.equal(r.metrics["LSTM accuracy, 30-step dependency"], Number(/^LSTM\s+validation accuracy after 10 epochs: (\S+)/m.exec(run.stdout)![1]));
    assert.equal(r.metrics.verdict, "SimpleRNN stays at chance; LSTM learns it; GRU learns it");
    assert.ok((r.metrics["max gradient norm after clipping"] as number) <= 1 + 1e-4);
  });
});
