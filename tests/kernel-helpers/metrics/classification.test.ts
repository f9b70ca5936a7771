import * as assert from "node:assert/strict";
import { ShapeError, accuracy } from "kernel-helpers";

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

  it("accuracy() rejects different lengths", () => {
    assert.throws(() => accuracy([1, 0], [1]), ShapeError);
  });
});
