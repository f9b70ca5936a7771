import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as dfd from "danfojs-node";
import { dropNa, events, mse, pctChange, persistencePredictions, stocks, trainTestSplit } from "kernel-helpers";
import { notebookResults, plotlyFigures, runNotebook, type ExecutedNotebook, type StoredFigure } from "../../support/notebook";
import { projectRoot, sharedDataDir } from "../../support/project";

const notebookDir = path.join(projectRoot, "notebooks", "walkthroughs");
const notebook = path.join(notebookDir, "stock-price-gru.ipynb");

// The notebook's settings in quick mode.
const QUICK_EPOCHS = 3;
const QUICK_EPOCHS2 = 5;
const REG_WINDOW = 10;

/** The course lesson's own AAPL.csv and filings.csv (test-only data; SEQLAB_LESSON_DATA overrides where). */
function lessonData(): string | null {
  const dir = process.env.SEQLAB_LESSON_DATA || path.join(sharedDataDir, "aapl");
  return fs.existsSync(path.join(dir, "AAPL.csv")) && fs.existsSync(path.join(dir, "filings.csv")) ? dir : null;
}

/** What a data set implies for the notebook's printed lines, computed here with kernel-helpers. */
interface Expected {
  rows: number;
  firstDate: string;
  lastDate: string;
  changeRows: number;
  features: number;
  target: number[];
  trainRows: number;
  testRows: number;
  trainShareUp: number;
  testShareUp: number;
  testWindowLabels: number[];
  majorityAccuracy: number;
  trainWindowTargets: number[];
  regressionNaiveMse: number;
  regressionZeroMse: number;
}

function expectedFor(pricesFile: string | null, eventsFile: string | null): Expected {
  const prices = pricesFile ? stocks.loadCsv(pricesFile) : stocks.sp500();
  const changes = dropNa(pctChange(prices.drop({ columns: ["Adj Close"] })));
  const target = (changes.column("Close").values as number[]).map((c) => (c >= 0 ? 1 : 0));
  let df: dfd.DataFrame = changes.addColumn("Target", target, { inplace: false });
  if (eventsFile) df = events.mergeOnDate(df, events.loadCsv(eventsFile));
  const [xTrain, xTest, yTrain, yTest] = trainTestSplit(df.drop({ columns: ["Target"] }), df.column("Target"), { testSize: 0.1, shuffle: false });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const yTr = yTrain.values as number[];
  const yTe = yTest.values as number[];
  const testWindowLabels = yTe.slice(3);
  const majority = mean(yTr) >= 0.5 ? 1 : 0;
  // Part 2: Close returns (days with a real close), 90/10, windows of 10.
  const close = (prices.column("Close").values as number[]).filter((c) => Number.isFinite(c) && c > 0);
  const returns = pctChange(close).slice(1);
  const [, testReturns] = trainTestSplit(returns, { testSize: 0.1, shuffle: false });
  const actual = testReturns.slice(REG_WINDOW).map((r) => 100 * r);
  const naive = persistencePredictions(testReturns).predictions.slice(REG_WINDOW - 1).map((r) => 100 * r);
  return {
    rows: prices.shape[0],
    firstDate: String(prices.index[0]),
    lastDate: String(prices.index[prices.shape[0] - 1]),
    changeRows: changes.shape[0],
    features: xTrain.shape[1],
    target,
    trainRows: xTrain.shape[0],
    testRows: xTest.shape[0],
    trainShareUp: mean(yTr),
    testShareUp: mean(yTe),
    testWindowLabels,
    majorityAccuracy: mean(testWindowLabels.map((v) => (v === majority ? 1 : 0))),
    trainWindowTargets: yTr.slice(3, 6),
    regressionNaiveMse: mse(actual, naive),
    regressionZeroMse: mse(actual, actual.map(() => 0)),
  };
}

const titleOf = (f: StoredFigure) => (typeof f.layout.title === "string" ? f.layout.title : f.layout.title?.text ?? "");

function line(stdout: string, re: RegExp): RegExpExecArray {
  const m = re.exec(stdout);
  assert.ok(m, `no line matching ${re} in:\n${stdout}`);
  return m;
}

/** Checks every run shares: the pipeline's numbers against `exp`, the models, plots and summary. */
function checkPipeline(run: () => ExecutedNotebook, exp: () => Expected): void {
  it("runs through the seqlab kernel in quick mode without errors", () => {
    assert.equal(run().result.status, "ok", JSON.stringify(run().result.error));
    assert.match(run().stdout, /^quick mode: on/m);
  });

  it("prints the rows, the percent-change rows and the Target counts the data implies", () => {
    const { stdout } = run();
    const e = exp();
    line(stdout, new RegExp(`^prices: .+, ${e.rows} rows x 6 columns, ${e.firstDate} to ${e.lastDate}$`, "m"));
    line(stdout, new RegExp(`^percent changes: ${e.changeRows} rows x 5 columns \\(Open, High, Low, Close, Volume\\)$`, "m"));
    const ups = e.target.filter((t) => t === 1).length;
    line(stdout, new RegExp(`^Target: ${ups} up days, ${e.target.length - ups} down days; share up ${ups / e.target.length}$`, "m"));
    line(stdout, new RegExp(`^Target of the first 5 days: \\[${e.target.slice(0, 5).join(", ")}\\]`, "m"));
  });

  it("splits 90/10 in time order and prints the shapes and class shares", () => {
    const { stdout } = run();
    const e = exp();
    line(stdout, new RegExp(`^X_train \\[${e.trainRows},${e.features}\\], X_test \\[${e.testRows},${e.features}\\]$`, "m"));
    line(stdout, new RegExp(`^share of up days \\(y\\.mean\\(\\)\\): train ${e.trainShareUp}, test ${e.testShareUp}$`, "m"));
    const m = line(stdout, /^train (\S+) to (\S+); test (\S+) to (\S+)$/m);
    assert.ok(m[2]! < m[3]!, "every training day comes before every test day");
  });

  it("prints the generator's batch shapes and counts (Keras' TimeseriesGenerator, length 3, batch 64)", () => {
    const { stdout } = run();
    const e = exp();
    line(stdout, new RegExp(`^batch_x\\.shape: \\[64,3,${e.features}\\]$`, "m"));
    line(stdout, /^batch_y\.shape: \[64\]$/m);
    line(stdout, new RegExp(`^one window \\(the model's input shape\\): \\[3,${e.features}\\]$`, "m"));
    // keras-preprocessing: ceil((rows - length) / batch) batches.
    line(stdout, new RegExp(`^batches: train ${Math.ceil((e.trainRows - 3) / 64)}, test ${Math.ceil((e.testRows - 3) / 64)}$`, "m"));
    const targets = [...stdout.matchAll(/^window (\d) \(target (\d)\):$/gm)].map((m) => Number(m[2]));
    assert.deepEqual(targets, e.trainWindowTargets);
  });

  it("prints the student's model summary: GRU(64) -> GRU(8) -> Dense(8) -> Dense(1)", () => {
    const f = exp().features;
    const gru = (inDim: number, units: number) => 3 * (inDim * units + units * units + units);
    const total = gru(f, 64) + gru(64, 8) + (8 * 8 + 8) + (8 + 1);
    line(run().stdout, new RegExp(`^Total params: ${total}$`, "m"));
    line(run().stdout, new RegExp(`\\(GRU\\)\\s+\\[\\[null,3,${f}\\]\\]\\s+\\[null,3,64\\]\\s+${gru(f, 64)}`, "m"));
  });

  it("shows live training curves, train vs validation history and the confusion matrix of the test windows", () => {
    const figs = plotlyFigures(run());
    const live = figs.filter((f) => titleOf(f).startsWith("model: GRU(64)"));
    assert.equal(live.length, 1, "the live figure is one output, updated in place");
    assert.match(titleOf(live[0]!), new RegExp(`done: ${QUICK_EPOCHS} epochs`));
    const hist = figs.find((f) => titleOf(f) === "model: train vs validation (test) curves");
    assert.ok(hist, "no history figure");
    const names = hist.data.map((d) => d.name);
    assert.ok(names.length === 4 && hist.data.every((d) => d.y?.length === QUICK_EPOCHS), JSON.stringify(names));
    const cm = figs.find((f) => titleOf(f) === "model on the test windows");
    assert.ok(cm, "no confusion matrix");
    const z = (cm.data[0] as { z?: number[][] }).z!;
    assert.equal(z.flat().reduce((a, b) => a + b, 0), exp().testWindowLabels.length);
    const ups = exp().testWindowLabels.filter((v) => v === 1).length;
    assert.equal(z[1]![0]! + z[1]![1]!, ups, "row 'up' holds the up days");
  });

  it("compares both models with the majority-class baseline and computes the verdicts from the numbers", () => {
    const { stdout } = run();
    const e = exp();
    line(stdout, new RegExp(`^test windows: ${e.testWindowLabels.length}; majority class in training: ${e.trainShareUp >= 0.5 ? "up" : "down"}$`, "m"));
    const base = Number(line(stdout, /^majority-class baseline accuracy: (\S+)$/m)[1]);
    assert.equal(base, Number(e.majorityAccuracy.toFixed(4)));
    for (const name of ["model", "model2"]) {
      const m = line(stdout, new RegExp(`^${name} accuracy: (\\S+); predicts "up" for (\\S+)% of the test windows$`, "m"));
      const acc = Number(m[1]);
      const upShare = Number(m[2]) / 100;
      assert.ok(acc >= 0 && acc <= 1);
      const v = line(stdout, new RegExp(`^verdict: ${name} (ties|beats|is worse than) the majority-class baseline \\((\\S+) vs (\\S+)\\)(.*)$`, "m"));
      const expectedWord = Math.abs(acc - base) < 0.01 ? "ties" : acc > base ? "beats" : "is worse than";
      // Printed values are rounded to 4 places; allow the boundary to fall either way only within rounding.
      if (Math.abs(Math.abs(acc - base) - 0.01) > 2e-4) assert.equal(v[1], expectedWord, v[0]);
      const disguised = v[4]!.includes("majority class in disguise");
      if (upShare >= 0.9 + 1e-3 || upShare <= 0.1 - 1e-3) assert.ok(disguised, v[0]);
      else if (upShare > 0.1 + 1e-3 && upShare < 0.9 - 1e-3) assert.ok(!disguised, v[0]);
    }
    const m2 = line(stdout, new RegExp(`^model2 ran (\\d+) of ${QUICK_EPOCHS2} epochs`, "m"));
    assert.ok(Number(m2[1]) >= 1 && Number(m2[1]) <= QUICK_EPOCHS2);
    const both = plotlyFigures(run()).find((f) => titleOf(f) === "Both models: train vs test loss");
    assert.ok(both);
    assert.deepEqual(both.data.map((d) => d.name), ["model2 train loss", "model2 test loss", "model train loss", "model test loss"]);
  });

  it("part 2: prints the regression's errors; the baselines match the data", () => {
    const { stdout } = run();
    const e = exp();
    const naive = Number(line(stdout, /^return \(%\) \| naive \(last value\)\s*\| MSE (\S+) \| MAE \S+$/m)[1]);
    const zero = Number(line(stdout, /^return \(%\) \| zero change\s*\| MSE (\S+) \| MAE \S+$/m)[1]);
    assert.equal(naive, Number(e.regressionNaiveMse.toFixed(4)));
    assert.equal(zero, Number(e.regressionZeroMse.toFixed(4)));
    const gru = Number(line(stdout, /^return \(%\) \| GRU model\s*\| MSE (\S+) \| MAE \S+$/m)[1]);
    const skill = line(stdout, /^skill vs zero change: (\S+)% \((.+)\)$/m);
    assert.equal(skill[2], gru < zero ? "the GRU's MSE is lower" : "the GRU does not beat it");
    assert.equal(plotlyFigures(run()).filter((f) => /^Test days:/.test(titleOf(f))).length, 2);
  });

  it("frees every model's memory and emits a computed summary for seqlab run --json", () => {
    const { stdout } = run();
    const m = line(stdout, /^tensor memory: (\d+) bytes in (\d+) tensors \(at the start: (\d+) bytes in (\d+) tensors\)$/m);
    assert.equal(Number(m[1]), Number(m[3]), "bytes still held after disposing the models");
    const results = notebookResults(run());
    assert.equal(results.length, 1);
    const r = results[0]!;
    assert.equal(r.mode, "quick");
    const e = exp();
    assert.equal(r.metrics["train rows"], e.trainRows);
    assert.equal(r.metrics["test rows"], e.testRows);
    assert.equal(r.metrics["test share up"], e.testShareUp);
    assert.equal(r.metrics["majority-class accuracy"], e.majorityAccuracy);
    const printedAcc = Number(line(stdout, /^model accuracy: (\S+);/m)[1]);
    assert.equal(Number((r.metrics["model accuracy"] as number).toFixed(4)), printedAcc);
  });
}

describe("notebooks/walkthroughs/stock-price-gru.ipynb (default data)", function () {
  this.timeout(900_000);
  let nb: ExecutedNotebook;
  let exp: Expected;
  const localFile = stocks.findLocalCsv("AAPL", { from: notebookDir });
  const localEvents = localFile && fs.existsSync(path.join(path.dirname(localFile), "filings.csv")) ? path.join(path.dirname(localFile), "filings.csv") : null;

  before(async () => {
    exp = expectedFor(localFile, localEvents);
    nb = await runNotebook(notebook, { quick: true, env: { SEQLAB_PRICES_CSV: "", SEQLAB_EVENTS_CSV: "" } });
  });

  it("says which data it used: data/AAPL.csv when present, else the bundled S&P 500 without events", () => {
    if (localFile) line(nb.stdout, new RegExp(`^prices: AAPL\\.csv, `, "m"));
    else {
      line(nb.stdout, /^prices: S&P 500 index \(bundled with the course\), /m);
      line(nb.stdout, /^events: none \(no events file\); the model sees the price columns only$/m);
      line(nb.stdout, /^no events to merge: \d+ rows x 6 columns$/m);
    }
  });

  checkPipeline(() => nb, () => exp);
});

describe("notebooks/walkthroughs/stock-price-gru.ipynb on the lesson's AAPL.csv and filings.csv", function () {
  this.timeout(900_000);
  const dir = lessonData();
  let nb: ExecutedNotebook;
  let exp: Expected;

  before(async function () {
    if (!dir) {
      console.log("    (skipped: the lesson data is not present; set SEQLAB_LESSON_DATA to its folder)");
      this.skip();
    }
    exp = expectedFor(path.join(dir, "AAPL.csv"), path.join(dir, "filings.csv"));
    nb = await runNotebook(notebook, {
      quick: true,
      env: { SEQLAB_PRICES_CSV: path.join(dir, "AAPL.csv"), SEQLAB_EVENTS_CSV: path.join(dir, "filings.csv") },
    });
  });

  // Every number below is what the lesson's notebook printed (pandas, scikit-learn, Keras).
  it("reproduces the lesson's loading, percent changes and Target", () => {
    const s = nb.stdout;
    line(s, /^prices: AAPL\.csv, 3523 rows x 6 columns, 2005-04-25 to 2019-04-23$/m);
    line(s, /^events: filings\.csv, 100 rows x 3 columns \(10-K, 10-Q, 8-K\), 1994-12-13 to 2019-03-04$/m);
    line(s, /^percent changes: 3522 rows x 5 columns/m);
    line(s, /^first row \(2005-04-26\): \[0\.007947, 0\.013236, 0\.000277, -0\.021363, 0\.085801\]$/m);
    line(s, /^Target of the first 5 days: \[0, 0, 0, 1, 1\]; prices with Target: 3522 rows x 6 columns$/m);
  });

  it("reproduces the lesson's merge: inner 91 rows, left 3522 x 9, 3431 missing flags filled with 0", () => {
    const s = nb.stdout;
    line(s, /^inner merge: 91 rows x 9 columns/m);
    line(s, /^left merge: 3522 rows x 9 columns$/m);
    line(s, /^missing flags after the left merge: 3431 per column \(10-K, 10-Q, 8-K\), filled with 0$/m);
  });

  it("reproduces the lesson's split sizes, class shares and scaled values", () => {
    const s = nb.stdout;
    line(s, /^X_train \[3169,8\], X_test \[353,8\]$/m);
    line(s, /^share of up days \(y\.mean\(\)\): train 0\.5263490059955822, test 0\.546742209631728$/m);
    // pd.DataFrame(X_train_sc).head(3), as pandas printed it (6 decimals).
    const scaled = [
      "  [0.297651, 0.691701, -0.050434, -1.100848, 0.067170, -0.064181, -0.105678, -0.096102]",
      "  [-1.152756, -1.842228, -0.875293, -0.385832, -0.748560, -0.064181, -0.105678, -0.096102]",
      "  [0.441933, -0.104145, -0.429121, -0.617499, -0.302895, -0.064181, -0.105678, -0.096102]",
    ].join("\n");
    assert.ok(s.includes(`scaled training rows 0-2:\n${scaled}\n`), s);
  });

  it("reproduces the lesson's window shapes and batch_x[0:3]", () => {
    const s = nb.stdout;
    line(s, /^batch_x\.shape: \[64,3,8\]$/m);
    line(s, /^batch_y\.shape: \[64\]$/m);
    line(s, /^one window \(the model's input shape\): \[3,8\]$/m);
    line(s, /^batches: train 50, test 6$/m);
    // The lesson's batch_x[0:3] (numpy, 8 decimals): windows slide by one row.
    const rows = [
      [0.29765124, 0.69170053, -0.05043447, -1.10084791, 0.06716994, -0.06418051, -0.10567799, -0.09610239],
      [-1.15275553, -1.84222756, -0.87529289, -0.38583241, -0.74856034, -0.06418051, -0.10567799, -0.09610239],
      [0.44193324, -0.10414528, -0.42912132, -0.61749897, -0.30289454, -0.06418051, -0.10567799, -0.09610239],
      [-0.23500478, -0.2471402, -0.09102684, 0.64623238, 0.27095165, -0.06418051, -0.10567799, -0.09610239],
      [0.0139448, 0.59681565, 1.02777582, 0.43408356, -0.90678848, -0.06418051, -0.10567799, -0.09610239],
    ];
    const printed = s.split(/^window \d \(target \d\):$/m).slice(1, 4).map((block) =>
      [...block.matchAll(/^ {2}\[([^\]]+)\]$/gm)].slice(0, 3).map((m) => m[1]!.split(", ").map(Number)),
    );
    assert.equal(printed.length, 3, s);
    printed.forEach((w, k) =>
      w.forEach((row, t) => row.forEach((v, j) => assert.ok(Math.abs(v - rows[k + t]![j]!) <= 1.5e-6, `window ${k} step ${t} col ${j}: ${v} vs ${rows[k + t]![j]}`))),
    );
    line(s, /^window 0: inputs 2005-04-26 \.\. 2005-04-28 -> target 2005-04-29$/m);
  });

  it("summarises the lesson's data in the results (8 features, 3169/353 rows)", () => {
    const r = notebookResults(nb)[0]!;
    assert.equal(r.metrics.data, "AAPL");
    assert.equal(r.metrics.features, 8);
    assert.equal(r.metrics["rows after pct change"], 3522);
    assert.equal(r.metrics["test share up"], 0.546742209631728);
  });

  checkPipeline(() => nb, () => exp);
});
