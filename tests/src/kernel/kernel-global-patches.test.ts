import { strict as assert } from "node:assert";
import { iopubOf, KernelDriver, startTestKernel } from "./_kernel-driver";

describe("seqlab kernel: global patches", function () {
  this.timeout(180_000);
  let kernel: KernelDriver;

  before(async function () {
    kernel = await startTestKernel();
  });
  after(async () => {
    await kernel?.stop();
  });

  async function value(code: string): Promise<unknown> {
    const r = await kernel.execute(code);
    assert.equal(r.reply.status, "ok", r.reply.evalue);
    return iopubOf(r, "execute_result")?.content.data?.["text/plain"];
  }

  it("starts without TensorFlow, with the display and interrupt channels installed", async () => {
    assert.equal(await value('Object.keys(require.cache).some((k) => k.includes("@tensorflow"))'), "false");
    assert.equal(await value('typeof (globalThis as any)[Symbol.for("seqlab.kernel.display")]'), "'function'");
    assert.equal(await value('(globalThis as any)[Symbol.for("seqlab.kernel.interrupt")].requested'), "false");
  });

  it("a cell that imports only tfjs-node gets the fused layers behind tf.layers.lstm, gru and simpleRNN", async () => {
    assert.equal(
      await value(
        'import * as tf from "@tensorflow/tfjs-node";\n' +
          "[tf.layers.lstm({ units: 2 }), tf.layers.gru({ units: 2 }), tf.layers.simpleRNN({ units: 2 })].map((l) => l.constructor.name).join(',')",
      ),
      "'FusedLSTM,FusedGRU,FusedSimpleRNN'",
    );
  });

  it("withStandardRecurrentLayers gives stock layers inside only", async () => {
    assert.equal(
      await value(
        'import { withStandardRecurrentLayers } from "kernel-helpers";\n' +
          "const inside = await withStandardRecurrentLayers(async () => { await new Promise((r) => setTimeout(r, 5)); return tf.layers.lstm({ units: 2 }); });\n" +
          "[inside.constructor.name, tf.layers.lstm({ units: 2 }).constructor.name].join(',')",
      ),
      "'LSTM,FusedLSTM'",
    );
  });
});
