import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { launchBrowser } from "../../support/browser";
import { startJupyterLab } from "../../support/jupyterlab";
import { notebookResults, plotlyFigures, runNotebook, type ExecutedNotebook } from "../../support/notebook";
import { artifactsDir, projectRoot } from "../../support/project";

const notebook = path.join(projectRoot, "notebooks", "lessons", "00-welcome.ipynb");

describe("notebooks/lessons/00-welcome.ipynb", function () {
  this.timeout(600_000);
  let run: ExecutedNotebook;

  before(async () => {
    run = await runNotebook(notebook, { quick: true });
  });

  it("runs through the seqlab kernel without errors", () => {
    assert.equal(run.result.status, "ok", JSON.stringify(run.result.error));
  });

  it("prints the native TensorFlow backend and its version", () => {
    assert.match(run.stdout, /^backend: tensorflow$/m);
    assert.match(run.stdout, /^TensorFlow 2\.21\.\d+ \(tfjs-node 4\.22\.0\)$/m);
  });

  it("trains the tiny LSTM with top-level await and the loss goes down", () => {
    const m = /trained 5 epochs: loss ([\d.]+) -> ([\d.]+)/.exec(run.stdout);
    assert.ok(m, run.stdout);
    assert.ok(Number(m[2]) < Number(m[1]), `loss did not fall: ${m[0]}`);
  });

  it("shows one Plotly chart of the loss with its fallbacks", () => {
    const figures = plotlyFigures(run);
    assert.equal(figures.length, 1);
    const trace = figures[0]!.data[0]!;
    assert.equal(trace.y?.length, 5);
    const bundle = run.bundles.find((b) => "application/vnd.plotly.v1+json" in b)!;
    assert.ok(typeof bundle["text/html"] === "string" && typeof bundle["text/plain"] === "string");
  });

  it("shows the Keras-to-TypeScript guide at work: model.summary(), tf.tidy frees its tensors, dispose() frees one", () => {
    assert.match(run.stdout, /\(LSTM\)\s+\[\[null,10,1\]\]\s+\[null,8\]\s+320/);
    assert.match(run.stdout, /^Total params: 329$/m);
    const tidy = /^tf\.tidy: mean prediction (\S+) \(the targets' mean is about 0\.5\); tensors before (\d+), after (\d+)$/m.exec(run.stdout);
    assert.ok(tidy, run.stdout);
    assert.equal(tidy[2], tidy[3], "tf.tidy left tensors behind");
    const alive = /^predictions: shape \[256,1\], tensors alive (\d+)$/m.exec(run.stdout);
    const after = /^after dispose\(\): tensors alive (\d+)$/m.exec(run.stdout);
    assert.ok(alive && after);
    assert.equal(Number(alive[1]), Number(tidy[3]) + 1);
    assert.equal(Number(after[1]), Number(tidy[3]));
    const guide = run.cells.find((c) => c.cell_type === "markdown" && [c.source].flat().join("").includes("From Keras to TypeScript"));
    assert.ok(guide, "the guide is missing");
    const text = [guide.source].flat().join("");
    for (const term of ["`await`", "`as`", "`!`", "`tf.tidy`", "`dispose`", "`model.summary()`", "tf.callbacks.earlyStopping", "padSequences", "trainTestSplit"]) {
      assert.ok(text.includes(term), `the guide does not mention ${term}`);
    }
  });

  it("emits its computed summary for seqlab run --json", () => {
    const [r] = notebookResults(run);
    assert.ok(r);
    const m = /trained 5 epochs: loss ([\d.]+) -> ([\d.]+)/.exec(run.stdout)!;
    assert.equal(r.metrics.backend, "tensorflow");
    assert.equal(r.metrics.epochs, 5);
    assert.equal((r.metrics["last loss"] as number).toFixed(4), m[2]);
    assert.equal(r.metrics.parameters, 329);
  });

  it("exports HTML whose chart renders in Chromium with the network off", async () => {
    const html = fs.readFileSync(run.html, "utf8");
    assert.doesNotMatch(html, /<script[^>]+src="https?:/, "the export loads a script from the network");
    const b = await launchBrowser({ offline: true });
    try {
      await b.page.goto(`file://${run.html}`);
      await b.page.waitForSelector(".js-plotly-plot .main-svg", { timeout: 30_000 });
      assert.equal(await b.page.locator(".js-plotly-plot").count(), 1);
      assert.equal(await b.page.locator(".js-plotly-plot .scatterlayer .trace").count(), 1);
      assert.match((await b.page.locator(".js-plotly-plot .gtitle").textContent()) ?? "", /Tiny LSTM: training loss/);
      fs.mkdirSync(artifactsDir, { recursive: true });
      await b.page.screenshot({ path: path.join(artifactsDir, "welcome-export-offline.png"), fullPage: true });
      assert.deepEqual(b.consoleErrors, []);
    } finally {
      await b.close();
    }
  });
});

describe("JupyterLab in Chromium", function () {
  this.timeout(600_000);

  it("opens the welcome notebook, runs all cells, and shows the printed text and the chart", async () => {
    // A scratch folder inside the project (out/ is git-ignored), so cells resolve the
    // project's node_modules (kernel-helpers, tfjs) as they do under notebooks/.
    fs.mkdirSync(path.join(projectRoot, "out"), { recursive: true });
    const root = fs.mkdtempSync(path.join(projectRoot, "out", ".lab-test-"));
    fs.copyFileSync(notebook, path.join(root, "00-welcome.ipynb"));
    const lab = await startJupyterLab(root, { renderAllCells: true });
    const b = await launchBrowser();
    try {
      await b.page.goto(`${lab.baseUrl}/lab/tree/00-welcome.ipynb?token=${lab.token}`);
      await b.page.waitForSelector(".jp-Notebook", { timeout: 60_000 });
      // Wait for the kernel to be idle before running.
      await b.page.waitForSelector(".jp-Notebook-ExecutionIndicator[data-status='idle']", { timeout: 120_000 });
      // Run > Run All Cells, once the notebook's kernel session is connected and answering.
      await b.page.evaluate(async () => {
        type Panel = { context: { ready: Promise<void> }; sessionContext: { ready: Promise<void>; session?: { kernel?: { info: Promise<unknown> } } } };
        const app = (window as unknown as { jupyterapp?: { shell: { currentWidget: unknown }; commands: { execute(id: string): Promise<unknown> } } }).jupyterapp;
        if (!app) throw new Error("window.jupyterapp is not exposed");
        const panel = app.shell.currentWidget as Panel;
        await panel.context.ready;
        await panel.sessionContext.ready;
        await panel.sessionContext.session?.kernel?.info;
        await app.commands.execute("notebook:run-all-cells");
      });
      const outputs = b.page.locator(".jp-OutputArea-output");
      // The last cell prints the results table; until it has run, JupyterLab keeps scrolling
      // to the running cell, so wait for it and for the kernel to be idle before reading.
      await outputs.filter({ hasText: "welcome — results" }).first().waitFor({ timeout: 300_000 });
      await b.page.waitForSelector(".jp-Notebook-ExecutionIndicator[data-status='idle']", { timeout: 120_000 });
      // Windowing is off for this test (renderAllCells): every cell is in the page.
      const cellCount = (JSON.parse(fs.readFileSync(notebook, "utf8")) as { cells: unknown[] }).cells.length;
      assert.equal(await b.page.locator(".jp-Notebook .jp-Cell").count(), cellCount);
      for (const expected of [/backend: tensorflow/, /TensorFlow 2\.21/, /trained \d+ epochs: loss/]) {
        const output = outputs.filter({ hasText: expected }).first();
        await output.waitFor({ timeout: 60_000 });
        assert.match(await output.innerText(), expected);
      }
      await b.page.waitForSelector(".jp-Notebook .js-plotly-plot .main-svg", { timeout: 60_000 });
      assert.equal(await b.page.locator(".js-plotly-plot").count(), 1);
      fs.mkdirSync(artifactsDir, { recursive: true });
      await b.page.screenshot({ path: path.join(artifactsDir, "welcome-jupyterlab.png"), fullPage: true });
    } catch (err) {
      fs.mkdirSync(artifactsDir, { recursive: true });
      await b.page.screenshot({ path: path.join(artifactsDir, "welcome-jupyterlab-failure.png") }).catch(() => undefined);
      throw new Error(`${String(err)}\n--- JupyterLab log ---\n${lab.log().slice(-3000)}`);
    } finally {
      await b.close();
      await lab.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
