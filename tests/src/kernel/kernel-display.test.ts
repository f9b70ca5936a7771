import { strict as assert } from "node:assert";
import { iopubOf, KernelDriver, type ExecuteResult, startTestKernel } from "./_kernel-driver";

function resultData(r: ExecuteResult): Record<string, unknown> {
  assert.equal(r.reply.status, "ok", `${r.reply.ename}: ${r.reply.evalue}`);
  const result = iopubOf(r, "execute_result");
  assert.ok(result, "no execute_result");
  assert.equal(result.content.execution_count, r.reply.execution_count);
  return result.content.data ?? {};
}

describe("seqlab kernel: rich results and displays", function () {
  this.timeout(180_000);
  let kernel: KernelDriver;

  before(async function () {
    kernel = await startTestKernel();
    const setup = await kernel.execute('import * as tf from "@tensorflow/tfjs-node";\nimport * as dfd from "danfojs-node";');
    assert.equal(setup.reply.status, "ok", setup.reply.evalue);
  });
  after(async () => {
    await kernel?.stop();
  });

  it("plain values are text/plain through util.inspect", async () => {
    assert.deepEqual(resultData(await kernel.execute('({ a: 1, b: "two" })')), { "text/plain": "{ a: 1, b: 'two' }" });
    assert.deepEqual(resultData(await kernel.execute("null")), { "text/plain": "null" });
  });

  it("objects implementing Symbol.for(\"Jupyter.display\") give their bundle", async () => {
    const data = resultData(
      await kernel.execute('({ [Symbol.for("Jupyter.display")]() { return { "text/html": "<b>bold</b>", "text/markdown": "**bold**", "text/plain": "bold" }; } })'),
    );
    assert.deepEqual(data, { "text/html": "<b>bold</b>", "text/markdown": "**bold**", "text/plain": "bold" });
  });

  it("a Jupyter.display method returning a promise is awaited", async () => {
    const data = resultData(await kernel.execute('({ async [Symbol.for("Jupyter.display")]() { return { "text/html": "<i>later</i>" }; } })'));
    assert.equal(data["text/html"], "<i>later</i>");
    assert.equal(typeof data["text/plain"], "string");
  });

  it("Plotly figures carry the Plotly MIME type, a static SVG, an HTML fallback using window.Plotly, and text", async () => {
    const data = resultData(await kernel.execute('({ data: [{ x: [1, 2, 3], y: [3, 1, 2], type: "scatter" }], layout: { title: { text: "Loss" } } })'));
    assert.deepEqual(Object.keys(data).sort(), ["application/vnd.plotly.v1+json", "image/svg+xml", "text/html", "text/plain"]);
    const fig = data["application/vnd.plotly.v1+json"] as { data: unknown[]; layout: { title: { text: string } } };
    assert.deepEqual(fig.data, [{ x: [1, 2, 3], y: [3, 1, 2], type: "scatter" }]);
    assert.equal(fig.layout.title.text, "Loss");
    assert.match(String(data["image/svg+xml"]), /^<svg /);
    assert.match(String(data["text/html"]), /Plotly\.newPlot/);
    assert.match(String(data["text/plain"]), /Loss/);
  });

  it("tf tensors show shape, dtype and values", async () => {
    const data = resultData(await kernel.execute("tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32')"));
    assert.equal(data["text/plain"], "Tensor int32 [2,2]  (min 1, max 4, mean 2.5)\n[[1, 2],\n [3, 4]]");
    assert.match(String(data["text/html"]), /int32/);
  });

  it("large tensors are summarised", async () => {
    const text = String(resultData(await kernel.execute("tf.range(0, 1000)"))["text/plain"]);
    assert.ok(text.startsWith("Tensor float32 [1000]  (min 0, max 999, mean 499.5)\n[0, 1, 2, ..., 997, 998, 999]"), text);
  });

  it("tfjs models show their summary as a table", async () => {
    const data = resultData(
      await kernel.execute('const m = tf.sequential({ name: "tiny", layers: [tf.layers.dense({ units: 4, inputShape: [3], name: "hidden" }), tf.layers.dense({ units: 1, name: "out" })] });\nm'),
    );
    const html = String(data["text/html"]);
    assert.match(html, /Model: &quot;tiny&quot;|Model: "tiny"/);
    assert.match(html, /<td>hidden \(Dense\)<\/td><td>\(None, 4\)<\/td><td[^>]*>16<\/td>/);
    assert.match(html, /<td>out \(Dense\)<\/td><td>\(None, 1\)<\/td><td[^>]*>5<\/td>/);
    assert.match(html, /Total params: 21<br>Trainable params: 21<br>Non-trainable params: 0/);
    assert.match(String(data["text/plain"]), /Total params: 21/);
  });

  it("danfo DataFrames show shape, head and tail as an HTML table and text", async () => {
    const data = resultData(
      await kernel.execute("new dfd.DataFrame({ a: Array.from({ length: 12 }, (_, i) => i), b: Array.from({ length: 12 }, (_, i) => `r${i}`) })"),
    );
    const html = String(data["text/html"]);
    assert.match(html, /<tr><th><\/th><th>a<\/th><th>b<\/th><\/tr>/);
    assert.match(html, /<tr><th>0<\/th><td>0<\/td><td>r0<\/td><\/tr>/);
    assert.match(html, /<tr><th>4<\/th><td>4<\/td><td>r4<\/td><\/tr><tr><th>…<\/th><td>…<\/td><td>…<\/td><\/tr><tr><th>7<\/th>/);
    assert.match(html, /<tr><th>11<\/th><td>11<\/td><td>r11<\/td><\/tr>/);
    assert.doesNotMatch(html, /<th>5<\/th>/);
    assert.match(html, /DataFrame: 12 rows × 2 columns/);
    assert.match(String(data["text/plain"]), /^DataFrame 12 rows × 2 columns\n/);
    assert.match(String(data["text/plain"]), /\n11 {2}11 {2}r11$/);
  });

  it("danfo Series are tables too", async () => {
    const data = resultData(await kernel.execute("new dfd.Series([1.5, 2.5, 3.5])"));
    assert.match(String(data["text/html"]), /<tr><th>2<\/th><td>3\.5<\/td><\/tr>/);
    assert.match(String(data["text/html"]), /Series: 3 rows/);
  });

  it("the display channel sends multi-MIME display_data and updates it in place by id", async () => {
    const r = await kernel.execute(
      'const sink = (globalThis as any)[Symbol.for("seqlab.kernel.display")];\n' +
        'sink({ data: { "text/html": "<p>epoch 1</p>", "text/plain": "epoch 1" }, metadata: { "text/html": { isolated: false } }, transient: { display_id: "progress" } }, false);\n' +
        'sink({ data: { "text/html": "<p>epoch 2</p>", "text/plain": "epoch 2" }, metadata: {}, transient: { display_id: "progress" } }, true);',
    );
    assert.equal(r.reply.status, "ok");
    const shown = r.iopub.filter((m) => m.msg_type === "display_data" || m.msg_type === "update_display_data");
    assert.deepEqual(shown, [
      { msg_type: "display_data", content: { data: { "text/html": "<p>epoch 1</p>", "text/plain": "epoch 1" }, metadata: { "text/html": { isolated: false } }, transient: { display_id: "progress" } } },
      { msg_type: "update_display_data", content: { data: { "text/html": "<p>epoch 2</p>", "text/plain": "epoch 2" }, metadata: {}, transient: { display_id: "progress" } } },
    ]);
  });

  it("an update without a display id is an error of the cell", async () => {
    const r = await kernel.execute('sink({ data: { "text/plain": "x" }, metadata: {} }, true);');
    assert.equal(r.reply.status, "error");
    assert.equal(r.reply.ename, "TypeError");
    assert.match(r.reply.evalue ?? "", /display_id/);
  });

  it("kernel-helpers' displayBundle reaches the notebook through the channel", async () => {
    const r = await kernel.execute('import { displayBundle } from "kernel-helpers";\nconst id = displayBundle({ "text/html": "<b>a</b>", "text/plain": "a" });\ndisplayBundle({ "text/plain": "b" }, { id, update: true });');
    assert.equal(r.reply.status, "ok", r.reply.evalue);
    const [first, second] = r.iopub.filter((m) => m.msg_type.endsWith("display_data"));
    assert.equal(first?.msg_type, "display_data");
    assert.deepEqual(first?.content.data, { "text/html": "<b>a</b>", "text/plain": "a" });
    assert.equal(second?.msg_type, "update_display_data");
    assert.equal(second?.content.transient?.display_id, first?.content.transient?.display_id);
  });
});
