import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { imdb, plots } from "kernel-helpers";
import { notebookResults, plotlyFigures, type ExecutedNotebook } from "../../support/notebook";
import { assertEveryTaskNotImplemented, assertFullAutogradedMarks, gradeAssignment, type GradedAssignment } from "./_graded";
import { artifactsDir, projectRoot } from "../../support/project";
import { launchBrowser } from "../../support/browser";
import { writeStudentOutputs } from "../../../src/notebooks/grade/outputs";

const notebook = path.join(projectRoot, "notebooks", "assignments", "01-imdb-sentiment.ipynb");

const NAMES = [
  "SimpleRNN",
  "LSTM",
  "GRU",
  "bag of words",
  "bidirectional LSTM",
  "GRU, pre-padding, masked",
  "GRU, post-padding",
  "GRU, post-padding, masked",
];
const MAXLEN = 300;
const TRAIN = 2000;
const TEST = 1000;

describe("notebooks/assignments/01-imdb-sentiment.ipynb", function () {
  this.timeout(900_000);
  let run: ExecutedNotebook;
  let graded: GradedAssignment;
  /** The accuracy and time each model printed, in the order printed. */
  const printed = (): Array<{ name: string; accuracy: string; seconds: string }> =>
    [...run.stdout.matchAll(/^(.+): test accuracy ([\d.]+), training time ([\d.]+) s$/gm)].map((m) => ({ name: m[1]!, accuracy: m[2]!, seconds: m[3]! }));
  const accuracyOf = (name: string): number => Number(printed().find((p) => p.name === name)!.accuracy);
  const figure = (title: string) => {
    const f = plotlyFigures(run).find((g) => JSON.stringify(g.layout.title).includes(title));
    assert.ok(f, `no figure titled "${title}"`);
    return f;
  };

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
    assertFullAutogradedMarks(graded.reference, 17);
  });

  it("grades the untouched release: every task fails with the stub's \"Not implemented\" and no other error", () => {
    assertEveryTaskNotImplemented(graded.untouched);
  });

  it("pads the quick subset to MAXLEN tokens with both classes present", () => {
    const train = /^train: (\d+) reviews x (\d+) tokens, positive share ([\d.]+)$/m.exec(run.stdout);
    const test = /^test: (\d+) reviews x (\d+) tokens, positive share ([\d.]+)$/m.exec(run.stdout);
    assert.ok(train && test, run.stdout);
    assert.deepEqual([train[1], train[2], test[1], test[2]], [String(TRAIN), String(MAXLEN), String(TEST), String(MAXLEN)]);
    for (const share of [Number(train[3]), Number(test[3])]) assert.ok(share > 0.3 && share < 0.7, `positive share ${share}`);
  });

  it("plots the review lengths before padding, as recomputed from the data, and says how many are cut", () => {
    const lengths = imdb.loadData({ numWords: 10_000 }).train.x.slice(0, TRAIN).map((ids) => ids.length);
    const fig = figure("Training reviews: length in word ids");
    assert.deepEqual(fig.data[0]!.y, plots.histogram(lengths, 50).counts);
    assert.match(JSON.stringify(fig.layout.title), new RegExp(`n = ${TRAIN}`));
    const sorted = [...lengths].sort((a, b) => a - b);
    const longer = lengths.filter((n) => n > MAXLEN).length;
    const m = /^review length: median (\d+) ids, longest (\d+); (\d+) of (\d+) reviews \(([\d.]+)%\) are longer than MAXLEN = (\d+) and lose their beginning$/m.exec(run.stdout);
    assert.ok(m, run.stdout);
    assert.deepEqual(m.slice(1).map(Number), [sorted[TRAIN / 2], sorted[TRAIN - 1], longer, TRAIN, Number(((100 * longer) / TRAIN).toFixed(1)), MAXLEN]);
  });

  it("trains all eight models on the same budget with live curves, printing accuracies of the 1,000 test reviews", () => {
    const lines = printed();
    assert.deepEqual(lines.map((l) => l.name), NAMES);
    for (const l of lines) {
      const acc = Number(l.accuracy);
      assert.ok(acc >= 0 && acc <= 1, l.name);
      assert.ok(Math.abs(acc * TEST - Math.round(acc * TEST)) < 1e-6, `${l.name}: ${l.accuracy} is not a share of ${TEST} reviews`);
      assert.ok(Number(l.seconds) > 0, l.name);
    }
    const live = plotlyFigures(run).filter((f) => /: training/.test(JSON.stringify(f.layout.title)));
    assert.deepEqual(
      live.map((f) => /"text":"(.+?): training/.exec(JSON.stringify(f.layout.title))?.[1] ?? JSON.stringify(f.layout.title)),
      NAMES,
      "one live training chart per model",
    );
  });

  it("vectorizes the bag of words with words and bigrams, up to 20,000 tokens", () => {
    const m = /^bag-of-words vocabulary: (\d+) tokens, of which (\d+) bigrams; the most frequent: (.+)$/m.exec(run.stdout);
    assert.ok(m, run.stdout);
    assert.equal(Number(m[1]), 20_000);
    assert.ok(Number(m[2]) > 1000 && Number(m[2]) < 20_000, m[0]);
    assert.equal(m[3]!.split(" | ")[0], "the");
  });

  it("shows the masking comparison as a 2 x 2 table whose differences match the printed accuracies", () => {
    const table = run.bundles.find((b) => typeof b["text/html"] === "string" && (b["text/html"] as string).startsWith("<table><thead><tr><th>GRU</th>"));
    assert.ok(table, "no masking table");
    const rows = [...(table["text/html"] as string).matchAll(/<tr><td>([\w-]+)<\/td><td>([\d.]+)<\/td><td>([\d.]+)<\/td><\/tr>/g)].map((r) => r.slice(1));
    const p = (name: string): string => printed().find((l) => l.name === name)!.accuracy;
    assert.deepEqual(rows, [
      ["pre-padding", p("GRU"), p("GRU, pre-padding, masked")],
      ["post-padding", p("GRU, post-padding"), p("GRU, post-padding, masked")],
    ]);
    const diff = (label: string, a: string, b: string): void => {
      const m = new RegExp(`^${label}: ([+-][\\d.]+) points$`, "m").exec(run.stdout);
      assert.ok(m, `no line "${label}"\n${run.stdout}`);
      assert.equal(Number(m[1]), Number((100 * (accuracyOf(a) - accuracyOf(b))).toFixed(1)));
    };
    diff("post-padding without a mask vs pre-padding without a mask", "GRU, post-padding", "GRU");
    diff("post-padding: masked vs unmasked", "GRU, post-padding, masked", "GRU, post-padding");
    diff("pre-padding: masked vs unmasked", "GRU, pre-padding, masked", "GRU");
  });

  it("lists the nearest words of a trained embedding by decreasing cosine similarity", () => {
    const head = /^nearest words in the trained embedding of (SimpleRNN|LSTM|GRU) \(cosine similarity\):$/m.exec(run.stdout);
    assert.ok(head, run.stdout);
    const best = NAMES.slice(0, 3).reduce((a, b) => (accuracyOf(b) > accuracyOf(a) ? b : a));
    assert.equal(head[1], best, "the embedding of the best of the three recurrent cells");
    for (const word of ["excellent", "awful", "boring", "funny", "actor"]) {
      const m = new RegExp(`^  ${word}: (.+)$`, "m").exec(run.stdout);
      assert.ok(m, `no neighbours of ${word}`);
      const near = m[1]!.split(", ").map((s) => /^(\S+) (-?[\d.]+)$/.exec(s)!);
      assert.equal(near.length, 6);
      const sims = near.map((n) => Number(n[2]));
      assert.ok(sims.every((s, i) => s >= -1 && s <= 1 && (i === 0 || s <= sims[i - 1]!)), m[0]);
      assert.ok(near.every((n) => n[1] !== word && n[1] !== "?"), m[0]);
    }
  });

  it("compares every model in a table and a figure that match the printed numbers", () => {
    const lines = printed();
    const fig = figure("IMDB sentiment: test accuracy and training time");
    assert.equal(fig.data.length, 2, "an accuracy panel and a training-time panel");
    assert.deepEqual(fig.data[0]!.x, NAMES);
    (fig.data[0]!.y as number[]).forEach((v, i) => assert.equal(v.toFixed(4), lines[i]!.accuracy));
    (fig.data[1]!.y as number[]).forEach((v, i) => assert.equal(v.toFixed(1), lines[i]!.seconds));

    const table = run.bundles.find((b) => typeof b["text/html"] === "string" && (b["text/html"] as string).startsWith("<table><thead><tr><th>model</th>"));
    assert.ok(table, "no results table");
    const rows = [...(table["text/html"] as string).matchAll(/<tr><td>([^<]+)<\/td><td>([\d.]+)<\/td><td>([\d.]+)<\/td>/g)].map((m) => [m[1], m[2], m[3]]);
    assert.deepEqual(rows, lines.map((l) => [l.name, l.accuracy, l.seconds]));
  });

  it("names the best and worst model and says plainly whether recurrence beat the bag of words", () => {
    const accs = printed().map((l) => Number(l.accuracy));
    const best = /^best: (.+) \(([\d.]+)\)$/m.exec(run.stdout);
    const worst = /^worst: (.+) \(([\d.]+)\), ([\d.]+) points behind$/m.exec(run.stdout);
    assert.ok(best && worst, run.stdout);
    assert.equal(Number(best[2]), Math.max(...accs));
    assert.equal(Number(worst[2]), Math.min(...accs));
    assert.equal(accuracyOf(best[1]!).toFixed(4), best[2]);
    assert.equal(Number(worst[3]), Number(((Math.max(...accs) - Math.min(...accs)) * 100).toFixed(1)));
    const baseline = /^majority-class baseline on this test set: ([\d.]+)$/m.exec(run.stdout);
    const share = Number(/^test: .* positive share ([\d.]+)$/m.exec(run.stdout)![1]);
    assert.equal(Number(baseline![1]), Number(Math.max(share, 1 - share).toFixed(4)));

    const recurrent = NAMES.filter((n) => n !== "bag of words");
    const bestRecurrent = Math.max(...recurrent.map(accuracyOf));
    const wins = bestRecurrent > accuracyOf("bag of words");
    const said = /^recurrence (beat|did not beat) the bag of words: (.+) ([\d.]+) vs bag of words ([\d.]+) \(([\d.]+) points (ahead|behind)\)$/m.exec(run.stdout);
    assert.ok(said, run.stdout);
    assert.deepEqual([said[1], said[6]], wins ? ["beat", "ahead"] : ["did not beat", "behind"]);
    assert.equal(Number(said[3]), bestRecurrent);
    assert.equal(accuracyOf(said[2]!), bestRecurrent);
    assert.equal(Number(said[4]), accuracyOf("bag of words"));
    const verdict = /^Verdict: recurrence (beat|did not beat) the bag of words in this run/m.exec(run.stdout);
    assert.ok(verdict, run.stdout);
    assert.equal(verdict[1], said[1]);
  });

  it("plots the best model's confusion matrix and the training vs validation curves", () => {
    const accs = printed().map((l) => Number(l.accuracy));
    const bestName = /^best: (.+) \(/m.exec(run.stdout)![1]!;
    const cm = figure(`${bestName}: confusion matrix on ${TEST} test reviews`);
    const z = (cm.data[0] as { z?: number[][] }).z!;
    assert.equal(z.length, 2);
    assert.equal(z.flat().reduce((a, b) => a + b, 0), TEST);
    assert.equal((z[0]![0]! + z[1]![1]!) / TEST, Math.max(...accs), "the diagonal is the best accuracy");
    const positives = Math.round(TEST * Number(/^test: .* positive share ([\d.]+)$/m.exec(run.stdout)![1]));
    assert.equal(z[1]![0]! + z[1]![1]!, positives, "the second row holds the positive reviews");
    const recurrent = NAMES.filter((n) => n !== "bag of words").reduce((x, y) => (accuracyOf(y) > accuracyOf(x) ? y : x));
    const matrices = plotlyFigures(run).filter((f) => JSON.stringify(f.layout.title).includes("confusion matrix"));
    assert.equal(matrices.length, recurrent === bestName ? 1 : 2, "the best model's and the best recurrent model's");
    const rz = (figure(`${recurrent}: confusion matrix on ${TEST} test reviews`).data[0] as { z?: number[][] }).z!;
    assert.equal((rz[0]![0]! + rz[1]![1]!) / TEST, accuracyOf(recurrent));

    const curves = figure("Training vs validation accuracy per epoch");
    const names = curves.data.map((t) => t.name);
    assert.ok(names.includes("bag of words (train)") && names.includes("bag of words (validation)"), JSON.stringify(names));
    assert.equal(curves.data.length, 4);
    for (const t of curves.data) {
      assert.equal((t.y as number[]).length, 1, `${t.name}: one point per epoch`);
      assert.ok((t.y as number[]).every((v) => v >= 0 && v <= 1), t.name);
    }
  });

  it("ends with a results summary computed from the printed numbers, and frees its tensors", () => {
    const [r] = notebookResults(run);
    assert.ok(r, "no showResults output");
    assert.equal(r.mode, "quick");
    for (const [key, name] of [
      ["SimpleRNN test accuracy", "SimpleRNN"],
      ["bag of words test accuracy", "bag of words"],
      ["bidirectional LSTM test accuracy", "bidirectional LSTM"],
      ["GRU post-padding masked test accuracy", "GRU, post-padding, masked"],
    ] as const) {
      assert.equal((r.metrics[key] as number).toFixed(4), accuracyOf(name).toFixed(4), key);
    }
    assert.equal(r.metrics["best model"], /^best: (.+) \(/m.exec(run.stdout)![1]);
    assert.equal(r.metrics["recurrence beat bag of words"], /^recurrence beat/m.test(run.stdout));
    assert.equal(r.metrics["test reviews"], TEST);
    assert.ok((r.metrics["seconds"] as number) > 0);
    const left = /^tensors still in memory: (\d+)$/m.exec(run.stdout);
    assert.ok(left, run.stdout);
  });

  it("opens the graded reference's feedback HTML in Chromium with the network off: score, histogram, confusion matrix and comparison chart drawn", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-a1-feedback-"));
    const [{ html }] = await writeStudentOutputs([graded.reference], "01-imdb-sentiment", dir);
    const b = await launchBrowser({ offline: true });
    try {
      await b.page.goto(`file://${html}`);
      await b.page.waitForSelector(".js-plotly-plot .main-svg", { timeout: 60_000 });
      assert.match(await b.page.locator(".seqlab-score").innerText(), /Score: 17 \/ 21\b/, "17 autograded points of 21 (4 written, not graded yet)");
      const titles = await b.page.locator(".js-plotly-plot .gtitle").allTextContents();
      for (const t of ["Training reviews: length in word ids", "confusion matrix on 1000 test reviews", "IMDB sentiment: test accuracy and training time", "Training vs validation accuracy per epoch"]) {
        assert.ok(titles.some((x) => x.includes(t)), `no chart titled "${t}" in ${JSON.stringify(titles)}`);
      }
      // The histogram draws one bar per non-empty bin; the confusion matrix one heatmap of 2 x 2 cells.
      const lengths = imdb.loadData({ numWords: 10_000 }).train.x.slice(0, TRAIN).map((ids) => ids.length);
      const bins = plots.histogram(lengths, 50).counts.filter((c) => c > 0).length;
      const histogram = b.page.locator(".js-plotly-plot", { has: b.page.locator(".gtitle", { hasText: "Training reviews: length in word ids" }) });
      const bars = histogram.locator(".barlayer .point path");
      assert.equal(await bars.count(), 50, "one bar per bin");
      const drawn = await bars.evaluateAll((els) => els.filter((e) => (e as SVGGraphicsElement).getBBox().height > 0).length);
      assert.equal(drawn, bins, "a visible bar for every non-empty bin");
      const cm = b.page.locator(".js-plotly-plot", { has: b.page.locator(".gtitle", { hasText: "confusion matrix" }) });
      const matrices = plotlyFigures(run).filter((f) => JSON.stringify(f.layout.title).includes("confusion matrix")).length;
      assert.equal(await cm.locator(".heatmaplayer image").count(), matrices, "a drawn heatmap per confusion matrix");
      const compare = b.page.locator(".js-plotly-plot", { has: b.page.locator(".gtitle", { hasText: "IMDB sentiment: test accuracy and training time" }) });
      assert.equal(await compare.locator(".barlayer .point").count(), 2 * NAMES.length, "an accuracy and a time bar per model");
      fs.mkdirSync(artifactsDir, { recursive: true });
      await b.page.screenshot({ path: path.join(artifactsDir, "a1-feedback-offline.png"), fullPage: true });
      assert.deepEqual(b.consoleErrors, []);
    } finally {
      await b.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
