import { strict as assert } from "node:assert";
import { padSequences, InvalidArgumentError, DataError } from "kernel-helpers";

describe("padSequences", () => {
  it("padSequences() pads and truncates at the front by default (keeps the end)", () => {
    assert.deepEqual(padSequences([[1, 2, 3], [4]], { maxlen: 2 }), [[2, 3], [0, 4]]);
  });
  it("padSequences() pads to the longest sequence when maxlen is not given", () => {
    assert.deepEqual(padSequences([[1], [2, 3, 4], []]), [[0, 0, 1], [2, 3, 4], [0, 0, 0]]);
  });
  it("padSequences() supports post padding, post truncating and a fill value", () => {
    assert.deepEqual(padSequences([[1, 2, 3], [4]], { maxlen: 2, padding: "post", truncating: "post", value: -1 }), [[1, 2], [4, -1]]);
  });
  it("padSequences() truncates floats toward zero under int32, value included", () => {
    assert.deepEqual(padSequences([[1.7, -1.7, 2.5]], { maxlen: 4, value: 9.9 }), [[9, 1, -1, 2]]);
  });
  it("padSequences() rounds to float32 with dtype float32", () => {
    assert.deepEqual(padSequences([[0.1]], { maxlen: 2, dtype: "float32", value: -2.5 }), [[-2.5, Math.fround(0.1)]]);
  });
  it("padSequences() returns empty rows when every sequence is empty", () => {
    assert.deepEqual(padSequences([[], []]), [[], []]);
    assert.deepEqual(padSequences([], { maxlen: 3 }), []);
  });
  it("padSequences() accepts typed arrays and ragged input", () => {
    assert.deepEqual(padSequences([Int32Array.from([5, 6]), [7]], { padding: "post" }), [[5, 6], [7, 0]]);
  });
  it("padSequences() rejects maxlen <= 0, unknown options and bad values", () => {
    assert.throws(() => padSequences([[1]], { maxlen: 0 }), /`maxlen` must be a positive integer or null.*Received: maxlen=0/);
    assert.throws(() => padSequences([[1]], { maxlen: -1 }), InvalidArgumentError);
    assert.throws(() => padSequences([[1]], { padding: "both" as "pre" }), /`padding` must be one of "pre", "post"/);
    assert.throws(() => padSequences([[1]], { truncating: "mid" as "pre" }), /`truncating`/);
    assert.throws(() => padSequences([[1]], { dtype: "int64" as "int32" }), /`dtype`/);
    assert.throws(() => padSequences([1] as unknown as number[][]), /`sequences\[0\]` must be an array of numbers/);
    assert.throws(() => padSequences([[NaN]]), DataError);
    assert.throws(() => padSequences([]), /`maxlen` must be given/);
    assert.throws(() => padSequences([["a"]] as unknown as number[][]), (e: Error) => e instanceof InvalidArgumentError && /must hold numbers or arrays of numbers/.test(e.message));
  });
  it("padSequences() keeps NaN under float32 and ignores cut-off values", () => {
    const out = padSequences([[NaN, 1]], { dtype: "float32" });
    assert.ok(Number.isNaN(out[0][0]));
    assert.deepEqual(padSequences([[NaN, 1]], { maxlen: 1 }), [[1]]);
  });
});
