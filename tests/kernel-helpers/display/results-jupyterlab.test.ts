import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { resultsBundle } from "kernel-helpers";
import { useLab } from "../../support/jupyterlab";
import { artifactsDir } from "../../support/project";

/** A saved notebook (untrusted: no signature) whose last output is a showResults() summary. */
function summaryNotebook(): Record<string, unknown> {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "seqlab", display_name: "TypeScript (seqlab)", language: "typescript" } },
    cells: [
      {
        cell_type: "code",
        execution_count: 1,
        id: "cell-1",
        metadata: {},
        source: "showResults(\"lesson 2\", { ... });",
        outputs: [{ output_type: "display_data", data: resultsBundle("lesson 2", { "LSTM accuracy": 0.9987, verdict: "LSTM learns it" }), metadata: {} }],
      },
    ],
  };
}

describe("showResults() output in JupyterLab", function () {
  this.timeout(180_000);
  const session = useLab(() => ({ "summary.ipynb": summaryNotebook() }));

  it("shows the summary as a table (the JSON MIME type has no renderer and stays out of sight)", async () => {
    const page = session.page();
    await page.goto(`${session.lab().baseUrl}/lab/tree/summary.ipynb?token=${session.lab().token}`);
    const table = page.locator(".jp-OutputArea-output.jp-RenderedHTML table");
    await table.first().waitFor({ timeout: 90_000 });
    assert.equal(await table.count(), 1);
    const cells = await table.locator("td").allInnerTexts();
    assert.deepEqual(cells.map((c) => c.trim()), ["LSTM accuracy", "0.9987", "verdict", "LSTM learns it"]);
    assert.match((await table.locator("caption").innerText()).trim(), /^lesson 2 — results \((quick|full) mode\)$/);
    const outputText = await page.locator(".jp-OutputArea-output").allInnerTexts();
    assert.ok(!outputText.join("\n").includes('"metrics"'), "the raw JSON is shown");
    fs.mkdirSync(artifactsDir, { recursive: true });
    await page.screenshot({ path: path.join(artifactsDir, "results-jupyterlab.png") });
  });
});
