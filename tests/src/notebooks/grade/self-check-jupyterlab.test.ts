import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { useLab } from "../../../support/jupyterlab";
import { artifactsDir, projectRoot } from "../../../support/project";
import { pastedRelease } from "./_submissions";

const mini = path.join(projectRoot, "tests", "fixtures", "grading", "mini.ipynb");

describe("a released assignment in JupyterLab: the student runs the public tests", function () {
  this.timeout(300_000);
  const session = useLab(() => ({
    "student.ipynb": pastedRelease(mini, {
      "task1-code": "function double(x: number): number {\n  return 2 * x;\n}",
      "task2-code": "const squares = [0, 1, 2, 3, 4];",
    }),
  }), { under: path.join(projectRoot, "out") });

  it("shows pass/fail with the message and the points so far under each test cell; test cells are read-only", async () => {
    const page = session.page();
    await page.goto(`${session.lab().baseUrl}/lab/tree/student.ipynb?token=${session.lab().token}`);
    await page.locator(".jp-Notebook .jp-Cell").first().waitFor({ timeout: 90_000 });
    await page.waitForFunction(() => !!(window as unknown as { jupyterapp?: unknown }).jupyterapp, undefined, { timeout: 60_000 });
    // Run All once the notebook's kernel is up (a command sent earlier would be lost).
    await page.evaluate(async () => {
      type App = { shell: { currentWidget: { sessionContext: { ready: Promise<void> } } }; commands: { execute(id: string): Promise<unknown> } };
      const app = (window as unknown as { jupyterapp: App }).jupyterapp;
      await app.shell.currentWidget.sessionContext.ready;
      await app.commands.execute("notebook:run-all-cells");
    });
    const failed = page.locator(".seqlab-check", { hasText: "t2-squares: failed" });
    await failed.waitFor({ timeout: 180_000 });
    const passed = page.locator(".seqlab-check", { hasText: "t1-double: passed" });
    assert.equal(await passed.innerText(), "✔ t1-double: passed (2/2 points)\nPoints so far: 2 of 2 in the 1 test cell run (1 passed). Hidden tests run when your notebook is graded.");
    assert.equal(
      await failed.innerText(),
      "✘ t2-squares: failed (0/3 points): squares is [0,1,2,3,4]; expected [0,1,4,9,16]\nPoints so far: 2 of 5 in the 2 test cells run (1 passed). Hidden tests run when your notebook is graded.",
    );
    // The failing test also fails its cell, with the same message, as the grader sees it.
    assert.match(await page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").last().innerText(), /CheckError: squares is \[0,1,2,3,4\]; expected \[0,1,4,9,16\]/);
    // Locked cells (given and tests) are not editable; the student's cells are.
    const editable = await page.evaluate(() => {
      const app = (window as unknown as { jupyterapp: { shell: { currentWidget: { content: { widgets: Array<{ model: { getMetadata(k: string): unknown; sharedModel: { getSource(): string } }; readOnly: boolean }> } } } } }).jupyterapp;
      return app.shell.currentWidget.content.widgets.map((w) => ({ source: w.model.sharedModel.getSource().slice(0, 30), readOnly: w.readOnly }));
    });
    assert.equal(editable.find((c) => c.source.startsWith('await checkTask("t1-double"'))?.readOnly, true);
    assert.equal(editable.find((c) => c.source.startsWith("const squares"))?.readOnly, false);
    fs.mkdirSync(artifactsDir, { recursive: true });
    await failed.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifactsDir, "grade-self-check-jupyterlab.png") });
  });
});
