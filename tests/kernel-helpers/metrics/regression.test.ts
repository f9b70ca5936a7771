import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-node";
import { DataError, ShapeError, mae, mape, mse, r2, rmse } from "kernel-helpers";

// Expected values from scikit-learn 1.9.1 (sklearn.metrics).
const yt = [3, -0.5, 2, 7];
const yp = [2.5, 0.0, 2, 8];
const yt2 = [[0.5, 1], [-1, 1], [7, -6]];
const yp2 = [[0, 2], [-1, 2], [8, -5]];
const close = (a: number, e: number) => assert.ok(Math.abs(a - e) < 1e-12, `expected ${e}, got ${a}`);

describe("regression metrics", () => {
  it("mse(), rmse(), mae(), mape() and r2() match sklearn on 1-D targets", () => {
    close(mse(yt, yp), 0.375);
    close(rmse(yt, yp), 0.6123724356957945);
    close(mae(yt, yp), 0.5);
    close(mape(yt, yp), 0.3273809523809524);
    close(r2(yt, yp), 0.9486081370449679);
  });

  it("regression metrics average over outputs for 2-D targets like sklearn", () => {
    close(mse(yt2, yp2), 0.7083333333333334);
    close(rmse(yt2, yp2), 0.8227486121839513);
    close(mae(yt2, yp2), 0.75);
    close(mape(yt2, yp2), 0.5515873015873016);
    close(r2(yt2, yp2), 0.9368005266622779);
  });

  it("r2() follows sklearn for constant targets and single samples; mape() uses epsilon for zeros", () => {
    assert.equal(r2([1, 1, 1], [1, 1, 1]), 1);
    assert.equal(r2([1, 1, 1], [1, 2, 1]), 0);
    assert.ok(Number.isNaN(r2([1], [2])));
    assert.equal(mape([0, 1], [1, 1]), 2251799813685248.0);
  });

  it("regression metrics accept a [n, 1] tensor against a 1-D array without leaking", () => {
    const pred = tf.tensor2d(yp, [4, 1]);
    const before = tf.memory().numTensors;
    assert.ok(Math.abs(mse(yt, pred) - 0.375) < 1e-7);
    assert.equal(tf.memory().numTensors, before);
    pred.dispose();
  });

  it("regression metrics reject different lengths, empty inputs and NaN", () => {
    assert.throws(() => mse([1, 2], [1]), (e: Error) => e instanceof ShapeError && /inconsistent numbers of samples/.test(e.message));
    assert.throws(() => mae([], []), ShapeError);
    assert.throws(() => rmse([[1, 2]], [[1, 2, 3]]), ShapeError);
    assert.throws(() => r2([1, NaN], [1, 2]), (e: Error) => e instanceof DataError && /row 1/.test(e.message));
  });
});
