import * as assert from "node:assert/strict";
import { InvalidArgumentError, RESULTS_MIME, resultsBundle, showResults, type NotebookResults } from "kernel-helpers";

describe("resultsBundle()", () => {
  it("carries the metrics as JSON with the mode, and as HTML and text tables", () => {
    const saved = process.env.SEQLAB_QUICK;
    process.env.SEQLAB_QUICK = "1";
    try {
      const b = resultsBundle("lesson 2", { "LSTM accuracy": 0.98765, epochs: 12, verdict: "LSTM learns it" });
      const data = b[RESULTS_MIME] as NotebookResults;
      assert.deepEqual(data, { title: "lesson 2", mode: "quick", metrics: { "LSTM accuracy": 0.98765, epochs: 12, verdict: "LSTM learns it" } });
      assert.match(b["text/plain"] as string, /^lesson 2 — results \(quick mode\)\nLSTM accuracy {2}0\.9877\nepochs {9}12\n/);
      assert.match(b["text/html"] as string, /<td style="text-align:left">verdict<\/td><td style="text-align:right">LSTM learns it<\/td>/);
    } finally {
      if (saved === undefined) delete process.env.SEQLAB_QUICK;
      else process.env.SEQLAB_QUICK = saved;
    }
  });

  it("escapes HTML in names and values", () => {
    const html = resultsBundle("t", { "<b>": "a & b" })["text/html"] as string;
    assert.ok(html.includes("&lt;b&gt;") && html.includes("a &amp; b"));
  });

  it("rejects non-finite numbers, empty metrics and an empty title with a clear error", () => {
    assert.throws(() => resultsBundle("t", { loss: NaN }), (e: Error) => e instanceof InvalidArgumentError && /Received: metrics\["loss"\]=NaN/.test(e.message));
    assert.throws(() => resultsBundle("t", {}), InvalidArgumentError);
    assert.throws(() => resultsBundle("", { a: 1 }), InvalidArgumentError);
  });
});

describe("showResults()", () => {
  it("sends one display with the results MIME type through the kernel channel", () => {
    const sent: Array<Record<string, unknown>> = [];
    const g = globalThis as Record<symbol, unknown>;
    const key = Symbol.for("seqlab.kernel.display");
    g[key] = (content: { data: Record<string, unknown> }) => sent.push(content.data);
    try {
      showResults("walkthrough", { accuracy: 0.5 });
    } finally {
      delete g[key];
    }
    assert.equal(sent.length, 1);
    assert.equal((sent[0]![RESULTS_MIME] as NotebookResults).metrics.accuracy, 0.5);
  });
});
