import { strict as assert } from "node:assert";
import { iopubOf, KernelDriver, startTestKernel } from "./_kernel-driver";

describe("seqlab kernel: interrupts and TensorFlow", function () {
  this.timeout(180_000);
  let kernel: KernelDriver;

  before(async function () {
    kernel = await startTestKernel();
  });
  after(async () => {
    await kernel?.stop();
  });

  it("importing tfjs-node prints nothing to the kernel's stderr", async () => {
    const r = await kernel.execute(
      'import * as tf from "@tensorflow/tfjs-node";\n' +
        "const model = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [4] }), tf.layers.dense({ units: 1 })] });\n" +
        'model.compile({ optimizer: tf.train.sgd(0.01), loss: "meanSquaredError" });\n' +
        "const xs = tf.randomNormal([4096, 4], 0, 1, 'float32', 1);\nconst ys = tf.randomNormal([4096, 1], 0, 1, 'float32', 2);\n" +
        'tf.getBackend()',
    );
    assert.equal(r.reply.status, "ok", r.reply.evalue);
    assert.deepEqual(iopubOf(r, "execute_result")?.content.data, { "text/plain": "'tensorflow'" });
    assert.equal(r.iopub.filter((m) => m.msg_type === "stream").length, 0);
    assert.equal(await kernel.stderr(), "");
  });

  it("interrupting model.fit stops training at a batch boundary with a KeyboardInterrupt", async () => {
    const r = await kernel.execute(
      "let batches = 0;\n" +
        "await model.fit(xs, ys, { epochs: 500, batchSize: 16, verbose: 0, callbacks: { onBatchEnd: async () => { if (++batches === 20) console.log('TRAINING'); } } });",
      { interrupt_on: "TRAINING" },
    );
    assert.equal(r.reply.status, "error");
    assert.equal(r.reply.ename, "KeyboardInterrupt");
    assert.match(r.reply.evalue ?? "", /stopped at a batch boundary/);
    assert.equal(iopubOf(r, "error")?.content.ename, "KeyboardInterrupt");
  });

  it("after the interrupt the weights no longer change, variables survive and the next cell runs", async () => {
    const r = await kernel.execute(
      "const before = Array.from(model.getWeights()[0]!.dataSync());\nconst batchesBefore = batches;\n" +
        "await new Promise((resolve) => setTimeout(resolve, 1000));\n" +
        "const after = Array.from(model.getWeights()[0]!.dataSync());\n" +
        "({ sameWeights: before.every((v, i) => v === after[i]), sameBatches: batches === batchesBefore, stoppedEarly: batches < 500 * 256 })",
    );
    assert.equal(r.reply.status, "ok", r.reply.evalue);
    assert.deepEqual(iopubOf(r, "execute_result")?.content.data, { "text/plain": "{ sameWeights: true, sameBatches: true, stoppedEarly: true }" });
  });

  it("a model can train again after an interrupted fit", async () => {
    const r = await kernel.execute("const h = await model.fit(xs, ys, { epochs: 1, batchSize: 1024, verbose: 0 });\nh.history.loss!.length");
    assert.equal(r.reply.status, "ok", r.reply.evalue);
    assert.deepEqual(iopubOf(r, "execute_result")?.content.data, { "text/plain": "1" });
  });

  it("interrupting fitDataset stops it too", async () => {
    const r = await kernel.execute(
      "const ds = tf.data.zip({ xs: tf.data.array(Array.from({ length: 4096 }, (_, i) => [i % 7, 1, 2, 3])), ys: tf.data.array(Array.from({ length: 4096 }, () => [1])) }).batch(8);\n" +
        "let dsBatches = 0;\n" +
        "await model.fitDataset(ds, { epochs: 100, verbose: 0, callbacks: { onBatchEnd: async () => { if (++dsBatches === 10) console.log('DATASET'); } } });",
      { interrupt_on: "DATASET" },
    );
    assert.equal(r.reply.ename, "KeyboardInterrupt");
  });

  it("a synchronous infinite loop is interrupted and the kernel keeps its variables", async () => {
    const r = await kernel.execute("let spins = 0;\nwhile (true) { spins++; }", { interrupt_after: 2 });
    assert.equal(r.reply.status, "error");
    assert.equal(r.reply.ename, "KeyboardInterrupt");
    const next = await kernel.execute("batches > 0 && spins > 0");
    assert.deepEqual(iopubOf(next, "execute_result")?.content.data, { "text/plain": "true" });
  });

  it("a loop that blocks after an await is interrupted too, and the kernel keeps its variables", async () => {
    const r = await kernel.execute(
      "let laps = 0;\nawait new Promise((resolve) => setTimeout(resolve, 10));\nconsole.log('SPINNING');\nwhile (true) { laps++; }",
      { interrupt_on: "SPINNING" },
    );
    assert.equal(r.reply.status, "error");
    assert.equal(r.reply.ename, "KeyboardInterrupt");
    const next = await kernel.execute("laps > 0 && spins > 0");
    assert.deepEqual(iopubOf(next, "execute_result")?.content.data, { "text/plain": "true" });
  });

  it("a pending await is cancelled by an interrupt", async () => {
    const r = await kernel.execute("await new Promise((resolve) => setTimeout(resolve, 10));\nconsole.log('WAITING');\nawait new Promise(() => undefined);", {
      interrupt_on: "WAITING",
    });
    assert.equal(r.reply.ename, "KeyboardInterrupt");
    assert.equal(r.reply.evalue, "Execution interrupted by the user");
  });

  it("the interrupt channel lets loops in the notebook see the interrupt", async () => {
    const r = await kernel.execute(
      'const signal = (globalThis as any)[Symbol.for("seqlab.kernel.interrupt")];\n' +
        "let heard = 0;\nsignal.onInterrupt(() => { heard++; });\n" +
        "await new Promise((resolve) => setTimeout(resolve, 10));\n" +
        "console.log('POLLING ' + signal.requested);\n" +
        "while (!signal.requested) await new Promise((resolve) => setTimeout(resolve, 10));",
      { interrupt_on: "POLLING" },
    );
    assert.equal(r.reply.ename, "KeyboardInterrupt");
    assert.equal(iopubOf(r, "stream")?.content.text, "POLLING false\n");
    const after = await kernel.execute("[heard, signal.requested]");
    assert.deepEqual(iopubOf(after, "execute_result")?.content.data, { "text/plain": "[ 1, false ]" });
  });
});
