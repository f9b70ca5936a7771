import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-node";
import * as dfd from "danfojs-node";
import { InvalidArgumentError, PLOTLY_MIME, VEGA_MIME, VEGALITE_MIMES, modelSummary, toMimeBundle } from "kernel-helpers";

describe("toMimeBundle()", () => {
  it("turns a Plotly figure into Plotly JSON, a static SVG, HTML with that SVG, and text", () => {
    const fig = { data: [{ x: [1, 2, 3], y: [3, 1, 2], type: "scatter", name: "loss" }], layout: { title: { text: "Loss" } } };
    const b = toMimeBundle(fig);
    assert.deepEqual(Object.keys(b), [PLOTLY_MIME, "image/svg+xml", "text/html", "text/plain"]);
    assert.deepEqual((b[PLOTLY_MIME] as { data: unknown }).data, fig.data);
    const svg = b["image/svg+xml"] as string;
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svg, /<polyline[^>]+points="[^"]+ [^"]+ [^"]+"/, "three points joined");
    assert.match(svg, />Loss</);
    const html = b["text/html"] as string;
    assert.ok(html.includes(svg), "the HTML shows the SVG until plotly.js replaces it");
    assert.match(html, /window\.Plotly/);
    assert.equal(b["text/plain"], 'Plotly figure "Loss" with 1 trace(s)');
  });

  it("escapes </script> inside figure data so the HTML cannot be broken out of", () => {
    const html = toMimeBundle({ data: [{ y: [1], name: "</script><b>x" }] })["text/html"] as string;
    assert.equal(html.split("</script>").length, 2, "only the closing tag of our own script");
  });

  it("gives no SVG for trace types it cannot draw, keeping the rest", () => {
    const b = toMimeBundle({ data: [{ type: "scatter3d", x: [1], y: [1], z: [1] }] });
    assert.equal(b["image/svg+xml"], undefined);
    assert.ok(PLOTLY_MIME in b && "text/html" in b);
  });

  it("sends Vega-Lite v5 specs and specs without $schema under the v5 MIME type, without HTML", () => {
    const spec = { mark: "bar", data: { values: [{ a: "x", b: 1 }] }, encoding: { x: { field: "a", type: "nominal" } } };
    const b = toMimeBundle(spec);
    assert.deepEqual(Object.keys(b), [VEGALITE_MIMES[5], "text/plain"]);
    assert.equal(b["text/plain"], "Vega-Lite chart (bar)");
    const v4 = toMimeBundle({ ...spec, $schema: "https://vega.github.io/schema/vega-lite/v4.json" });
    assert.ok(VEGALITE_MIMES[4] in v4);
  });

  it("compiles Vega-Lite v6 to a Vega 5 spec with the vega-lite package", () => {
    const b = toMimeBundle({
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      mark: "line",
      data: { values: [{ t: 1, v: 2 }, { t: 2, v: 3 }] },
      encoding: { x: { field: "t", type: "quantitative" }, y: { field: "v", type: "quantitative" } },
    });
    const vega = b[VEGA_MIME] as { $schema: string; marks: Array<{ type: string }> };
    assert.equal(vega.$schema, "https://vega.github.io/schema/vega/v5.json");
    assert.ok(vega.marks.some((m) => m.type === "line"));
  });

  it("shows a danfo DataFrame as an HTML table with shape, head and tail", () => {
    const df = new dfd.DataFrame({ a: Array.from({ length: 12 }, (_, i) => i), b: Array.from({ length: 12 }, (_, i) => `r${i}`) });
    const b = toMimeBundle(df);
    const html = b["text/html"] as string;
    assert.match(html, /<table class="dataframe">/);
    assert.match(html, /DataFrame: 12 rows × 2 columns/);
    assert.ok(html.includes("<td>r4</td>") && html.includes("<td>r7</td>") && !html.includes("<td>r5</td>"), "rows 0-4 and 7-11");
    const text = (b["text/plain"] as string).split("\n");
    assert.equal(text[0], "DataFrame 12 rows × 2 columns");
    assert.equal(text[1], "    a   b");
    assert.equal(text[7], "…   …   …");
  });

  it("summarises a tensor's dtype, shape and statistics, eliding large ones, without creating tensors", () => {
    const small = tf.tensor2d([[1, 2], [3, 4]]);
    const big = tf.range(0, 2000);
    const before = tf.memory().numTensors;
    const s = toMimeBundle(small)["text/plain"] as string;
    const l = toMimeBundle(big)["text/plain"] as string;
    assert.equal(tf.memory().numTensors, before);
    assert.equal(s, "Tensor float32 [2,2]  (min 1, max 4, mean 2.5)\n[[1, 2],\n [3, 4]]");
    assert.equal(l.split("\n")[1], "[0, 1, 2, …, 1997, 1998, 1999] (2000 values, flattened)");
    small.dispose();
    big.dispose();
  });

  it("shows a model as its summary table with Keras' parameter counts", () => {
    const model = tf.sequential({ layers: [tf.layers.lstm({ units: 8, inputShape: [10, 1] }), tf.layers.dense({ units: 1 })] });
    const summary = modelSummary(model);
    assert.equal(summary.totalParams, 329); // LSTM 4*(8*1 + 8*8 + 8) = 320, Dense 8 + 1
    assert.deepEqual(summary.layers.map((l) => [l.type, l.outputShape, l.params]), [["LSTM", [null, 8], 320], ["Dense", [null, 1], 9]]);
    const text = toMimeBundle(model)["text/plain"] as string;
    assert.match(text, /Total params: 329/);
    assert.match(text, /\(None, 8\)/);
    assert.match(toMimeBundle(model)["text/html"] as string, /<th>Output Shape<\/th>/);
    model.dispose();
  });

  it("uses an object's Symbol.for('Jupyter.display') bundle and rejects a non-bundle", () => {
    const value = { [Symbol.for("Jupyter.display")]: () => ({ "text/markdown": "**hi**" }) };
    assert.deepEqual(toMimeBundle(value), { "text/markdown": "**hi**" });
    assert.throws(() => toMimeBundle({ [Symbol.for("Jupyter.display")]: () => 5 }), InvalidArgumentError);
  });

  it("shows strings as themselves and other values with util.inspect", () => {
    assert.deepEqual(toMimeBundle("hello"), { "text/plain": "hello" });
    assert.deepEqual(toMimeBundle({ a: 1, b: [1, 2] }), { "text/plain": "{ a: 1, b: [ 1, 2 ] }" });
    assert.deepEqual(toMimeBundle(undefined), { "text/plain": "undefined" });
  });
});
