import * as assert from "node:assert/strict";
import { DataError, SeqlabError, ShapeError, accuracy } from "kernel-helpers";

describe("accuracy()", () => {
  it("accuracy() is the fraction of exact matches, like sklearn's accuracy_score", () => {
    assert.equal(accuracy([0, 1, 1, 0], [0, 1, 0, 0]), 0.75);
    assert.equal(accuracy([[0, 1], [1, 1]], [[0, 1], [1, 0]]), 0.5); // subset accuracy
  });

  it("accuracy() thresholds probabilities with threshold", () => {
    assert.equal(accuracy([1, 0], [0.8, 0.6], { threshold: 0.5 }), 0.5);
    assert.equal(accuracy([1, 0, 1], [[0.9], [0.5], [0.51]], { threshold: 0.5 }), 1);
    assert.throws(() => accuracy([1], [1], { threshold: NaN }), /threshold/);
  });

  it("accuracy() refuses probabilities without a threshold, as sklearn refuses mixed binary/continuous targets", () => {
    assert.throws(
      () => accuracy([1, 0, 1], [0.9, 0.2, 0.7]),
      (e: unknown) =>
        e instanceof DataError &&
        e instanceof SeqlabError &&
        /threshold: 0\.5/.test(e.message) &&
        /Received: yPred\[0\]=0\.9$/.test(e.message),
    );
    assert.throws(() => accuracy([[1, 0]], [[1, 0.4]]), /Received: yPred\[0\]\[1\]=0\.4/);
    assert.throws(() => accuracy([0.5, 1], [1, 1]), /regression metric.*Received: yTrue\[0\]=0\.5/);
    // With the threshold the same call works, and whole-number labels other than 0/1 still compare exactly.
    assert.equal(accuracy([1, 0, 1], [0.9, 0.2, 0.7], { threshold: 0.5 }), 1);
    assert.equal(accuracy([2, 0, 1], [2, 1, 1]), 2 / 3);
  });

  it("accuracy() rejects different lengths", () => {
    assert.throws(() => accuracy([1, 0], [1]), ShapeError);
  });
});
