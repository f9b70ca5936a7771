import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-node";
import * as dfd from "danfojs-node";
import { DataError, InvalidArgumentError, ShapeError, timeseriesDatasetFromArray } from "kernel-helpers";
import fixture from "./fixtures/keras-timeseries-dataset-cases.json";
import { assertClose } from "./_helpers";

interface KerasCase {
  name: string;
  n: number;
  features: number;
  targets: string;
  args: Record<string, number | null>;
  batches?: Array<{ xs: unknown; ys?: unknown }>;
  error?: string;
  message?: string;
}

function buildInputs(c: KerasCase): { data: number[] | number[][]; targets: number[] | number[][] | null } {
  const data =
    c.features === 0
      ? Array.from({ length: c.n }, (_, i) => i)
      : Array.from({ length: c.n }, (_, i) => Array.from({ length: c.features }, (_, j) => i * c.features + j));
  let targets: number[] | number[][] | null = null;
  if (c.targets === "same") targets = Array.from({ length: c.n }, (_, i) => 10 * i);
  else if (c.targets.startsWith("short")) targets = Array.from({ length: c.n - Number(c.targets.slice(5)) }, (_, i) => 10 * i);
  else if (c.targets === "2d") targets = Array.from({ length: c.n }, (_, i) => [2 * i, 2 * i + 1]);
  return { data, targets };
}

function camelArgs(a: Record<string, number | null>): Record<string, number | null> {
  const map: Record<string, string> = {
    sequence_length: "sequenceLength",
    sequence_stride: "sequenceStride",
    sampling_rate: "samplingRate",
    batch_size: "batchSize",
    start_index: "startIndex",
    end_index: "endIndex",
  };
  return Object.fromEntries(Object.entries(a).map(([k, v]) => [map[k], v]));
}

async function collect(ds: tf.data.Dataset<tf.TensorContainer>): Promise<Array<{ xs: unknown; ys?: unknown }>> {
  const out: Array<{ xs: unknown; ys?: unknown }> = [];
  await ds.forEachAsync((el) => {
    if (el instanceof tf.Tensor) {
      out.push({ xs: el.arraySync() });
      el.dispose();
    } else {
      const { xs, ys } = el as { xs: tf.Tensor; ys: tf.Tensor };
      out.push({ xs: xs.arraySync(), ys: ys.arraySync() });
      tf.dispose([xs, ys]);
    }
  });
  return out;
}

describe("timeseriesDatasetFromArray()", () => {
  for (const c of (fixture as unknown as { cases: KerasCase[] }).cases) {
    it(`timeseriesDatasetFromArray() matches Keras 3: ${c.name}`, async () => {
      const { data, targets } = buildInputs(c);
      const args = camelArgs(c.args) as unknown as Parameters<typeof timeseriesDatasetFromArray>[2];
      if (c.error) {
        assert.throws(() => timeseriesDatasetFromArray(data, targets, args), InvalidArgumentError);
        return;
      }
      const before = tf.memory().numTensors;
      const got = await collect(timeseriesDatasetFromArray(data, targets, args) as tf.data.Dataset<tf.TensorContainer>);
      assert.equal(got.length, c.batches!.length, "number of batches");
      got.forEach((b, i) => {
        assertClose(b.xs, c.batches![i].xs, 1e-6, `batch ${i} xs`);
        if (c.batches![i].ys !== undefined) assertClose(b.ys, c.batches![i].ys, 1e-6, `batch ${i} ys`);
      });
      assert.equal(tf.memory().numTensors, before, "no tensor leaked");
    });
  }

  it("timeseriesDatasetFromArray() pairs targets[i] with the window starting at i", async () => {
    const data = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const ds = timeseriesDatasetFromArray(data.slice(0, -3), data.slice(3), { sequenceLength: 3, batchSize: 2 });
    const [first] = await ds.take(1).toArray();
    assert.deepEqual(first.xs.arraySync(), [[0, 1, 2], [1, 2, 3]]);
    assert.deepEqual(first.ys.arraySync(), [3, 4]);
    tf.dispose([first.xs, first.ys]);
  });

  it("timeseriesDatasetFromArray() shuffles every window exactly once, reproducibly with a seed", async () => {
    const data = Array.from({ length: 40 }, (_, i) => i);
    const args = { sequenceLength: 2, batchSize: 8, shuffle: true, seed: 7 };
    const a = await collect(timeseriesDatasetFromArray(data, data, args) as tf.data.Dataset<tf.TensorContainer>);
    const b = await collect(timeseriesDatasetFromArray(data, data, args) as tf.data.Dataset<tf.TensorContainer>);
    assert.deepEqual(a, b);
    const starts = a.flatMap((batch) => (batch.xs as number[][]).map((w) => w[0]));
    assert.deepEqual([...starts].sort((x, y) => x - y), Array.from({ length: 39 }, (_, i) => i));
    assert.notDeepEqual(starts, Array.from({ length: 39 }, (_, i) => i));
    a.forEach((batch) => (batch.xs as number[][]).forEach((w, k) => assert.equal((batch.ys as number[])[k], w[0])));
  });

  it("timeseriesDatasetFromArray() reshuffles on each pass over the dataset", async () => {
    const data = Array.from({ length: 30 }, (_, i) => i);
    const ds = timeseriesDatasetFromArray(data, null, { sequenceLength: 1, batchSize: 30, shuffle: true, seed: 3 });
    const first = await collect(ds as tf.data.Dataset<tf.TensorContainer>);
    const second = await collect(ds as tf.data.Dataset<tf.TensorContainer>);
    assert.notDeepEqual(first, second);
  });

  it("timeseriesDatasetFromArray() accepts tensors and feeds model.fitDataset without leaking", async () => {
    const x = tf.randomNormal([50, 2]);
    const y = tf.randomNormal([50, 1]);
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [4, 2] }), tf.layers.dense({ units: 1 })] });
    model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
    const before = tf.memory().numTensors;
    const ds = timeseriesDatasetFromArray(x, y, { sequenceLength: 4, batchSize: 16 });
    const h = await model.fitDataset(ds, { epochs: 2, verbose: 0 });
    assert.equal(h.history.loss.length, 2);
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([x, y]);
    model.dispose();
  });

  it("timeseriesDatasetFromArray() builds windows lazily over ten million rows", async () => {
    const rows = 10_000_000;
    const data = new Float32Array(rows);
    for (let i = 0; i < rows; i += 1000) data[i] = i;
    const heapBefore = process.memoryUsage().heapUsed;
    const ds = timeseriesDatasetFromArray(data, data, { sequenceLength: 100, batchSize: 32 });
    const [first] = await ds.take(1).toArray();
    assert.deepEqual(first.xs.shape, [32, 100]);
    tf.dispose([first.xs, first.ys]);
    // all windows would take 10M × 100 × 4 bytes = 4 GB; one batch is 12.8 kB
    assert.ok(process.memoryUsage().heapUsed - heapBefore < 200e6);
  });

  it("timeseriesDatasetFromArray() reads DataFrames and shuffles unbatched windows", async () => {
    const df = new dfd.DataFrame({ a: [0, 1, 2, 3, 4, 5], b: [0, -1, -2, -3, -4, -5] });
    const ds = timeseriesDatasetFromArray(df, null, { sequenceLength: 2, batchSize: null, shuffle: true, seed: 5 });
    const got = (await collect(ds as tf.data.Dataset<tf.TensorContainer>)).map((e) => e.xs as number[][]);
    assert.equal(got.length, 5);
    got.forEach((w) => assertClose(w, [[w[0][0], -w[0][0]], [w[0][0] + 1, -w[0][0] - 1]]));
    assert.deepEqual(got.map((w) => w[0][0]).sort(), [0, 1, 2, 3, 4]);
  });

  it("timeseriesDatasetFromArray() rejects NaN and ragged rows naming the row", () => {
    assert.throws(() => timeseriesDatasetFromArray([1, 2, NaN, 4], null, { sequenceLength: 2 }), (e: Error) => e instanceof DataError && /row 2/.test(e.message));
    assert.throws(() => timeseriesDatasetFromArray([[1, 2], [3], [4, 5]], null, { sequenceLength: 2 }), (e: Error) => e instanceof ShapeError && /row 1/.test(e.message));
    assert.throws(() => timeseriesDatasetFromArray([1, 2, 3], [1, Infinity, 3], { sequenceLength: 2 }), (e: Error) => e instanceof DataError && /targets/.test(e.message));
  });

  it("timeseriesDatasetFromArray() rejects a non-positive sequenceLength or batchSize", () => {
    assert.throws(() => timeseriesDatasetFromArray([1, 2, 3], null, { sequenceLength: 0 }), /sequenceLength/);
    assert.throws(() => timeseriesDatasetFromArray([1, 2, 3], null, { sequenceLength: 2, batchSize: 0 }), /batchSize/);
  });

  it("timeseriesDatasetFromArray() rejects targets too short for the start index", () => {
    assert.throws(
      () => timeseriesDatasetFromArray([0, 1, 2, 3, 4, 5, 6, 7], [0, 1, 2, 3], { sequenceLength: 2, startIndex: 3 }),
      ShapeError,
    );
  });
});
