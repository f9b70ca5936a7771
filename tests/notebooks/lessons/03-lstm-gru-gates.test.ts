import { strict as assert } from "node:assert";
import * as path from "node:path";
import { plotlyFigures, runNotebook, type ExecutedNotebook } from "../../support/notebook";
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
    assert.equal(figures.length, 1);
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
});
