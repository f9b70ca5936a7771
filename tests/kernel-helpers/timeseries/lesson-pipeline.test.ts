import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-node";
import * as dfd from "danfojs-node";
import {
  StandardScaler,
  TimeseriesGenerator,
  accuracy,
  dropNa,
  events,
  majorityClassPredictions,
  pctChange,
  persistencePredictions,
  stocks,
  trainTestSplit,
} from "kernel-helpers";
import { assertClose, lessonDataDir } from "./_helpers";

// The RNN lesson's pipeline on its own AAPL.csv and filings.csv. Expected values printed by
// pandas 3.0.6 / scikit-learn 1.9.1 for the same steps, and keras-preprocessing's batch count
// formula (end - (start + length) + batch) // batch.
describe("lesson pipeline (AAPL + SEC filings)", function () {
  const dir = lessonDataDir();
  before(function () {
    if (!dir) {
      console.log("    (skipped: the lesson data ../shared/data/aapl/ is not present)");
      this.skip();
    }
  });

  it("the lesson pipeline gives pandas' shapes, sklearn's scaler and Keras' batch counts", () => {
    const prices = stocks.loadCsv(path.join(dir as string, "AAPL.csv"));
    assert.deepEqual(prices.shape, [3523, 6]);
    const noAdj = prices.drop({ columns: ["Adj Close"] });
    const changes = dropNa(pctChange(noAdj));
    assert.deepEqual(changes.shape, [3522, 5]);
    assert.equal(changes.index[0], "2005-04-26");
    assertClose((changes.values as number[][])[0], [0.007947465276718635, 0.01323627876036837, 0.0002770147003889889, -0.021362872400293997, 0.08580120258221324], 1e-12);

    const close = changes.column("Close").values as number[];
    const target: number[] = close.map((v) => (v >= 0 ? 1 : 0)); // the lesson: Target = Close change >= 0
    const withTarget = changes.addColumn("Target", target, { inplace: false });
    const filings = events.loadCsv(path.join(dir as string, "filings.csv"));
    const df = events.mergeOnDate(withTarget, filings);
    assert.deepEqual(df.shape, [3522, 9]);
    assert.deepEqual(df.columns, ["Open", "High", "Low", "Close", "Volume", "Target", "10-K", "10-Q", "8-K"]);
    const flagSums = ["10-K", "10-Q", "8-K"].map((c) => (df.column(c).values as number[]).reduce((a, b) => a + b, 0));
    assert.deepEqual(flagSums, [14, 39, 39]);
    assertClose(target.reduce((a, b) => a + b, 0) / target.length, 0.5283929585462805, 1e-12);

    const X = df.drop({ columns: ["Target"] });
    const y = df.column("Target");
    const [xTrain, xTest, yTrain, yTest] = trainTestSplit(X, y, { testSize: 0.1 }) as [dfd.DataFrame, dfd.DataFrame, dfd.Series, dfd.Series];
    assert.deepEqual(xTrain.shape, [3169, 8]);
    assert.deepEqual(xTest.shape, [353, 8]);
    assert.equal(xTrain.index[3168], "2017-11-22");
    assert.equal(xTest.index[0], "2017-11-24");
    assertClose((yTest.values as number[]).reduce((a, b) => a + b, 0) / 353, 0.546742209631728, 1e-12);

    const ss = new StandardScaler();
    const xTrainSc = ss.fitTransform(xTrain);
    const xTestSc = ss.transform(xTest);
    assertClose(ss.mean, [0.00135060869630767, 0.00125406411490638, 0.00132654928981103, 0.00131741466258971, 0.05876060791031157, 0.00410224045440202, 0.01104449353108236, 0.00915115178289681], 1e-10);
    assertClose(ss.scale, [0.02216304113176368, 0.01732283560806721, 0.02080986574635933, 0.02060256174908895, 0.40256988052573384, 0.06391722833208813, 0.10451082572501397, 0.09522293948384074], 1e-10);
    const tr = xTrainSc.values as number[][];
    const te = xTestSc.values as number[][];
    assertClose(tr[0], [0.297651235730302, 0.6917005342867707, -0.05043447190934686, -1.1008479110073115, 0.06716993987873153, -0.0641805122257247, -0.10567798555283, -0.09610238701410553], 1e-9);
    assertClose(te[352], [0.2949832672311471, 0.7191233825447565, 0.30674087233150515, 0.6361287922996348, 0.3484931995012785, -0.0641805122257247, -0.10567798555283, -0.09610238701410553], 1e-9);
    const testMeans = [0, 1, 2, 3, 4, 5, 6, 7].map((j) => te.reduce((a, r) => a + r[j], 0) / te.length);
    assertClose(testMeans, [-0.03328459838717947, -0.03827504585521552, -0.0352189601806375, -0.03276944477487187, -0.02836793948716934, -0.01985973575082351, 0.00274566032881085, 0.20139538034713342], 1e-9);

    const trainSeq = new TimeseriesGenerator(xTrainSc, yTrain, { length: 3, batchSize: 64 });
    const testSeq = new TimeseriesGenerator(xTestSc, yTest, { length: 3, batchSize: 64 });
    assert.equal(trainSeq.length, 50);
    assert.equal(testSeq.length, 6);
    const before = tf.memory().numTensors;
    const first = trainSeq.getBatch(0);
    assert.deepEqual(first.xs.shape, [64, 3, 8]);
    assertClose((first.xs.arraySync() as number[][][])[0][0], tr[0], 1e-6);
    assert.deepEqual(Array.from(first.ys.dataSync()).slice(0, 3), [1, 1, 0]);
    const last = trainSeq.getBatch(49);
    assert.deepEqual(last.xs.shape, [30, 3, 8]);
    const lastTest = testSeq.getBatch(5);
    assert.deepEqual(lastTest.xs.shape, [30, 3, 8]);
    assert.deepEqual(Array.from(lastTest.ys.dataSync()).slice(-3), [1, 1, 1]);
    tf.dispose([first.xs, first.ys, last.xs, last.ys, lastTest.xs, lastTest.ys]);
    assert.equal(tf.memory().numTensors, before);

    // Baselines on the test targets.
    const yTestValues = yTest.values as number[];
    const majority = majorityClassPredictions(yTrain, yTestValues.length);
    assertClose(accuracy(yTestValues, majority), 0.546742209631728, 1e-12);
    const persistence = persistencePredictions(yTestValues);
    assert.equal(persistence.predictions.length, 352);
  });
});
