import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-node";
import {
  ShapeError,
  TimeseriesGenerator,
  directTargets,
  forecastRecursive,
  majorityClass,
  majorityClassPredictions,
  movingAverageForecast,
  movingAveragePredictions,
  naiveForecast,
  persistencePredictions,
  seasonalNaiveForecast,
} from "kernel-helpers";
import { assertClose } from "./_helpers";

/** A model predicting the sum of the last two rows (per feature). */
const sumModel = {
  predict: (x: tf.Tensor) => tf.tidy(() => x.slice([0, x.shape[1]! - 2], [-1, 2]).sum(1)),
};

describe("forecasting", () => {
  it("forecastRecursive() feeds each prediction back into the window", () => {
    const before = tf.memory().numTensors;
    const out = forecastRecursive(sumModel, [[1], [1]], 5); // Fibonacci
    assert.deepEqual(out.shape, [5, 1]);
    assert.deepEqual(out.arraySync(), [[2], [3], [5], [8], [13]]);
    out.dispose();
    const multi = forecastRecursive(sumModel, [[1, 0], [2, 1], [3, 1]], 2);
    assert.deepEqual(multi.arraySync(), [[5, 2], [8, 3]]);
    multi.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  it("forecastRecursive() works with a real model and rejects multi-output models", () => {
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [3, 1] }), tf.layers.dense({ units: 1, kernelInitializer: "ones", useBias: false })] });
    const out = forecastRecursive(model, [1, 2, 3], 2);
    assertClose(out.arraySync(), [[6], [11]], 1e-6);
    out.dispose();
    const wide = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [3, 1] }), tf.layers.dense({ units: 2 })] });
    assert.throws(() => forecastRecursive(wide, [1, 2, 3], 2), ShapeError);
    assert.throws(() => forecastRecursive(model, [1, 2, 3], 0), /steps/);
    model.dispose();
    wide.dispose();
  });

  it("directTargets() gives the next horizon values per row, aligned for both windowing functions", () => {
    assert.deepEqual(directTargets([1, 2, 3, 4, 5], 2), [[1, 2], [2, 3], [3, 4], [4, 5]]);
    assert.deepEqual(directTargets([1, 2, 3, 4, 5], 2, { offset: 2 }), [[3, 4], [4, 5]]);
    const y = [0, 1, 2, 3, 4, 5, 6, 7];
    const ys = directTargets(y, 3);
    const gen = new TimeseriesGenerator(y.slice(0, ys.length), ys, { length: 2 });
    const { xs, ys: t } = gen.getBatch(0);
    assert.deepEqual((xs.arraySync() as number[][])[0], [0, 1]);
    assert.deepEqual((t.arraySync() as number[][])[0], [2, 3, 4]);
    tf.dispose([xs, t]);
    assert.throws(() => directTargets([1, 2], 3), /too short/);
  });
});

describe("baselines", () => {
  it("naive, seasonal naive and moving-average forecasts", () => {
    assert.deepEqual(naiveForecast([3, 5, 4], 2), [4, 4]);
    assert.deepEqual(seasonalNaiveForecast([1, 2, 3, 10, 20, 30], 3, 4), [10, 20, 30, 10]);
    assert.deepEqual(movingAverageForecast([1, 2, 3, 6], 2, 2), [4.5, 4.5]);
    assert.throws(() => seasonalNaiveForecast([1, 2], 3, 1), /season/);
    assert.throws(() => naiveForecast([], 1), /empty/);
  });

  it("persistencePredictions() and movingAveragePredictions() align predictions with actual values", () => {
    assert.deepEqual(persistencePredictions([1, 0, 0, 1]), { predictions: [1, 0, 0], actual: [0, 0, 1] });
    assert.deepEqual(persistencePredictions([1, 2, 3, 4, 5], { lag: 2 }), { predictions: [1, 2, 3], actual: [3, 4, 5] });
    assert.deepEqual(movingAveragePredictions([1, 3, 5, 7], 2), { predictions: [2, 4], actual: [5, 7] });
  });

  it("majorityClass() picks the most frequent label, the smallest on ties", () => {
    assert.equal(majorityClass([1, 0, 1, 1]), 1);
    assert.equal(majorityClass([1, 0, 0, 1]), 0);
    assert.deepEqual(majorityClassPredictions([2, 2, 1], 3), [2, 2, 2]);
  });
});
