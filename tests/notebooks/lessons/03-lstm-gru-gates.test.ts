import { strict as assert } from "node:assert";
import * as path from "node:path";
import { notebookResults, plotlyFigures, runNotebook, type ExecutedNotebook } from "../../support/notebook";
import { projectRoot } from "../../support/project";

const notebook = path.join(projectRoot, "notebooks", "lessons", "03-lstm-gru-gates.ipynb");

/** The number printed after `prefix` on its own line. */
function printedNumber(stdout: string, prefix: string): number {
  const line = stdout.split("\n").find((l) => l.startsWith(prefix));
  assert.ok(line, `nothing printed starting with ${JSON.stringify(prefix)}:\n${stdout}`);
  return Number(line.slice(prefix.length).trim());
}

describe("notebooks/lessons/03-lstm-gru-gates.ipynb", function () {
  this.timeout(600_000);
  let run: ExecutedNotebook;

  before(async () => {
    run = await runNotebook(notebook, { quick: true });
  });

  it("runs through the seqlab kernel without errors or stderr", () => {
    assert.equal(run.result.status, "ok", JSON.stringify(run.result.error));
    assert.equal(run.stderr, "");
  });

  it("lists the LSTM's weights in Keras' i,f,c,o block layout (inDim 3, 4 units)", () => {
    assert.match(run.stdout, /^LSTM weight 0: \S*kernel \[3, 16\]$/m);
    assert.match(run.stdout, /^LSTM weight 1: \S*recurrent_kernel \[4, 16\]$/m);
    assert.match(run.stdout, /^LSTM weight 2: \S*bias \[16\]$/m);
  });

  it("computes the LSTM steps by hand to within float32 round-off of the layer", () => {
    const diff = printedNumber(run.stdout, "LSTM: max |hand-computed h_t - layer h_t| over 6 steps =");
    assert.ok(Number.isFinite(diff) && diff < 1e-4, `LSTM difference ${diff}`);
  });

  it("lists the GRU's weights in Keras' z,r,h block layout (resetAfter: false)", () => {
    assert.match(run.stdout, /^GRU weight 0: \S*kernel \[3, 12\]$/m);
    assert.match(run.stdout, /^GRU weight 1: \S*recurrent_kernel \[4, 12\]$/m);
    assert.match(run.stdout, /^GRU weight 2: \S*bias \[12\]$/m);
  });

  it("computes the GRU steps by hand to within float32 round-off of the layer", () => {
    const diff = printedNumber(run.stdout, "GRU: max |hand-computed h_t - layer h_t| over 6 steps =");
    assert.ok(Number.isFinite(diff) && diff < 1e-4, `GRU difference ${diff}`);
  });

  it("prints parameter counts k * (units * (inDim + units) + units) with k = 1, 4, 3", () => {
    const count = (k: number): number => k * (4 * (3 + 4) + 4);
    assert.match(run.stdout, new RegExp(`^SimpleRNN params: ${count(1)}$`, "m"));
    assert.match(run.stdout, new RegExp(`^LSTM\\s+params: ${count(4)}$`, "m"));
    assert.match(run.stdout, new RegExp(`^GRU\\s+params: ${count(3)}$`, "m"));
  });

  it("plots the three LSTM gates per step, every value inside (0, 1)", () => {
    const figures = plotlyFigures(run);
    assert.equal(figures.length, 4);
    const fig = figures[0]!;
    assert.deepEqual(
      fig.data.map((d) => d.name),
      ["input gate", "forget gate", "output gate"],
    );
    for (const trace of fig.data) {
      assert.equal(trace.y?.length, 6);
      for (const v of trace.y as number[]) assert.ok(v > 0 && v < 1, `gate value ${v}`);
    }
  });

  /** The "<name> test MSE <x>" lines, in print order. */
  const printedMse = (): Map<string, number> =>
    new Map([...run.stdout.matchAll(/^(.+?)\s+test MSE (\S+)$/gm)].map((m) => [m[1]!.trim(), Number(m[2])]));

  it("runs Géron's synthetic-series experiment: naive, linear, SimpleRNN and deep RNN, one step ahead", () => {
    assert.match(run.stdout, /^series: 2000 train, 500 validation, 500 test; input \[50,1\], targets \[1\] and \[10\]$/m);
    const mse = printedMse();
    for (const name of ["naive (last value)", "linear (Dense on 50 values)", "SimpleRNN, 1 unit", "deep RNN (20, 20, Dense 1)"]) {
      assert.ok(Number.isFinite(mse.get(name)) && mse.get(name)! > 0, `${name}: ${mse.get(name)}`);
    }
    // Géron's naive MSE is about 0.020 on this generator; the deep RNN beats it by far.
    const naive = mse.get("naive (last value)")!;
    assert.ok(naive > 0.008 && naive < 0.04, `naive ${naive}`);
    assert.ok(mse.get("deep RNN (20, 20, Dense 1)")! < 0.5 * naive, `deep RNN ${mse.get("deep RNN (20, 20, Dense 1)")} vs naive ${naive}`);
  });

  it("forecasts ten steps ahead: naive, recursive deep RNN, linear and deep RNN with 10 outputs", () => {
    const mse = printedMse();
    for (const name of ["naive (repeat last value)", "deep RNN, recursive", "linear, 10 outputs", "deep RNN, 10 outputs"]) {
      assert.ok(Number.isFinite(mse.get(name)) && mse.get(name)! > 0, `${name}: ${mse.get(name)}`);
    }
    assert.ok(mse.get("deep RNN, 10 outputs")! < mse.get("naive (repeat last value)")!);
  });

  it("prints each horizon's ranking sorted by the printed MSEs, and comparisons that follow them", () => {
    const mse = printedMse();
    for (const horizon of ["one step ahead", "ten steps ahead"]) {
      const m = new RegExp(`^ranking, ${horizon} \\(best first\\): (.+)$`, "m").exec(run.stdout);
      assert.ok(m, run.stdout);
      const entries = m[1]!.split(" < ").map((e) => Number(e.slice(e.lastIndexOf(" ") + 1)));
      assert.equal(entries.length, 4);
      for (let i = 1; i < entries.length; i++) assert.ok(entries[i - 1]! <= entries[i]!, m[0]);
    }
    const vector = mse.get("deep RNN, 10 outputs")!;
    const recursive = mse.get("deep RNN, recursive")!;
    assert.match(run.stdout, new RegExp(`^ten steps: the vector output ${vector < recursive ? "beats" : "loses to"} the recursive forecast;`, "m"));
    const deep = mse.get("deep RNN (20, 20, Dense 1)")!;
    const linear = mse.get("linear (Dense on 50 values)")!;
    assert.match(run.stdout, new RegExp(`^one step: deep RNN ${deep < linear ? "beats" : "loses to"} linear;`, "m"));
  });

  it("plots the series, the grouped test MSEs and the validation curves", () => {
    const figs = plotlyFigures(run);
    const title = (f: (typeof figs)[number]) => JSON.stringify(f.layout.title);
    const series = figs.find((f) => title(f).includes("Three synthetic series"))!;
    assert.ok(series && series.data.length === 3 && series.data.every((d) => d.y?.length === 60));
    const bars = figs.find((f) => title(f).includes("test MSE (lower is better)"))!;
    assert.ok(bars);
    const mse = printedMse();
    assert.deepEqual(bars.data.map((d) => d.y?.length), [4, 4]);
    assert.ok(Math.abs((bars.data[0]!.y as number[])[0]! - mse.get("naive (last value)")!) < 1e-5);
    const curves = figs.find((f) => title(f).includes("validation MSE per epoch"))!;
    assert.ok(curves && curves.data.every((d) => d.y?.length === 10));
  });

  it("emits its computed summary for seqlab run --json", () => {
    const [r] = notebookResults(run);
    assert.ok(r);
    const mse = printedMse();
    assert.ok(Math.abs((r.metrics["one-step deep RNN MSE"] as number) - mse.get("deep RNN (20, 20, Dense 1)")!) < 1e-5);
    const one = /^ranking, one step ahead \(best first\): (.+?) \d/m.exec(run.stdout)![1];
    assert.equal(r.metrics["one-step best"], one);
  });
});
