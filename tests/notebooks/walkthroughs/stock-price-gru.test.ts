import { strict as assert } from "node:assert";
import * as path from "node:path";
import { mae, mse, pctChange, persistencePredictions, StandardScaler, stocks, TimeseriesGenerator, trainTestSplit } from "kernel-helpers";
import * as tf from "@tensorflow/tfjs-node";
import { plotlyFigures, runNotebook, type ExecutedNotebook, type StoredFigure } from "../../support/notebook";
import { projectRoot } from "../../support/project";

const notebookDir = path.join(projectRoot, "notebooks", "walkthroughs");
const notebook = path.join(notebookDir, "stock-price-gru.ipynb");

/** What the notebook's data implies, computed here with kernel-helpers from the same source. */
interface Expected {
  localFile: string | null;
  dates: string[];
  close: number[];
  returns: number[];
  nTrain: number;
  nTest: number;
  trainDates: string[];
  testDates: string[];
  testReturns: number[];
  testPrevClose: number[];
  trainScaled: number[][];
  testScaled: number[][];
  mean: number;
  scale: number;
}

// The notebook's settings (quick mode): window length, batch size, epochs.
const WINDOW = 10;
const BATCH = 64;
const QUICK_EPOCHS = 2;

function expectedFromData(): Expected {
  // The kernel runs in the notebook's folder, so it looks for data/AAPL.csv from there upwards.
  const localFile = stocks.findLocalCsv("AAPL", { from: notebookDir });
  const prices = localFile ? stocks.loadCsv(localFile) : stocks.sp500();
  const allDates = prices.index.map(String);
  const allCloses = (prices["Close"].values as number[]).map(Number);
  const keep = allCloses.map((c) => Number.isFinite(c) && c > 0);
  const dates = allDates.filter((_, i) => keep[i]);
  const close = allCloses.filter((_, i) => keep[i]);
  const returns = pctChange(close).slice(1);
  const [trainReturns, testReturns, trainDates, testDates, , testPrevClose] = trainTestSplit(
    returns,
    dates.slice(1),
    close.slice(0, -1),
    { testSize: 0.1, shuffle: false },
  );
  const scaler = new StandardScaler();
  const trainScaled = scaler.fitTransform(trainReturns.map((r) => [r]));
  const testScaled = scaler.transform(testReturns.map((r) => [r]));
  return {
    localFile,
    dates,
    close,
    returns,
    nTrain: trainReturns.length,
    nTest: testReturns.length,
    trainDates,
    testDates,
    testReturns,
    testPrevClose,
    trainScaled,
    testScaled,
    mean: scaler.mean![0]!,
    scale: scaler.scale![0]!,
  };
}

/** The printed "target | name | MSE a | MAE b" line. */
function metricLine(stdout: string, target: string, name: string): { mse: number; mae: number } {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = new RegExp(`^${esc(target)}\\s*\\| ${esc(name)}\\s*\\| MSE (\\S+) \\| MAE (\\S+)$`, "m").exec(stdout);
  assert.ok(m, `no "${target} | ${name}" line in:\n${stdout}`);
  return { mse: Number(m[1]), mae: Number(m[2]) };
}

function assertPrinted(printed: number, expected: number, digits: number, what: string): void {
  assert.ok(Math.abs(printed - expected) <= 0.5 * 10 ** -digits + 1e-9, `${what}: printed ${printed}, expected ${expected.toFixed(digits)}`);
}

function batchShapes(gen: TimeseriesGenerator): { first: number[][]; last: number[] } {
  const first = gen.getBatch(0);
  const last = gen.getBatch(gen.length - 1);
  const shapes = { first: [first.xs.shape, first.ys.shape], last: last.xs.shape };
  tf.dispose([first.xs, first.ys, last.xs, last.ys]);
  return shapes;
}

const forecastFigures = (figs: StoredFigure[]) =>
  figs.filter((f) => f.data.length === 2 && f.data[0]!.name === "actual" && f.data[1]!.name === "predicted");

const titleOf = (f: StoredFigure) => (typeof f.layout.title === "string" ? f.layout.title : f.layout.title?.text ?? "");

describe("notebooks/walkthroughs/stock-price-gru.ipynb", function () {
  this.timeout(600_000);
  let run: ExecutedNotebook;
  let exp: Expected;

  before(async () => {
    exp = expectedFromData();
    run = await runNotebook(notebook, { quick: true });
  });

  it("runs through the seqlab kernel in quick mode without errors", () => {
    assert.equal(run.result.status, "ok", JSON.stringify(run.result.error));
    assert.match(run.stdout, /^quick mode: on/m);
  });

  it("says which data it used: data/AAPL.csv when present, else the bundled S&P 500", () => {
    const m = /^data: (.+), (\d+) trading days, (\S+) to (\S+)$/m.exec(run.stdout);
    assert.ok(m, run.stdout);
    if (exp.localFile === null) assert.match(m[1]!, /^S&P 500 index/);
    else assert.equal(m[1], `AAPL from ${path.relative(notebookDir, exp.localFile)}`);
    assert.equal(Number(m[2]), exp.close.length);
    assert.equal(m[3], exp.dates[0]);
    assert.equal(m[4], exp.dates[exp.dates.length - 1]);
  });

  it("plots the closing prices and the daily returns", () => {
    const figs = plotlyFigures(run);
    const closeFig = figs.find((f) => f.data[0]?.name === "Close");
    assert.ok(closeFig, "no figure of the Close column");
    assert.deepEqual(closeFig.data[0]!.y, exp.close);
    const returnsFig = figs.find((f) => f.data[0]?.name === "daily return (%)");
    assert.ok(returnsFig, "no figure of the daily returns");
    assert.equal(returnsFig.data[0]!.y!.length, exp.returns.length);
  });

  it("prints the returns count and the chronological split the data implies", () => {
    assert.match(run.stdout, new RegExp(`^returns: ${exp.close.length - 1} rows`, "m"));
    assert.equal(exp.nTest, Math.ceil(0.1 * exp.returns.length));
    const line = `split: ${exp.nTrain} train rows (${exp.trainDates[0]} to ${exp.trainDates[exp.nTrain - 1]}), ` +
      `${exp.nTest} test rows (${exp.testDates[0]} to ${exp.testDates[exp.nTest - 1]})`;
    assert.ok(run.stdout.includes(line), `expected "${line}" in:\n${run.stdout}`);
    assert.ok(exp.trainDates[exp.nTrain - 1]! < exp.testDates[0]!, "train days must all come before test days");
  });

  it("fits the scaler on the training returns only", () => {
    const m = /^scaler \(fit on train only\): mean (\S+), scale (\S+)$/m.exec(run.stdout);
    assert.ok(m, run.stdout);
    assert.ok(Math.abs(Number(m[1]) - exp.mean) <= 1e-3 * Math.abs(exp.mean), `mean ${m[1]} vs ${exp.mean}`);
    assert.ok(Math.abs(Number(m[2]) - exp.scale) <= 1e-3 * exp.scale, `scale ${m[2]} vs ${exp.scale}`);
  });

  it("prints the generators' window and batch counts and batch shapes", () => {
    const parts: Array<[string, number, number[][]]> = [
      ["train", exp.nTrain, exp.trainScaled],
      ["test", exp.nTest, exp.testScaled],
    ];
    for (const [name, rows, scaled] of parts) {
      const gen = new TimeseriesGenerator(scaled, scaled, { length: WINDOW, batchSize: BATCH });
      const windows = rows - WINDOW;
      assert.equal(gen.length, Math.ceil(windows / BATCH));
      const { first, last } = batchShapes(gen);
      assert.deepEqual(first, [[BATCH, WINDOW, 1], [BATCH, 1]]);
      assert.deepEqual(last, [windows - BATCH * (gen.length - 1), WINDOW, 1]);
      const line = `${name} windows: ${windows} in ${gen.length} batches; first batch xs [${first[0]}], ys [${first[1]}]; last batch xs [${last}]`;
      assert.ok(run.stdout.includes(line), `expected "${line}" in:\n${run.stdout}`);
    }
    const w0 = `window 0: inputs ${exp.trainDates[0]} .. ${exp.trainDates[WINDOW - 1]} -> target ${exp.trainDates[WINDOW]}`;
    assert.ok(run.stdout.includes(w0), `expected "${w0}" in:\n${run.stdout}`);
  });

  it("builds a 32-unit GRU forecaster and trains it for the quick-mode epochs", () => {
    // GRU: 3 gate blocks of (1 input + 32 recurrent + 1 bias) x 32 units; Dense: 32 + 1.
    assert.match(run.stdout, new RegExp(`^parameters: ${3 * (1 + 32 + 1) * 32 + 33}$`, "m"));
    const m = new RegExp(`^trained ${QUICK_EPOCHS} epochs: loss (\\S+) -> (\\S+)$`, "m").exec(run.stdout);
    assert.ok(m, run.stdout);
    for (const v of [m[1], m[2]]) assert.ok(Number.isFinite(Number(v)) && Number(v) > 0, `loss ${v}`);
  });

  it("shows the live training figure with one loss point per epoch", () => {
    const live = plotlyFigures(run).filter((f) => titleOf(f).startsWith("GRU on daily returns"));
    assert.equal(live.length, 1, "the live figure is one output, updated in place");
    assert.match(titleOf(live[0]!), new RegExp(`done: ${QUICK_EPOCHS} epochs`));
    const lossTrace = live[0]!.data[0]!;
    assert.equal(lossTrace.y?.length, QUICK_EPOCHS);
    assert.ok(lossTrace.y!.every((v) => typeof v === "number" && Number.isFinite(v)));
  });

  it("prints test MSE/MAE of the GRU and baselines; the baselines match the data", () => {
    const actual = exp.testReturns.slice(WINDOW);
    const pct = (xs: number[]) => xs.map((v) => 100 * v);
    const naive = persistencePredictions(exp.testReturns).predictions.slice(WINDOW - 1);
    assert.equal(naive.length, actual.length);
    assert.match(run.stdout, new RegExp(`^test windows evaluated: ${exp.nTest - WINDOW} \\(${exp.testDates[WINDOW]} to `, "m"));

    const gru = metricLine(run.stdout, "return (%)", "GRU model");
    const naivePrinted = metricLine(run.stdout, "return (%)", "naive (last value)");
    const zeroPrinted = metricLine(run.stdout, "return (%)", "zero change");
    assertPrinted(naivePrinted.mse, mse(pct(actual), pct(naive)), 4, "naive MSE");
    assertPrinted(naivePrinted.mae, mae(pct(actual), pct(naive)), 4, "naive MAE");
    const zeros = actual.map(() => 0);
    assertPrinted(zeroPrinted.mse, mse(pct(actual), zeros), 4, "zero-change MSE");
    assertPrinted(zeroPrinted.mae, mae(pct(actual), zeros), 4, "zero-change MAE");

    const base = exp.testPrevClose.slice(WINDOW);
    const actualClose = exp.close.slice(exp.nTrain + 1 + WINDOW);
    assert.equal(actualClose.length, base.length);
    const naiveClose = metricLine(run.stdout, "close", "naive (last close)");
    assertPrinted(naiveClose.mse, mse(actualClose, base), 2, "naive close MSE");
    assertPrinted(naiveClose.mae, mae(actualClose, base), 2, "naive close MAE");

    const gruClose = metricLine(run.stdout, "close", "GRU model");
    for (const v of [gru.mse, gru.mae, gruClose.mse, gruClose.mae]) assert.ok(Number.isFinite(v) && v > 0, `GRU metric ${v}`);
    const skill = /^skill vs zero change: (\S+)% \((.+)\)$/m.exec(run.stdout);
    assert.ok(skill, run.stdout);
    // The verdict follows the printed numbers, whichever way they come out.
    assert.equal(skill[2], gru.mse < zeroPrinted.mse ? "the GRU's MSE is lower" : "the GRU does not beat it");
  });

  it("plots actual vs predicted returns and closes over exactly the test windows", () => {
    const figs = forecastFigures(plotlyFigures(run));
    assert.equal(figs.length, 2);
    const windows = exp.nTest - WINDOW;
    const evalDates = exp.testDates.slice(WINDOW);
    for (const f of figs) {
      const [actual, predicted] = f.data;
      assert.equal(actual!.y!.length, windows);
      assert.equal(predicted!.y!.length, windows);
      assert.deepEqual(actual!.x, evalDates);
      assert.ok(predicted!.y!.every((v) => typeof v === "number" && Number.isFinite(v)), "a prediction is not finite");
    }
    const returnsFig = figs.find((f) => /return/.test(titleOf(f)))!;
    const actualPct = exp.testReturns.slice(WINDOW).map((r) => 100 * r);
    returnsFig.data[0]!.y!.forEach((v, i) => assert.ok(Math.abs((v as number) - actualPct[i]!) < 1e-9, `actual return ${i}`));
    const closeFig = figs.find((f) => /close/.test(titleOf(f)))!;
    const actualClose = exp.close.slice(exp.nTrain + 1 + WINDOW);
    closeFig.data[0]!.y!.forEach((v, i) => assert.ok(Math.abs((v as number) - actualClose[i]!) < 1e-6 * actualClose[i]!, `actual close ${i}`));
  });

  it("frees the model's and optimizer's memory at the end", () => {
    const m = /^tensor memory: (\d+) bytes in (\d+) tensors \(at the start: (\d+) bytes in (\d+) tensors\)$/m.exec(run.stdout);
    assert.ok(m, run.stdout);
    assert.equal(Number(m[1]), Number(m[3]), "bytes still held after disposing the model");
  });
});
