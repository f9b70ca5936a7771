import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { plots, toMimeBundle } from "kernel-helpers";
import { useLab } from "../../support/jupyterlab";
import { artifactsDir } from "../../support/project";

/** A notebook with saved outputs and no signature: JupyterLab opens it untrusted. */
function untrustedNotebook(): Record<string, unknown> {
  const plot = toMimeBundle(plots.history({ loss: [1, 0.6, 0.4], val_loss: [1.1, 0.8, 0.7] }));
  const vega = toMimeBundle({ mark: "bar", data: { values: [{ m: "a", v: 1 }, { m: "b", v: 2 }] }, encoding: { x: { field: "m", type: "nominal" }, y: { field: "v", type: "quantitative" } } });
  const cell = (source: string, data: Record<string, unknown>, n: number) => ({
    cell_type: "code",
    execution_count: n,
    id: `cell-${n}`,
    metadata: {},
    source,
    outputs: [{ output_type: "display_data", data, metadata: {} }],
  });
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "seqlab", display_name: "TypeScript (seqlab)", language: "typescript" } },
    cells: [cell("show(plots.history(h));", plot, 1), cell("show(spec);", vega, 2)],
  };
}

describe("show() output in JupyterLab", function () {
  this.timeout(180_000);
  const session = useLab(() => ({ "untrusted.ipynb": untrustedNotebook() }));

  it("draws a Plotly figure and a Vega-Lite chart of an untrusted notebook with their own renderers", async () => {
    const page = session.page();
    await page.goto(`${session.lab().baseUrl}/lab/tree/untrusted.ipynb?token=${session.lab().token}`);
    // seqlab's Plotly renderer (src/labextension) and JupyterLab's own Vega-Lite renderer.
    await page.locator(".jp-OutputArea-output.seqlab-RenderedPlotly.js-plotly-plot .main-svg").first().waitFor({ timeout: 90_000 });
    await page.locator(".jp-OutputArea-output.jp-RenderedVegaLite :is(svg, canvas)").first().waitFor({ timeout: 60_000 });
    assert.equal(await page.locator(".jp-OutputArea-output.jp-RenderedPlotly").count(), 1);
    assert.equal(await page.locator(".jp-OutputArea-output.jp-RenderedHTML").count(), 0, "not the HTML fallback of either bundle");
    fs.mkdirSync(artifactsDir, { recursive: true });
    await page.screenshot({ path: path.join(artifactsDir, "plots-jupyterlab-untrusted.png") });
  });
});
