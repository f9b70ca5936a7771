import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-node";
import * as dfd from "danfojs-node";
import { DataError, diff, dropNa, lagFeatures, pctChange, shift } from "kernel-helpers";
import { assertClose } from "./_helpers";

// Expected values from pandas 3.0.6.
const s = [100.0, 110.0, 99.0, 0.0, 5.0, NaN, 7.0];

describe("series helpers", () => {
  it("pctChange() matches pandas, including zero division and NaN", () => {
    assertClose(pctChange(s), [NaN, 0.10000000000000009, -0.09999999999999998, -1.0, Infinity, NaN, NaN], 1e-15);
    assertClose(pctChange(s, { periods: 2 }), [NaN, NaN, -0.010000000000000009, -1.0, -0.9494949494949495, NaN, 0.3999999999999999], 1e-15);
    assertClose(pctChange(s, { periods: -1 }), [-0.09090909090909094, 0.11111111111111116, Infinity, -1.0, NaN, NaN, NaN], 1e-15);
  });

  it("pctChange() works column by column on DataFrames and keeps the index", () => {
    const df = new dfd.DataFrame({ a: [1, 2, 4], b: [10, 5, 5] }, { index: ["2020-01-01", "2020-01-02", "2020-01-03"] });
    const out = pctChange(df);
    assert.deepEqual(out.index, ["2020-01-01", "2020-01-02", "2020-01-03"]);
    assert.deepEqual(out.columns, ["a", "b"]);
    assertClose(out.values, [[NaN, NaN], [1, -0.5], [1, 0]]);
    assertClose(pctChange([[1, 10], [2, 5]]), [[NaN, NaN], [1, -0.5]]);
  });

  it("diff() and shift() match pandas", () => {
    assertClose(diff(s), [NaN, 10.0, -11.0, -99.0, 5.0, NaN, NaN]);
    assertClose(shift(s, { periods: 2 }), [NaN, NaN, 100.0, 110.0, 99.0, 0.0, 5.0]);
    assertClose(shift(s, { periods: -1, fillValue: 0 }), [110.0, 99.0, 0.0, 5.0, NaN, 7.0, 0.0]);
    const series = new dfd.Series([1, 2, 3], { index: ["a", "b", "c"] });
    const shifted = shift(series);
    assert.deepEqual(shifted.index, ["a", "b", "c"]);
    assertClose(shifted.values, [NaN, 1, 2]);
  });

  it("dropNa() drops rows with NaN (any or all) and keeps index labels", () => {
    assert.deepEqual(dropNa([NaN, 1, 2]), [1, 2]);
    assertClose(dropNa([[NaN, 1], [2, 3], [NaN, NaN]]), [[2, 3]]);
    assertClose(dropNa([[NaN, 1], [2, 3], [NaN, NaN]], { how: "all" }), [[NaN, 1], [2, 3]]);
    const df = new dfd.DataFrame({ a: [NaN, 1, 2] }, { index: ["x", "y", "z"] });
    assert.deepEqual(dropNa(pctChange(df)).index, ["z"]);
    assert.deepEqual(dropNa([Infinity, NaN]), [Infinity]);
    assert.throws(() => dropNa([1], { how: "some" as "any" }), /how/);
  });

  it("lagFeatures() adds c_lagK columns like df[c].shift(k)", () => {
    assertClose(lagFeatures([1, 2, 3, 4], [1, 2]), [[1, NaN, NaN], [2, 1, NaN], [3, 2, 1], [4, 3, 2]]);
    const df = new dfd.DataFrame({ p: [1, 2, 3] }, { index: ["a", "b", "c"] });
    const lagged = lagFeatures(df, 1, { dropNa: true }) as dfd.DataFrame;
    assert.deepEqual(lagged.columns, ["p", "p_lag1"]);
    assert.deepEqual(lagged.index, ["b", "c"]);
    assert.deepEqual(lagged.values, [[2, 1], [3, 2]]);
    assert.throws(() => lagFeatures([1, 2], [0]), /lags\[0\]/);
  });

  it("series helpers accept tensors without leaking and reject text columns naming them", () => {
    const t = tf.tensor1d([1, 2, 4]);
    const before = tf.memory().numTensors;
    const out = pctChange(t);
    assertClose(out.arraySync(), [NaN, 1, 1]);
    out.dispose();
    assert.equal(tf.memory().numTensors, before);
    t.dispose();
    const df = new dfd.DataFrame({ a: [1, 2], w: ["sun", "rain"] });
    assert.throws(() => pctChange(df), (e: Error) => e instanceof DataError && /column "w"/.test(e.message));
  });
});
