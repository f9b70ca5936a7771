import { strict as assert } from "node:assert";
import * as path from "node:path";
import { mae, movingAveragePredictions, mse, persistencePredictions, trainTestSplit, weather } from "kernel-helpers";
import { plotlyFigures, type ExecutedNotebook } from "../../support/notebook";
import { assertEveryTaskNotImplemented, assertFullAutogradedMarks, gradeAssignment, type GradedAssignment } from "./_graded";
import { projectRoot } from "../../support/project";

const notebook = path.join(projectRoot, "notebooks", "assignments", "03-forecasting.ipynb");

const NAMES = ["naive", "seasonal naive", "moving average (7 days)", "linear", "LSTM", "GRU"];
const MODELS = ["linear", "LSTM", "GRU"];
const escape = (s: string): string => s.replace(/[()]/g, "\\$&");

describe("notebooks/assignments/03-forecasting.ipynb", function () {
  this.timeout(900_000);
  let run: ExecutedNotebook;
  let graded: GradedAssignment;
  const printed = (): Map<string, { mse: number; mae: number; days: number; line: string }> => {
    const out = new Map<string, { mse: number; mae: number; days: number; line: string }>();
    for (const name of NAMES) {
      const m = new RegExp(`^${escape(name)}: test MSE ([\\d.]+) °C², MAE ([\\d.]+) °C \\((\\d+) days\\)$`, "m").exec(run.stdout);
      assert.ok(m, `no result line for ${name}:\n${run.stdout}`);
      out.set(name, { mse: Number(m[1]), mae: Number(m[2]), days: Number(m[3]), line: m[0] });
    }
    return out;
  };

  // The same data and split, recomputed here with kernel-helpers.
  const temps = weather.seattle().column("temp_max").values as number[];
  const [trainValTemps, testTemps] = trainTestSplit(temps, { testSize: 0.2, shuffle: false });
  const [trainTemps, valTemps] = trainTestSplit(trainValTemps, { testSize: 0.15, shuffle: false });
  const nTrain = trainTemps.length;
  const testStart = nTrain + valTemps.length;

  before(async () => {
    graded = await gradeAssignment(notebook);
    run = graded.run;
  });

  it("runs in quick mode without errors or stderr output", () => {
    assert.equal(run.result.status, "ok", JSON.stringify(run.result.error));
    assert.equal(run.stderr, "");
    assert.match(run.stdout, /^mode: quick \(at most 3 epochs per model\)$/m);
  });

  it("grades the release with the reference solutions pasted back at full autograded marks", () => {
    assertFullAutogradedMarks(graded.reference, 16);
  });

  it("grades the untouched release: every task fails with the stub's \"Not implemented\" and no other error", () => {
    assertEveryTaskNotImplemented(graded.untouched);
  });

  it("defaults to Seattle weather: forecasts temp_max from four weather columns", () => {
    assert.match(run.stdout, /^Seattle: 1461 days, forecasting temp_max \(°C\) from temp_max, temp_min, precipitation, wind$/m);
  });

  it("splits chronologically (train before test) and fits the scaler on the training days only", () => {
    assert.match(run.stdout, new RegExp(`^train: ${nTrain} days \\(2012-01-01 to \\d{4}-\\d\\d-\\d\\d\\)$`, "m"));
    assert.match(run.stdout, new RegExp(`^validation: ${valTemps.length} days \\(\\d{4}-\\d\\d-\\d\\d to \\d{4}-\\d\\d-\\d\\d\\)$`, "m"));
    assert.match(run.stdout, new RegExp(`^test: ${testTemps.length} days \\(\\d{4}-\\d\\d-\\d\\d to 2015-12-31\\)$`, "m"));
    const m = /^scaler fit on (\d+) training days: mean ([\d.-]+) °C, scale ([\d.]+) °C$/m.exec(run.stdout);
    assert.ok(m, run.stdout);
    assert.equal(Number(m[1]), nTrain);
    const mean = trainTemps.reduce((a, b) => a + b, 0) / nTrain;
    const std = Math.sqrt(trainTemps.reduce((a, b) => a + (b - mean) ** 2, 0) / nTrain);
    assert.equal(m[2], mean.toFixed(3));
    assert.equal(m[3], std.toFixed(3));
    assert.match(run.stdout, new RegExp(`test targets: ${testTemps.length} \\(test days: ${testTemps.length}\\)`));
  });

  it("prints finite test MSE and MAE for every forecast, over every test day", () => {
    for (const [name, r] of printed()) {
      assert.ok(Number.isFinite(r.mse) && r.mse > 0 && Number.isFinite(r.mae) && r.mae > 0, r.line);
      assert.ok(r.mae * r.mae <= r.mse + 1e-3, `${name}: MAE² must not exceed MSE`);
      assert.equal(r.days, testTemps.length);
    }
  });

  it("prints baseline errors equal to the ones recomputed independently from the same data", () => {
    const p = printed();
    const naive = persistencePredictions(temps, { lag: 1 }).predictions.slice(testStart - 1);
    // Independent of the helper: yesterday's value for every test day.
    const byHand = testTemps.map((_, i) => temps[testStart + i - 1]!);
    assert.deepEqual(naive, byHand);
    assert.equal(p.get("naive")!.mse.toFixed(4), mse(testTemps, byHand).toFixed(4));
    assert.equal(p.get("naive")!.mae.toFixed(4), mae(testTemps, byHand).toFixed(4));
    const seasonal = testTemps.map((_, i) => temps[testStart + i - 365]!);
    assert.equal(p.get("seasonal naive")!.mse.toFixed(4), mse(testTemps, seasonal).toFixed(4));
    const ma = movingAveragePredictions(temps, 7).predictions.slice(testStart - 7);
    const maByHand = testTemps.map((_, i) => temps.slice(testStart + i - 7, testStart + i).reduce((a, b) => a + b, 0) / 7);
    ma.forEach((v, i) => assert.ok(Math.abs(v - maByHand[i]!) < 1e-9));
    assert.equal(p.get("moving average (7 days)")!.mse.toFixed(4), mse(testTemps, maByHand).toFixed(4));
  });

  it("says whether each model beats the naive baseline in MSE and MAE, consistently with the numbers", () => {
    const p = printed();
    const naive = p.get("naive")!;
    for (const name of MODELS) {
      const m = new RegExp(
        `^${name} (beats|does not beat) the naive baseline: MSE ([\\d.]+) vs ([\\d.]+) \\(([+-][\\d.]+)%\\), MAE ([\\d.]+) vs ([\\d.]+) \\(([+-][\\d.]+)%\\)$`,
        "m",
      ).exec(run.stdout);
      assert.ok(m, run.stdout);
      assert.equal(m[1], p.get(name)!.mse < naive.mse ? "beats" : "does not beat");
      assert.equal(Number(m[2]), p.get(name)!.mse);
      assert.equal(Number(m[3]), naive.mse);
      assert.ok(Math.abs(Number(m[4]) - (100 * (Number(m[2]) - naive.mse)) / naive.mse) < 0.06, m[0]);
      assert.equal(Number(m[5]), p.get(name)!.mae);
      assert.equal(Number(m[6]), naive.mae);
      assert.ok(Math.abs(Number(m[7]) - (100 * (Number(m[5]) - naive.mae)) / naive.mae) < 0.06, m[0]);
    }
  });

  it("trains every model with early stopping on the validation period (at most 3 epochs in quick mode)", () => {
    for (const name of MODELS) {
      const m = new RegExp(`^${name}: (\\d+) epochs, best validation loss ([\\d.]+) at epoch (\\d+)$`, "m").exec(run.stdout);
      assert.ok(m, run.stdout);
      const [epochs, best] = [Number(m[1]), Number(m[3])];
      assert.ok(epochs >= 1 && epochs <= 3 && best >= 1 && best <= epochs, m[0]);
      assert.ok(Number(m[2]) > 0, m[0]);
    }
  });

  it("ends with a results table of its headline metrics, computed from the printed numbers", () => {
    const p = printed();
    const results = run.bundles.find((b) => b["application/vnd.seqlab.results+json"] !== undefined);
    assert.ok(results, "no showResults output");
    const r = results["application/vnd.seqlab.results+json"] as { title: string; mode: string; metrics: Record<string, number> };
    assert.equal(r.mode, "quick");
    assert.equal(r.metrics["naive test MSE (°C²)"]!.toFixed(4), p.get("naive")!.mse.toFixed(4));
    for (const name of ["LSTM", "GRU"]) {
      assert.equal(r.metrics[`${name} test MAE (°C)`]!.toFixed(4), p.get(name)!.mae.toFixed(4));
      const gain = 100 * (1 - p.get(name)!.mse / p.get("naive")!.mse);
      assert.ok(Math.abs(r.metrics[`${name} MSE gain over naive (%)`]! - gain) < 0.06);
    }
    assert.match(run.stdout, /^tensors still in memory: \d+$/m);
  });

  it("forecasts 7 days ahead: MAE by lead time printed and plotted, the baselines' recomputed from the data", () => {
    const H = 7;
    const origins = Array.from({ length: testTemps.length - H + 1 }, (_, i) => testStart + i);
    assert.match(run.stdout, new RegExp(`^7-day forecasts from ${origins.length} test days$`, "m"));
    const line = (name: string): number[] => {
      const m = new RegExp(`^${name} MAE by day ahead \\(°C\\): ([\\d. ]+)$`, "m").exec(run.stdout);
      assert.ok(m, `no 7-day line for ${name}:\n${run.stdout}`);
      const v = m[1]!.trim().split(" ").map(Number);
      assert.equal(v.length, H);
      return v;
    };
    const byHand = (pred: (o: number, h: number) => number): string[] =>
      Array.from({ length: H }, (_, h) => (origins.reduce((a, o) => a + Math.abs(pred(o, h) - temps[o + h]!), 0) / origins.length).toFixed(2));
    assert.deepEqual(line("naive").map((v) => v.toFixed(2)), byHand((o) => temps[o - 1]!));
    assert.deepEqual(line("seasonal naive").map((v) => v.toFixed(2)), byHand((o, h) => temps[o + h - 365]!));
    const gru = line("GRU");
    gru.forEach((v) => assert.ok(Number.isFinite(v) && v > 0 && v < 20, String(gru)));

    const figures = plotlyFigures(run);
    const week = figures.find((f) => JSON.stringify(f.layout.title).includes("GRU: 7-day forecasts, week by week"));
    assert.ok(week, "no 7-day forecast plot");
    const actual = week.data.find((t) => /actual/i.test(t.name ?? ""));
    assert.ok(actual);
    assert.deepEqual((actual.y as number[]).slice(60), testTemps);
    const predicted = week.data.find((t) => t !== actual && Array.isArray(t.y) && (t.y as unknown[]).some((v) => typeof v === "number"));
    assert.ok(predicted, "no predicted trace");
    const shown = (predicted.y as Array<number | null>).slice(60).filter((v) => typeof v === "number").length;
    assert.equal(shown, Math.floor(origins.length / H) * H + (origins.length % H === 0 ? 0 : H), "every test week forecast");
    const lead = figures.find((f) => JSON.stringify(f.layout.title).includes("Test MAE by lead time"));
    assert.ok(lead, "no MAE-by-lead-time plot");
    const gruTrace = lead.data.find((t) => t.name === "GRU");
    assert.ok(gruTrace);
    assert.deepEqual((gruTrace.y as number[]).map((v) => v.toFixed(2)), gru.map((v) => v.toFixed(2)));
  });

  it("shows a results table, a comparison figure and the forecasts that match the printed numbers", () => {
    const p = printed();
    const table = run.bundles.find((b) => typeof b["text/html"] === "string" && (b["text/html"] as string).startsWith("<table>"));
    assert.ok(table, "no results table");
    const rows = [...(table["text/html"] as string).matchAll(/<tr><td>([^<]+)<\/td><td>([\d.]+)<\/td><td>([\d.]+)<\/td>/g)];
    assert.deepEqual(rows.map((r) => r[1]), NAMES);
    rows.forEach((r) => assert.equal(r[2], p.get(r[1]!)!.mse.toFixed(3)));

    const figures = plotlyFigures(run);
    const cmp = figures.find((f) => JSON.stringify(f.layout.title).includes("Next-day temp_max: test errors"));
    assert.ok(cmp, "no comparison figure");
    assert.equal(cmp.data.length, 2, "an MSE and an MAE panel");
    assert.deepEqual(cmp.data[0]!.x, NAMES);
    (cmp.data[0]!.y as number[]).forEach((v, i) => assert.equal(v.toFixed(4), p.get(NAMES[i]!)!.mse.toFixed(4)));
    (cmp.data[1]!.y as number[]).forEach((v, i) => assert.equal(v.toFixed(4), p.get(NAMES[i]!)!.mae.toFixed(4)));

    for (const name of MODELS) {
      const f = figures.find((g) => JSON.stringify(g.layout.title).includes(`${name}: next-day forecast on the test period`));
      assert.ok(f, `no forecast plot for ${name}`);
      const actual = f.data.find((t) => /actual/i.test(t.name ?? ""));
      assert.ok(actual, JSON.stringify(f.data.map((t) => t.name)));
      assert.equal(actual.y?.length, 120 + testTemps.length);
      assert.deepEqual((actual.y as number[]).slice(120), testTemps);
    }
    assert.equal(figures.filter((f) => /: training/.test(JSON.stringify(f.layout.title))).length, 4, "one live training chart per model (three one-day, one seven-day)");
  });
});
