import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs-node";
import { charVocabulary, sequenceWindows, DataError, InvalidArgumentError } from "kernel-helpers";

describe("sequenceWindows", () => {
  it("sequenceWindows() pairs each sequence with the same sequence one token later, non-overlapping by default", () => {
    const w = sequenceWindows([0, 1, 2, 3, 4, 5, 6, 7], { seqLength: 3, batchSize: 4 });
    assert.equal(w.numWindows, 2);
    assert.equal(w.numBatches, 1);
    assert.equal(w.numTargets, 6);
    assert.deepEqual([...w], [{ xs: [[0, 1, 2], [3, 4, 5]], ys: [[1, 2, 3], [4, 5, 6]] }]);
  });
  it("sequenceWindows() counts floor((n - seqLength - 1) / step) + 1 windows and keeps a smaller last batch", () => {
    const ids = Array.from({ length: 103 }, (_, i) => i);
    const w = sequenceWindows(ids, { seqLength: 10, step: 4, batchSize: 8 });
    assert.equal(w.numWindows, Math.floor((103 - 10 - 1) / 4) + 1);
    const batches = [...w];
    assert.equal(w.numWindows, 24);
    assert.deepEqual(batches.map((b) => b.xs.length), [8, 8, 8]);
    const last = batches[batches.length - 1]!;
    assert.deepEqual(last.ys[last.ys.length - 1], ids.slice(92 + 1, 92 + 11));
  });
  it("sequenceWindows() decodes back to the text: targets are the inputs shifted by one character", () => {
    const text = "call me ishmael. some years ago";
    const vocab = charVocabulary(text);
    const [{ xs, ys }] = sequenceWindows(vocab.encode(text), { seqLength: 10 });
    assert.deepEqual(xs!.map((x) => vocab.decode(x)), ["call me is", "hmael. som", "e years ag"]);
    assert.deepEqual(ys!.map((y) => vocab.decode(y)), ["all me ish", "mael. some", " years ago"]);
  });
  it("sequenceWindows() shuffles deterministically for a seed, differently on each pass, every window once", () => {
    const ids = Array.from({ length: 401 }, (_, i) => i);
    const a = sequenceWindows(ids, { seqLength: 4, batchSize: 1000, shuffle: true, seed: 7 });
    const b = sequenceWindows(ids, { seqLength: 4, batchSize: 1000, shuffle: true, seed: 7 });
    const a1 = [...a][0]!.xs.map((x) => x[0]!);
    assert.deepEqual(a1, [...b][0]!.xs.map((x) => x[0]!));
    assert.deepEqual([...a1].sort((x, y) => x - y), Array.from({ length: 100 }, (_, i) => 4 * i));
    assert.notDeepEqual([...a][0]!.xs.map((x) => x[0]!), a1);
  });
  it("sequenceWindows().toDataset() gives int32 inputs and float32 targets of [batch, seqLength], leaking no tensors", async () => {
    const before = tf.memory().numTensors;
    const w = sequenceWindows(Array.from({ length: 50 }, (_, i) => i % 5), { seqLength: 6, batchSize: 3 });
    const shapes: Array<[number[], string, number[], string]> = [];
    await w.toDataset().forEachAsync((e) => {
      const { xs, ys } = e as { xs: tf.Tensor; ys: tf.Tensor };
      shapes.push([xs.shape, xs.dtype, ys.shape, ys.dtype]);
      tf.dispose([xs, ys]);
    });
    assert.equal(shapes.length, w.numBatches);
    assert.deepEqual(shapes[0], [[3, 6], "int32", [3, 6], "float32"]);
    assert.deepEqual(shapes[shapes.length - 1]![0], [w.numWindows % 3 || 3, 6]);
    assert.equal(tf.memory().numTensors, before);
  });
  it("sequenceWindows() rejects bad ids and options with the value received", () => {
    assert.throws(() => sequenceWindows([0, 1, 2], { seqLength: 3 }), (e: Error) => e instanceof DataError && /longer than `seqLength` \(3\).*ids.length=3/.test(e.message));
    assert.throws(() => sequenceWindows([0, -1, 2, 3], { seqLength: 2 }), (e: Error) => e instanceof DataError && /ids\[1\]=-1/.test(e.message));
    assert.throws(() => sequenceWindows([0, 1, 2, 3], { seqLength: 0 }), InvalidArgumentError);
    assert.throws(() => sequenceWindows([0, 1, 2, 3], { seqLength: 2, step: 1.5 }), /step=1.5/);
    assert.throws(() => sequenceWindows("abc" as never, { seqLength: 2 }), InvalidArgumentError);
  });
});
