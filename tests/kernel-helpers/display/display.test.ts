import * as assert from "node:assert/strict";
import { InvalidArgumentError, PLOTLY_MIME, display, insideKernel, show } from "kernel-helpers";

const SINK = Symbol.for("seqlab.kernel.display");
type Sent = { content: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient?: { display_id?: string } }; update: boolean };

function withSink(run: (sent: Sent[]) => void): void {
  const sent: Sent[] = [];
  const g = globalThis as Record<symbol, unknown>;
  g[SINK] = (content: Sent["content"], update: boolean) => sent.push({ content, update });
  try {
    run(sent);
  } finally {
    delete g[SINK];
  }
}

describe("display()", () => {
  it("sends a value's bundle through the kernel channel as one display", () => {
    withSink((sent) => {
      assert.equal(insideKernel(), true);
      display({ data: [{ y: [1, 2] }] });
      assert.equal(sent.length, 1);
      assert.equal(sent[0]!.update, false);
      assert.ok(PLOTLY_MIME in sent[0]!.content.data);
      assert.equal(typeof sent[0]!.content.transient?.display_id, "string");
    });
  });

  it("updates a display in place by id", () => {
    withSink((sent) => {
      display("epoch 1", { id: "progress" });
      display("epoch 2", { id: "progress", update: true });
      assert.deepEqual(sent.map((s) => [s.content.data["text/plain"], s.content.transient?.display_id, s.update]), [
        ["epoch 1", "progress", false],
        ["epoch 2", "progress", true],
      ]);
    });
  });

  it("display.bundle() sends any multi-MIME bundle with its metadata", () => {
    withSink((sent) => {
      display.bundle({ "text/html": "<b>hi</b>", "text/plain": "hi" }, { metadata: { "text/html": { isolated: true } } });
      assert.deepEqual(sent[0]!.content.data, { "text/html": "<b>hi</b>", "text/plain": "hi" });
      assert.deepEqual(sent[0]!.content.metadata, { "text/html": { isolated: true } });
    });
  });

  it("display.bundle() rejects an empty bundle", () => {
    assert.throws(() => display.bundle({}), InvalidArgumentError);
  });

  it("prints text/plain outside the kernel and returns nothing", () => {
    const write = process.stdout.write.bind(process.stdout);
    let out = "";
    process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
    try {
      assert.equal(insideKernel(), false);
      assert.equal(show("plain"), undefined);
    } finally {
      process.stdout.write = write;
    }
    assert.equal(out, "plain\n");
  });
});
