import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-node";
import { InvalidArgumentError, LiveTrainingCallback, PLOTLY_MIME, ProgbarLogger, liveTraining } from "kernel-helpers";

function tinyModel(): tf.Sequential {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: "ones", biasInitializer: "zeros" })] });
  model.compile({ optimizer: tf.train.sgd(0.01), loss: "meanSquaredError", metrics: ["mae"] });
  return model;
}

const x = () => tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8], [1, 0], [0, 1], [2, 2], [3, 1]]);
const y = () => tf.tensor2d([[1], [2], [3], [4], [0], [1], [2], [1]]);

describe("liveTraining()", () => {
  it("keeps one display per fit: a first display, then in-place updates ending in the final curves", async () => {
    const model = tinyModel();
    const [xs, ys] = [x(), y()];
    const sent: Array<{ bundle: Record<string, unknown>; update: boolean }> = [];
    const cb = liveTraining({ every: 0, sink: (bundle, update) => sent.push({ bundle, update }) });
    const h = await model.fit(xs, ys, { epochs: 3, batchSize: 4, validationSplit: 0.25, verbose: 0, callbacks: [cb] });
    assert.ok(cb instanceof LiveTrainingCallback);
    assert.equal(sent[0]!.update, false);
    assert.ok(sent.slice(1).every((s) => s.update));
    // every: 0 redraws at train begin, each batch (6 batches of 4 train samples... 3 epochs × 2), each epoch end, and the end.
    assert.equal(sent.length, 1 + 3 * 2 + 3 + 1);
    const final = sent[sent.length - 1]!.bundle;
    const fig = final[PLOTLY_MIME] as { data: Array<{ name: string; y: number[]; xaxis: string }> };
    assert.deepEqual(fig.data.map((t) => [t.name, t.xaxis]), [["train", "x"], ["validation", "x"], ["train", "x2"], ["validation", "x2"]]);
    assert.deepEqual(fig.data[0]!.y, h.history.loss);
    assert.deepEqual(fig.data[1]!.y, h.history.val_loss);
    assert.match(final["text/plain"] as string, /^Training: done: 3 epochs · .* samples\/s · loss [\d.]+ · mae [\d.]+ · val_loss [\d.]+ · val_mae [\d.]+$/);
    assert.deepEqual(cb.state().history.mae, h.history.mae);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it("shows epoch, batch, samples/s and ETA while training", async () => {
    const model = tinyModel();
    const [xs, ys] = [x(), y()];
    const lines: string[] = [];
    const cb = liveTraining({ every: 0, sink: (b) => lines.push(b["text/plain"] as string) });
    await model.fit(xs, ys, { epochs: 2, batchSize: 4, verbose: 0, callbacks: [cb] });
    assert.equal(lines[0], "Training: starting: 2 epochs");
    assert.match(lines[1]!, /^Training: epoch 1\/2 · batch 1\/2 · ETA \d+s · [\d,]+ samples\/s · loss [\d.]+ · mae [\d.]+$/);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it("throttles redraws to `every` milliseconds but always draws the final state", async () => {
    const model = tinyModel();
    const [xs, ys] = [x(), y()];
    let draws = 0;
    const cb = liveTraining({ every: 60_000, sink: () => draws++ });
    await model.fit(xs, ys, { epochs: 5, batchSize: 2, verbose: 0, callbacks: [cb] });
    assert.equal(draws, 2, "the first display and the final one");
    assert.equal(cb.state().history.loss!.length, 5);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it("leaves model.stopTraining to others: training stops when another callback asks", async () => {
    const model = tinyModel();
    const [xs, ys] = [x(), y()];
    const lines: string[] = [];
    const stopper = new (class extends tf.Callback {
      override async onEpochEnd(epoch: number): Promise<void> {
        if (epoch === 1) this.model.stopTraining = true;
      }
    })();
    const h = await model.fit(xs, ys, { epochs: 10, batchSize: 4, verbose: 0, callbacks: [liveTraining({ every: 0, sink: (b) => lines.push(b["text/plain"] as string) }), stopper] });
    assert.equal(h.history.loss!.length, 2);
    assert.match(lines[lines.length - 1]!, /^Training: stopped after epoch 2\/10 · /);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it("leaks no tensors", async () => {
    const model = tinyModel();
    const [xs, ys] = [x(), y()];
    await model.fit(xs, ys, { epochs: 1, batchSize: 4, verbose: 0 }); // builds the optimizer state
    const before = tf.memory().numTensors;
    await model.fit(xs, ys, { epochs: 2, batchSize: 4, validationSplit: 0.25, verbose: 0, callbacks: [liveTraining({ every: 0, sink: () => undefined })] });
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it("draws the running mean of the epoch in progress at its fractional epoch, then the epoch's value", async () => {
    const model = tinyModel();
    const [xs, ys] = [x(), y()];
    const figs: Array<{ data: Array<{ name: string; x: number[]; y: number[]; xaxis: string }> }> = [];
    const cb = liveTraining({ every: 0, metrics: ["loss"], sink: (b) => figs.push(b[PLOTLY_MIME] as (typeof figs)[number]) });
    const h = await model.fit(xs, ys, { epochs: 2, batchSize: 2, verbose: 0, callbacks: [cb] });
    // Sent: train begin, 4 batches, epoch end, 4 batches, epoch end, train end.
    const trainX = figs.map((f) => f.data.find((t) => t.name === "train")!.x);
    assert.deepEqual(trainX.slice(0, 6), [[], [0.25], [0.5], [0.75], [1], [1]]);
    assert.deepEqual(trainX.slice(6), [[1, 1.25], [1, 1.5], [1, 1.75], [1, 2], [1, 2], [1, 2]]);
    const final = figs[figs.length - 1]!.data[0]!;
    assert.deepEqual(final.y, h.history.loss);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it("marks the curve interrupted when the kernel's interrupt stops the fit, keeping the epochs that ran", async () => {
    const model = tinyModel();
    const [xs, ys] = [x(), y()];
    const key = Symbol.for("seqlab.kernel.interrupt");
    const signal = { requested: false, onInterrupt: () => () => undefined };
    (globalThis as Record<symbol, unknown>)[key] = signal;
    try {
      const sent: Array<Record<string, unknown>> = [];
      // What the kernel does on the stop button: `requested` turns true and fit stops at the next batch boundary.
      const stopper = new (class extends tf.Callback {
        override async onBatchEnd(batch: number): Promise<void> {
          if (this.params.epochs !== undefined && sent.length > 0 && batch === 1 && (cb.state().history.loss?.length ?? 0) === 2) {
            signal.requested = true;
            this.model.stopTraining = true;
          }
        }
      })();
      const cb = liveTraining({ every: 0, sink: (b) => sent.push(b) });
      await model.fit(xs, ys, { epochs: 10, batchSize: 2, verbose: 0, callbacks: [cb, stopper] });
      const last = sent[sent.length - 1]!;
      assert.match(last["text/plain"] as string, /^Training: interrupted in epoch 3\/10: 2 epochs complete · /);
      const fig = last[PLOTLY_MIME] as { data: Array<{ name: string; x: number[] }>; layout: { title: { text: string } } };
      assert.deepEqual(fig.data[0]!.x, [1, 2, 2.5], "two full epochs and half of the third");
      assert.match(fig.layout.title.text, /interrupted in epoch 3\/10/);
      assert.equal(cb.state().interrupted, true);
      assert.equal(cb.state().history.loss!.length, 2);
    } finally {
      delete (globalThis as Record<symbol, unknown>)[key];
      tf.dispose([xs, ys]);
      model.dispose();
    }
  });

  it("rejects a negative interval and malformed metrics", () => {
    assert.throws(() => liveTraining({ every: -1 }), (e: Error) => e instanceof InvalidArgumentError && /Received: every=-1/.test(e.message));
    assert.throws(() => liveTraining({ metrics: "loss" as unknown as string[] }), InvalidArgumentError);
  });
});

describe("ProgbarLogger", () => {
  it("prints Keras' epoch header and a full bar with the epoch's metrics", async () => {
    const model = tinyModel();
    const [xs, ys] = [x(), y()];
    let out = "";
    const h = await model.fit(xs, ys, { epochs: 2, batchSize: 4, validationSplit: 0.25, verbose: 0, callbacks: [new ProgbarLogger({ write: (t) => (out += t), interactive: false })] });
    const lines = out.trimEnd().split("\n");
    assert.equal(lines.length, 4);
    assert.equal(lines[0], "Epoch 1/2");
    assert.equal(lines[2], "Epoch 2/2");
    const loss = h.history.loss![1] as number;
    const valMae = h.history.val_mae![1] as number;
    assert.match(lines[3]!, new RegExp(`^2/2 ━{20} \\d+s \\d+(s|ms|us)/step - loss: ${loss.toFixed(4)} - mae: [\\d.]+ - val_loss: [\\d.]+ - val_mae: ${valMae.toFixed(4)}$`));
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it("redraws the bar in place with \\r in a terminal", async () => {
    const model = tinyModel();
    const [xs, ys] = [x(), y()];
    let out = "";
    await model.fit(xs, ys, { epochs: 1, batchSize: 2, verbose: 0, callbacks: [new ProgbarLogger({ write: (t) => (out += t), interactive: true, every: 0 })] });
    // Keras 3's colours: bold counter, green done part, grey rest.
    assert.ok(out.startsWith("Epoch 1/1\n\r\x1b[1m1/4\x1b[0m \x1b[32m━━━━━\x1b[0m\x1b[37m━━━━━━━━━━━━━━━\x1b[0m "), JSON.stringify(out.slice(0, 80)));
    assert.ok(out.includes("\r\x1b[1m4/4\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m\x1b[37m\x1b[0m "), JSON.stringify(out));
    tf.dispose([xs, ys]);
    model.dispose();
  });
});
