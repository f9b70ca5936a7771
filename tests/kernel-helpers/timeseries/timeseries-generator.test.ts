import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-node";
import * as dfd from "danfojs-node";
import { DataError, InvalidArgumentError, ShapeError, TimeseriesGenerator, timeseriesDatasetFromArray } from "kernel-helpers";

// Expectations follow keras-preprocessing 1.1.2 (`keras.preprocessing.sequence.TimeseriesGenerator`)
// and its own unit tests: data = [[0], [1], ..., [49]], targets = data.
const data50 = Array.from({ length: 50 }, (_, i) => [i]);

function batch(gen: TimeseriesGenerator, i: number): { xs: unknown; ys: unknown } {
  const { xs, ys } = gen.getBatch(i);
  const out = { xs: xs.arraySync(), ys: ys.arraySync() };
  tf.dispose([xs, ys]);
  return out;
}

describe("TimeseriesGenerator", () => {
  it("TimeseriesGenerator pairs rows i-length..i-1 with targets[i] (sampling rate 2)", () => {
    const gen = new TimeseriesGenerator(data50, data50, { length: 10, samplingRate: 2, batchSize: 2 });
    assert.equal(gen.length, 20);
    const b = batch(gen, 0);
    assert.deepEqual(b.xs, [[[0], [2], [4], [6], [8]], [[1], [3], [5], [7], [9]]]);
    assert.deepEqual(b.ys, [[10], [11]]);
  });

  it("TimeseriesGenerator reverses the timesteps with reverse", () => {
    const gen = new TimeseriesGenerator(data50, data50, { length: 10, samplingRate: 2, reverse: true, batchSize: 2 });
    assert.deepEqual(batch(gen, 0).xs, [[[8], [6], [4], [2], [0]], [[9], [7], [5], [3], [1]]]);
  });

  it("TimeseriesGenerator steps targets by stride", () => {
    const gen = new TimeseriesGenerator(data50, data50, { length: 10, samplingRate: 2, stride: 2, batchSize: 2 });
    assert.equal(gen.length, 10);
    const b = batch(gen, 1);
    assert.deepEqual(b.xs, [[[4], [6], [8], [10], [12]], [[6], [8], [10], [12], [14]]]);
    assert.deepEqual(b.ys, [[14], [16]]);
  });

  it("TimeseriesGenerator honours startIndex and an inclusive endIndex", () => {
    const gen = new TimeseriesGenerator(data50, data50, { length: 10, samplingRate: 2, startIndex: 10, endIndex: 30, batchSize: 2 });
    assert.equal(gen.length, 6);
    const b = batch(gen, 0);
    assert.deepEqual(b.xs, [[[10], [12], [14], [16], [18]], [[11], [13], [15], [17], [19]]]);
    assert.deepEqual(b.ys, [[20], [21]]);
    const last = batch(gen, 5);
    assert.deepEqual(last.ys, [[30]]); // target 30 = endIndex is used
  });

  it("TimeseriesGenerator does not miss any sample", () => {
    const x = Array.from({ length: 10 }, (_, i) => [i]);
    for (let length = 3; length < 10; length++) {
      const gen = new TimeseriesGenerator(x, x, { length, batchSize: 1 });
      assert.equal(gen.length, 10 - length);
      const ys = Array.from({ length: gen.length }, (_, i) => (batch(gen, i).ys as number[][])[0][0]);
      assert.deepEqual(ys, Array.from({ length: 10 - length }, (_, i) => length + i));
    }
  });

  it("TimeseriesGenerator gives Keras' batch and sample counts for strides, lengths and shuffling", () => {
    const x = Array.from({ length: 23 }, (_, i) => [i]);
    const cases: Array<[number, number, number, boolean]> = [
      [1, 3, 6, false],
      [1, 3, 6, true],
      [5, 4, 6, true],
      [7, 3, 5, false],
      [3, 1, 6, false],
      [5, 3, 6, false],
      [3, 7, 6, false],
    ];
    for (const [stride, length, batchSize, shuffle] of cases) {
      const gen = new TimeseriesGenerator(x, x, { length, stride, batchSize, shuffle, seed: 1 });
      const expectedSequences = shuffle ? Math.ceil((23 - length) / (batchSize * stride)) * batchSize : Math.ceil((23 - length) / stride);
      const expectedBatches = Math.ceil(expectedSequences / batchSize);
      const sizes = Array.from({ length: gen.length }, (_, i) => (batch(gen, i).ys as number[][]).length);
      assert.equal(sizes.reduce((a, b) => a + b, 0), expectedSequences, `sequences for ${[stride, length, batchSize, shuffle]}`);
      assert.equal(sizes.length, expectedBatches);
    }
  });

  it("TimeseriesGenerator with shuffle draws full batches of valid windows, reproducibly with a seed", () => {
    const a = new TimeseriesGenerator(data50, data50, { length: 10, samplingRate: 2, shuffle: true, batchSize: 4, seed: 42 });
    const b = new TimeseriesGenerator(data50, data50, { length: 10, samplingRate: 2, shuffle: true, batchSize: 4, seed: 42 });
    for (let i = 0; i < a.length; i++) {
      const ba = batch(a, i);
      assert.deepEqual(ba, batch(b, i));
      (ba.ys as number[][]).forEach(([r], k) => {
        assert.ok(r >= 10 && r <= 49);
        assert.deepEqual((ba.xs as number[][][])[k], [[r - 10], [r - 8], [r - 6], [r - 4], [r - 2]]);
      });
    }
  });

  it("TimeseriesGenerator handles 1-D data and multi-dimensional rows", () => {
    const gen = new TimeseriesGenerator([0, 1, 2, 3, 4], [10, 11, 12, 13, 14], { length: 2, batchSize: 8 });
    assert.deepEqual(batch(gen, 0), { xs: [[0, 1], [1, 2], [2, 3]], ys: [12, 13, 14] });
    const cube = Array.from({ length: 6 }, (_, i) => [[i, -i], [2 * i, 0]]);
    const g3 = new TimeseriesGenerator(cube, cube, { length: 2, batchSize: 3 });
    const { xs, ys } = g3.getBatch(0);
    assert.deepEqual(xs.shape, [3, 2, 2, 2]);
    assert.deepEqual(ys.shape, [3, 2, 2]);
    assert.deepEqual((xs.arraySync() as number[][][][])[1], [cube[1], cube[2]]);
    tf.dispose([xs, ys]);
  });

  it("TimeseriesGenerator accepts tensors and DataFrames/Series", () => {
    const x = tf.tensor2d(data50.slice(0, 8));
    const df = new dfd.DataFrame({ a: [0, 1, 2, 3, 4, 5, 6, 7] });
    const s = new dfd.Series([0, 10, 20, 30, 40, 50, 60, 70]);
    const g1 = new TimeseriesGenerator(x, s, { length: 3 });
    const g2 = new TimeseriesGenerator(df, s, { length: 3 });
    assert.deepEqual(batch(g1, 0), batch(g2, 0));
    assert.deepEqual(batch(g2, 0).ys, [30, 40, 50, 60, 70]);
    x.dispose();
  });

  it("TimeseriesGenerator iterates and converts to a dataset for fitDataset without leaking", async () => {
    const gen = new TimeseriesGenerator(data50, data50, { length: 5, batchSize: 16 });
    const before = tf.memory().numTensors;
    let count = 0;
    for (const { xs, ys } of gen) {
      count += xs.shape[0];
      tf.dispose([xs, ys]);
    }
    assert.equal(count, 45);
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [5, 1] }), tf.layers.dense({ units: 1 })] });
    model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
    const h = await model.fitDataset(gen.toDataset(), { epochs: 2, verbose: 0 });
    assert.equal(h.history.loss.length, 2);
    model.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  it("TimeseriesGenerator over ten million rows allocates only the batch asked for", () => {
    const rows = 10_000_000;
    const data = new Float32Array(rows);
    data[rows - 1] = 7;
    const heapBefore = process.memoryUsage().heapUsed;
    const gen = new TimeseriesGenerator(data, data, { length: 60, batchSize: 128 });
    assert.equal(gen.length, Math.floor((rows - 1 - 60 + 128) / 128));
    const { xs, ys } = gen.getBatch(gen.length - 1);
    assert.equal(xs.shape[1], 60);
    assert.equal(ys.dataSync()[ys.shape[0] - 1], 7);
    tf.dispose([xs, ys]);
    assert.ok(process.memoryUsage().heapUsed - heapBefore < 200e6);
  });

  it("TimeseriesGenerator names empty or too short data, not an endIndex the user never passed", () => {
    assert.throws(
      () => new TimeseriesGenerator([], [], { length: 2 }),
      (e: Error) => e instanceof DataError && /must not be empty.*at least length \+ 1 = 3 rows. Received: empty data and targets, length=2/.test(e.message) && !/endIndex/.test(e.message),
    );
    assert.throws(() => new TimeseriesGenerator([1, 2, 3, 4], [1, 2, 3, 4], { length: 2, startIndex: 2 }), /endIndex=3 \(the last row, by default\)/);
    assert.throws(() => new TimeseriesGenerator([1, 2, 3], [1, 2, 3], { length: 1, shuffle: 1 as unknown as boolean }), /`shuffle` must be true or false. Received: shuffle=1/);
    assert.throws(
      () => timeseriesDatasetFromArray([], null, { sequenceLength: 2 }),
      (e: Error) => e instanceof DataError && /`data` must not be empty.*Received: empty data/.test(e.message) && !/samplingRate/.test(e.message),
    );
  });
  it("TimeseriesGenerator rejects length >= data length and startIndex + length > endIndex", () => {
    const x = [1, 2, 3, 4];
    assert.throws(() => new TimeseriesGenerator(x, x, { length: 4 }), (e: Error) => e instanceof InvalidArgumentError && /startIndex \+ length=4 > endIndex=3/.test(e.message));
    assert.throws(() => new TimeseriesGenerator(x, x, { length: 2, startIndex: 1, endIndex: 2 }), InvalidArgumentError);
    assert.doesNotThrow(() => new TimeseriesGenerator(x, x, { length: 3 }));
  });

  it("TimeseriesGenerator rejects mismatched lengths, bad arguments and bad values, naming them", () => {
    assert.throws(() => new TimeseriesGenerator([1, 2, 3, 4], [1, 2, 3], { length: 1 }), (e: Error) => e instanceof ShapeError && /Data length is 4 while target length is 3/.test(e.message));
    assert.throws(() => new TimeseriesGenerator([1, 2, 3, 4], [1, 2, 3, 4], { length: 0 }), /`length` must be a positive integer. Received: length=0/);
    assert.throws(() => new TimeseriesGenerator([1, 2, 3, 4], [1, 2, 3, 4], { length: 1, batchSize: 1.5 }), /batchSize/);
    assert.throws(() => new TimeseriesGenerator([1, 2, 3, 4], [1, 2, 3, 4], { length: 1, samplingRate: -1 }), /samplingRate/);
    assert.throws(() => new TimeseriesGenerator([1, 2, 3, 4], [1, 2, 3, 4], { length: 1, stride: 0 }), /stride/);
    assert.throws(() => new TimeseriesGenerator([1, 2, 3, 4], [1, 2, 3, 4], { length: 1, endIndex: 4 }), /endIndex/);
    assert.throws(() => new TimeseriesGenerator([[1, 2], [3, 4], [5]], [1, 2, 3], { length: 1 }), (e: Error) => e instanceof ShapeError && /row 2/.test(e.message));
    assert.throws(() => new TimeseriesGenerator([[1, 2], [3, NaN], [5, 6]], [1, 2, 3], { length: 1 }), (e: Error) => e instanceof DataError && /data\[1\]\[1\]/.test(e.message));
    assert.throws(() => new TimeseriesGenerator([1, 2, 3], [1, -Infinity, 3], { length: 1 }), (e: Error) => e instanceof DataError && /row 1/.test(e.message));
    const gen = new TimeseriesGenerator([1, 2, 3, 4], [1, 2, 3, 4], { length: 1 });
    assert.throws(() => gen.getBatch(1), /index/);
    assert.throws(() => gen.getBatch(-1), /index/);
  });
});
