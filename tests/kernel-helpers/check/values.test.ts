import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-node";
import { CheckError, checkClose, checkDtype, checkEqual, checkInRange, checkLength, checkShape, checkTrue, shapeOf } from "kernel-helpers";

const fails = (fn: () => unknown, message: string): void => {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof CheckError, `not a CheckError: ${String(err)}`);
    assert.equal(err.message, message);
    return true;
  });
};

describe("kernel-helpers/check values", () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    assert.equal(tf.memory().numTensors, before, "a check leaked tensors");
  });

  it("checkShape() names the value, the shapes and where the expected one comes from", () => {
    const x = tf.zeros([20, 199], "int32");
    fails(() => checkShape(x, [20, 200], "xTrain", "(TRAIN_SIZE, MAXLEN)"), "xTrain has shape [20, 199]; expected [20, 200] (TRAIN_SIZE, MAXLEN)");
    checkShape(x, [20, null], "xTrain");
    x.dispose();
    checkShape([[1, 2], [3, 4], [5, 6]], [3, 2], "rows");
    fails(() => checkShape([[1, 2], [3]], [2, 2], "rows"), "rows is ragged: rows[0] has shape [2] but rows[1] has shape [1]; every row must have the same length (pad them).");
    fails(() => checkShape(undefined, [2], "xTest"), "xTest should be a tensor or an array of shape [2]. Received: xTest=undefined");
    assert.deepEqual(shapeOf(3, "n"), []);
    assert.deepEqual(shapeOf([], "e"), [0]);
  });

  it("checkDtype() tells int32 from float32 and a disposed tensor", () => {
    const x = tf.tensor([1, 2], [2], "float32");
    fails(() => checkDtype(x, "int32", "xTrain"), "xTrain has dtype float32; expected int32");
    x.dispose();
    fails(() => checkDtype(x, "float32", "xTrain"), "xTrain has been disposed; keep it until the end of the notebook.");
    fails(() => checkDtype([1], "float32", "xTrain"), "xTrain should be a tensor. Received: xTrain=[1]");
  });

  it("checkLength(), checkInRange(), checkClose(), checkEqual(), checkTrue() read like comments", () => {
    fails(() => checkLength([1, 2], 3, "testLabels", "(TEST_SIZE)"), "testLabels has 2 elements; expected 3 (TEST_SIZE)");
    fails(() => checkLength("abc", 2, "corpus"), "corpus has 3 characters; expected 2");
    checkLength("ab", 2, "corpus");
    checkLength(new Int32Array(4), 4, "ids");
    fails(() => checkLength(new Int32Array(3), 4, "ids"), "ids has 3 elements; expected 4");
    fails(() => checkInRange(1.3, { min: 0, max: 1 }, "testAccuracy"), "testAccuracy is 1.3; expected a number in [0, 1]");
    fails(() => checkInRange([0.5, Number.NaN], { min: 0 }, "accs"), "accs[1] should be a finite number in [0, ∞]. Received: accs[1]=NaN");
    checkInRange([0, 0.5, 1], { min: 0, max: 1 }, "accs");
    fails(() => checkClose(12.5, 16.4, "mean", { tolerance: 0.01, note: "(the mean of trainTemps)" }), "mean is 12.5; expected 16.4 (± 0.01) (the mean of trainTemps)");
    checkClose(0.1 + 0.2, 0.3, "sum");
    fails(() => checkEqual(["LSTM"], ["SimpleRNN", "LSTM"], "order"), 'order is ["LSTM"]; expected ["SimpleRNN","LSTM"]');
    fails(() => checkTrue(false, "define trainAndEvaluate in Task 2"), "define trainAndEvaluate in Task 2");
    checkTrue(1, "never");
  });
});
