import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-node";
import * as dfd from "danfojs-node";
import { InvalidArgumentError, ShapeError, splitSizes, trainTestSplit } from "kernel-helpers";

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe("trainTestSplit()", () => {
  it("splitSizes() computes sklearn's sizes (fractional test size rounds up)", () => {
    // from sklearn 1.9 train_test_split(..., shuffle=False)
    assert.deepEqual(splitSizes(10, 0.25), [7, 3]);
    assert.deepEqual(splitSizes(10, 0.1), [9, 1]);
    assert.deepEqual(splitSizes(7, 0.3), [4, 3]);
    assert.deepEqual(splitSizes(3522, 0.1), [3169, 353]);
    assert.deepEqual(splitSizes(100, 0.33), [67, 33]);
    assert.deepEqual(splitSizes(5), [3, 2]);
    assert.deepEqual(splitSizes(10, undefined, 0.77), [7, 3]);
    assert.deepEqual(splitSizes(7, undefined, 3), [3, 4]);
    assert.deepEqual(splitSizes(10, 0.2, 0.5), [5, 2]);
    assert.deepEqual(splitSizes(10, 3, 4), [4, 3]);
  });

  it("trainTestSplit() keeps time order without shuffling", () => {
    const [a, b] = trainTestSplit(range(10), { testSize: 0.25 });
    assert.deepEqual(a, [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(b, [7, 8, 9]);
    const [, , , yTest] = trainTestSplit(range(10), range(10).map((i) => i * 2), { trainSize: 0.5, testSize: 0.2 });
    assert.deepEqual(yTest, [10, 12]);
  });

  it("trainTestSplit() splits several inputs of every kind consistently", () => {
    const x = tf.tensor2d(range(12), [6, 2]);
    const df = new dfd.DataFrame({ a: range(6), b: range(6).map((i) => -i) }, { index: range(6).map((i) => `d${i}`) });
    const s = new dfd.Series(range(6).map((i) => i * 10), { index: range(6).map((i) => `d${i}`) });
    const typed = Float64Array.from(range(6));
    const before = tf.memory().numTensors;
    const [xTr, xTe, dfTr, dfTe, sTr, sTe, tTr, tTe] = trainTestSplit(x, df, s, typed, { testSize: 2 }) as [
      tf.Tensor, tf.Tensor, dfd.DataFrame, dfd.DataFrame, dfd.Series, dfd.Series, Float64Array, Float64Array,
    ];
    assert.equal(tf.memory().numTensors, before + 2);
    assert.deepEqual(xTr.arraySync(), [[0, 1], [2, 3], [4, 5], [6, 7]]);
    assert.deepEqual(xTe.arraySync(), [[8, 9], [10, 11]]);
    assert.deepEqual(dfTr.index, ["d0", "d1", "d2", "d3"]);
    assert.deepEqual(dfTe.values, [[4, -4], [5, -5]]);
    assert.deepEqual(sTe.index, ["d4", "d5"]);
    assert.deepEqual(sTe.values, [40, 50]);
    assert.ok(tTr instanceof Float64Array);
    assert.deepEqual(Array.from(tTe), [4, 5]);
    tf.dispose([x, xTr, xTe]);
  });

  it("trainTestSplit() shuffles reproducibly with a seed, keeping rows paired", () => {
    const x = range(20);
    const y = range(20).map((i) => i * 100);
    const [xTr, xTe, yTr, yTe] = trainTestSplit(x, y, { testSize: 0.25, shuffle: true, seed: 0 });
    const again = trainTestSplit(x, y, { testSize: 0.25, shuffle: true, seed: 0 });
    assert.deepEqual([xTr, xTe, yTr, yTe], again);
    assert.equal(xTe.length, 5);
    assert.deepEqual([...xTr, ...xTe].sort((a, b) => a - b), x);
    xTr.forEach((v, i) => assert.equal(yTr[i], v * 100));
    assert.notDeepEqual(xTr, range(15));
  });

  it("trainTestSplit() shuffles tensors into new tensors the caller owns", () => {
    const x = tf.tensor1d(range(8));
    const before = tf.memory().numTensors;
    const [tr, te] = trainTestSplit(x, { testSize: 3, shuffle: true, seed: 1 });
    assert.equal(tf.memory().numTensors, before + 2);
    assert.deepEqual([...(tr.arraySync() as number[]), ...(te.arraySync() as number[])].sort(), range(8));
    tf.dispose([x, tr, te]);
  });

  it("trainTestSplit() rejects inconsistent lengths, bad sizes and no arrays", () => {
    assert.throws(() => trainTestSplit(range(3), range(4)), (e: Error) => e instanceof ShapeError && /\[3, 4\]/.test(e.message));
    assert.throws(() => trainTestSplit(range(10), { testSize: 1.5 }), (e: Error) => e instanceof InvalidArgumentError && /testSize=1.5/.test(e.message));
    assert.throws(() => trainTestSplit(range(10), { testSize: 10 }), InvalidArgumentError);
    assert.throws(() => trainTestSplit(range(10), { testSize: 0 }), InvalidArgumentError);
    assert.throws(() => trainTestSplit(range(10), { trainSize: 0.6, testSize: 0.5 }), /sum/);
    assert.throws(() => trainTestSplit(range(10), { trainSize: 8, testSize: 3 }), /sum/);
    assert.throws(() => trainTestSplit(range(2), { testSize: 0.99 }), /train set will be empty/);
    assert.throws(() => trainTestSplit(), /At least one array/);
    assert.throws(() => trainTestSplit("abc" as unknown as number[]), InvalidArgumentError);
  });
});
