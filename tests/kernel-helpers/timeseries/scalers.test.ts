import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-node";
import * as dfd from "danfojs-node";
import { DataError, MinMaxScaler, NotFittedError, ShapeError, StandardScaler } from "kernel-helpers";
import { assertClose } from "./_helpers";

// Expected values from scikit-learn 1.9.1.
const X = [
  [1.0, -2.0, 5.0],
  [2.5, 0.0, 5.0],
  [4.0, 3.0, 5.0],
  [-1.0, 8.0, 5.0],
];

describe("StandardScaler", () => {
  it("StandardScaler uses the population variance and scale 1 for constant features, like sklearn", () => {
    const ss = new StandardScaler();
    const z = ss.fitTransform(X);
    assertClose(ss.mean, [1.625, 2.25, 5.0]);
    assertClose(ss.var, [3.421875, 14.1875, 0.0]);
    assertClose(ss.scale, [1.8498310733685928, 3.766629793329841, 1.0]);
    assert.equal(ss.nFeaturesIn, 3);
    assert.equal(ss.nSamplesSeen, 4);
    assertClose(z, [
      [-0.33786868919974294, -1.1283296297199523, 0.0],
      [0.47301616487964016, -0.5973509804399748, 0.0],
      [1.2839010189590232, 0.1991169934799916, 0.0],
      [-1.4190484946389206, 1.5265636166799355, 0.0],
    ]);
    assertClose(ss.transform([[0.0, 1.0, 6.0]]), [[-0.8784585919193317, -0.331861655799986, 1.0]]);
    assertClose(ss.inverseTransform(z), X, 1e-12);
  });

  it("StandardScaler treats a variance within rounding error of zero as constant", () => {
    const ss = new StandardScaler().fit([[1e10 + 1e-6], [1e10], [1e10]]);
    assert.deepEqual(ss.scale, [1]);
    const c = new StandardScaler().fit([[0.1], [0.1], [0.1]]);
    assert.deepEqual(c.scale, [1]);
    assertClose(c.transform([[0.1]]), [[0]], 1e-12);
  });

  it("StandardScaler gives tensors and DataFrames back in kind, without leaking", () => {
    const t = tf.tensor2d(X);
    const before = tf.memory().numTensors;
    const ss = new StandardScaler();
    const zt = ss.fitTransform(t);
    assert.equal(tf.memory().numTensors, before + 1);
    assert.equal(zt.dtype, "float32");
    assertClose(zt.arraySync(), new StandardScaler().fitTransform(X), 1e-6);
    tf.dispose([t, zt]);
    const df = new dfd.DataFrame({ a: [1, 2.5, 4, -1], b: [-2, 0, 3, 8] }, { index: ["w", "x", "y", "z"] });
    const zdf = new StandardScaler().fitTransform(df);
    assert.deepEqual(zdf.index, ["w", "x", "y", "z"]);
    assert.deepEqual(zdf.columns, ["a", "b"]);
    assertClose((zdf.values as number[][])[0], [-0.33786868919974294, -1.1283296297199523]);
  });

  it("StandardScaler honours withMean and withStd", () => {
    assertClose(new StandardScaler({ withMean: false }).fitTransform([[1], [3]]), [[1], [3]]);
    assertClose(new StandardScaler({ withStd: false }).fitTransform([[1], [3]]), [[-1], [1]]);
  });

  it("StandardScaler rejects unfitted use, wrong feature counts, 1-D input and NaN", () => {
    assert.throws(() => new StandardScaler().transform(X), NotFittedError);
    const ss = new StandardScaler().fit(X);
    assert.throws(() => ss.transform([[1, 2]]), (e: Error) => e instanceof ShapeError && /X has 2 features, but StandardScaler is expecting 3/.test(e.message));
    assert.throws(() => ss.fit([1, 2, 3] as unknown as number[][]), (e: Error) => e instanceof ShapeError && /2-D/.test(e.message));
    assert.throws(() => ss.fit([[1], [NaN]]), (e: Error) => e instanceof DataError && /row 1/.test(e.message));
    assert.throws(() => ss.fit([[1, 2], [3]]), ShapeError);
    const df = new dfd.DataFrame({ a: [1, 2], b: [3, 4] });
    const fitted = new StandardScaler().fit(df);
    assert.throws(() => fitted.transform(new dfd.DataFrame({ b: [1, 2], a: [3, 4] })), /feature names/);
  });
});

describe("MinMaxScaler", () => {
  it("MinMaxScaler maps each feature to featureRange like sklearn", () => {
    const mm = new MinMaxScaler({ featureRange: [-1, 2] });
    const z = mm.fitTransform(X);
    assertClose(mm.dataMin, [-1.0, -2.0, 5.0]);
    assertClose(mm.dataMax, [4.0, 8.0, 5.0]);
    assertClose(mm.scale, [0.6, 0.3, 3.0]);
    assertClose(mm.min, [-0.4, -0.4, -16.0]);
    assertClose(z, [
      [0.19999999999999996, -1.0, -1.0],
      [1.1, -0.4, -1.0],
      [2.0, 0.4999999999999999, -1.0],
      [-1.0, 2.0, -1.0],
    ]);
    assertClose(mm.transform([[5.0, -4.0, 7.0]]), [[2.6, -1.6, 5.0]]);
    assertClose(mm.inverseTransform(z), X, 1e-12);
  });

  it("MinMaxScaler clips unseen values with clip", () => {
    const mm = new MinMaxScaler({ clip: true }).fit(X);
    assertClose(mm.transform([[5.0, -4.0, 7.0]]), [[1.0, 0.0, 1.0]]);
  });

  it("MinMaxScaler rejects a reversed featureRange and unfitted use", () => {
    assert.throws(() => new MinMaxScaler({ featureRange: [1, 0] }), /Minimum of desired feature range must be smaller than maximum/);
    assert.throws(() => new MinMaxScaler().inverseTransform(X), NotFittedError);
  });
});
