import { strict as assert } from "node:assert";
import * as path from "node:path";
import { plotlyFigures, type ExecutedNotebook } from "../../support/notebook";
import { assertEveryTaskNotImplemented, assertFullAutogradedMarks, gradeAssignment, type GradedAssignment } from "./_graded";
import { projectRoot } from "../../support/project";

const notebook = path.join(projectRoot, "notebooks", "assignments", "01-imdb-sentiment.ipynb");

describe("notebooks/assignments/01-imdb-sentiment.ipynb", function () {
  this.timeout(900_000);
  let run: ExecutedNotebook;
  let graded: GradedAssignment;

  before(async () => {
    graded = await gradeAssignment(notebook);
    run = graded.run;
  });

  it("runs in quick mode without errors or stderr output", () => {
    assert.equal(run.result.status, "ok", JSON.stringify(run.result.error));
    assert.equal(run.stderr, "");
    assert.match(run.stdout, /^mode: quick \(2000 train \/ 1000 test reviews, 1 epoch\(s\)\)$/m);
  });

  it("grades the release with the reference solutions pasted back at full autograded marks", () => {
    assertFullAutogradedMarks(graded.reference, 9);
  });

  it("grades the untouched release: every task fails with the stub's \"Not implemented\" and no other error", () => {
    assertEveryTaskNotImplemented(graded.untouched);
  });

  it("pads the quick subset to 200 tokens with both classes present", () => {
    const train = /^train: (\d+) reviews x (\d+) tokens, positive share ([\d.]+)$/m.exec(run.stdout);
    const test = /^test: (\d+) reviews x (\d+) tokens, positive share ([\d.]+)$/m.exec(run.stdout);
    assert.ok(train && test, run.stdout);
    assert.deepEqual([train[1], train[2], test[1], test[2]], ["2000", "200", "1000", "200"]);
    for (const share of [Number(train[3]), Number(test[3])]) assert.ok(share > 0.3 && share < 0.7, `positive share ${share}`);
  });

  it("trains SimpleRNN, LSTM and GRU with live curves and prints accuracies in [0, 1] and times", () => {
    const lines = [...run.stdout.matchAll(/^(\S+): test accuracy ([\d.]+), training time ([\d.]+) s$/gm)];
    assert.deepEqual(lines.map((m) => m[1]), ["SimpleRNN", "LSTM", "GRU"]);
    for (const m of lines) {
      const acc = Number(m[2]);
      assert.ok(acc >= 0 && acc <= 1, m[0]);
      // 1,000 test reviews: an accuracy is a multiple of 1/1000.
      assert.ok(Math.abs(acc * 1000 - Math.round(acc * 1000)) < 1e-6, m[0]);
      assert.ok(Number(m[3]) > 0, m[0]);
    }
    const live = plotlyFigures(run).filter((f) => /: training/.test(JSON.stringify(f.layout.title)));
    assert.equal(live.length, 3, "one live training chart per model");
  });

  it("compares the three models in a table and a figure that match the printed numbers", () => {
    const lines = [...run.stdout.matchAll(/^(\S+): test accuracy ([\d.]+), training time ([\d.]+) s$/gm)];
    const fig = plotlyFigures(run).find((f) => JSON.stringify(f.layout.title).includes("IMDB sentiment: test accuracy and training time"));
    assert.ok(fig, "no comparison figure");
    assert.equal(fig.data.length, 2, "an accuracy panel and a training-time panel");
    assert.deepEqual(fig.data[0]!.x, ["SimpleRNN", "LSTM", "GRU"]);
    const plotted = fig.data[0]!.y as number[];
    lines.forEach((m, i) => assert.equal(plotted[i]!.toFixed(4), m[2]));
    const times = fig.data[1]!.y as number[];
    lines.forEach((m, i) => assert.equal(times[i]!.toFixed(1), m[3]));

    const table = run.bundles.find((b) => typeof b["text/html"] === "string" && (b["text/html"] as string).startsWith("<table>"));
    assert.ok(table, "no results table");
    const rows = [...(table["text/html"] as string).matchAll(/<tr><td>(\w+)<\/td><td>([\d.]+)<\/td>/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(rows, lines.map((m) => [m[1], m[2]]));
  });

  it("names the best and worst model from the numbers", () => {
    const lines = [...run.stdout.matchAll(/^(\S+): test accuracy ([\d.]+), training time ([\d.]+) s$/gm)];
    const accs = lines.map((m) => Number(m[2]));
    const best = /^best: (\S+) \(([\d.]+)\)$/m.exec(run.stdout);
    const worst = /^worst: (\S+) \(([\d.]+)\), ([\d.]+) points behind$/m.exec(run.stdout);
    assert.ok(best && worst, run.stdout);
    assert.equal(Number(best[2]), Math.max(...accs));
    assert.equal(Number(worst[2]), Math.min(...accs));
    assert.equal(lines.find((m) => m[1] === best[1])![2], best[2]);
    assert.equal(Number(worst[3]), Number(((Math.max(...accs) - Math.min(...accs)) * 100).toFixed(1)));
    const baseline = /^majority-class baseline on this test set: ([\d.]+)$/m.exec(run.stdout);
    const share = Number(/^test: .* positive share ([\d.]+)$/m.exec(run.stdout)![1]);
    assert.equal(Number(baseline![1]), Number(Math.max(share, 1 - share).toFixed(4)));
  });
});
