import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { launchBrowser, type TestBrowser } from "../../support/browser";
import { startJupyterLab, type RunningLab } from "../../support/jupyterlab";
import { CURRENT_NOTEBOOK, openNotebook, runCommand } from "../../support/lab-page";
import { artifactsDir, projectRoot } from "../../support/project";

const source = path.join(projectRoot, "notebooks", "assignments", "02-text-generation.ipynb");
const EPOCHS = 5; // quick mode

/** What the training cell shows at one moment (found by its content: JupyterLab renders only cells in view). */
interface TrainingView {
  running: boolean;
  /** Lines "epoch k: training ... sample at T=0.5: ..." printed so far. */
  epochLines: number;
  /** Points of the live figure's first (training loss) curve. */
  points: number;
}

async function readTraining(b: TestBrowser): Promise<TrainingView> {
  return b.page.evaluate((nb) => {
    type Gd = HTMLElement & { data?: Array<{ x?: unknown[] }>; layout?: { title?: { text?: string } } };
    const figure = (Array.from(document.querySelectorAll(`${nb} .js-plotly-plot`)) as Gd[]).find((g) => /Character LSTM: training/.test(g.layout?.title?.text ?? ""));
    const text = Array.from(document.querySelectorAll(`${nb} .jp-OutputArea-output.jp-RenderedText`)).map((e) => e.textContent ?? "").join("\n");
    return {
      running: Array.from(document.querySelectorAll(`${nb} .jp-InputPrompt`)).some((p) => (p.textContent ?? "").includes("*")),
      epochLines: (text.match(/^epoch \d+: training [\d.]+ nats\/char, validation [\d.]+ nats\/char = [\d.]+ bits\/char; sample at T=0\.5: ".*"$/gm) ?? []).length,
      points: figure?.data?.[0]?.x?.length ?? 0,
    };
  }, CURRENT_NOTEBOOK);
}

describe("assignment 2 in JupyterLab (Chromium), quick mode", function () {
  this.timeout(900_000);
  let root = "";
  let lab: RunningLab | undefined;
  let browser: TestBrowser | undefined;
  const quickBefore = process.env.SEQLAB_QUICK;

  before(async () => {
    // A scratch folder inside the project (out/ is git-ignored), so cells resolve the project's node_modules.
    fs.mkdirSync(path.join(projectRoot, "out"), { recursive: true });
    root = fs.mkdtempSync(path.join(projectRoot, "out", ".lab-a2-"));
    fs.copyFileSync(source, path.join(root, "02-text-generation.ipynb"));
    process.env.SEQLAB_QUICK = "1"; // the kernels JupyterLab starts inherit it
    lab = await startJupyterLab(root);
    browser = await launchBrowser();
  });

  after(async () => {
    if (quickBefore === undefined) delete process.env.SEQLAB_QUICK;
    else process.env.SEQLAB_QUICK = quickBefore;
    await browser?.close();
    await lab?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it("shows each epoch's losses and sample and a growing training chart while the reference solution trains, then the experiment table and chart", async () => {
    const b = browser!;
    try {
      await openNotebook(b.page, lab!, "02-text-generation.ipynb");
      await runCommand(b.page, "notebook:run-all-cells");
      // Sample the training cell while it runs (JupyterLab keeps the running cell in view).
      const seen: TrainingView[] = [];
      const started = Date.now();
      for (;;) {
        const v = await readTraining(b);
        seen.push(v);
        if (v.epochLines === EPOCHS && v.points === EPOCHS) break;
        assert.ok(Date.now() - started < 600_000, `training did not finish in the page: ${JSON.stringify(seen.slice(-3))}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const partial = seen.filter((v) => v.running && v.epochLines > 0 && v.epochLines < EPOCHS);
      assert.ok(new Set(partial.map((v) => v.epochLines)).size >= 2, `epoch lines appeared one by one during training: ${JSON.stringify(seen.map((v) => [v.epochLines, v.points]))}`);
      assert.ok(partial.some((v) => v.points > 0 && v.points < EPOCHS), "the live chart showed part of the epochs during training");

      // At the end: the experiment's results table (6 runs) and its bar chart, then the summary.
      const outputs = b.page.locator(`${CURRENT_NOTEBOOK} .jp-OutputArea-output`);
      await outputs.filter({ hasText: "assignment 2: text generation" }).first().waitFor({ timeout: 600_000 });
      await b.page.waitForSelector(".jp-Notebook-ExecutionIndicator[data-status='idle']", { timeout: 120_000 });
      const scroller = b.page.locator(".jp-WindowedPanel-outer").first();
      const table = outputs.filter({ hasText: "vs baseline (bits/char)" });
      await scroller.evaluate((el) => el.scrollTo(0, 0));
      for (let step = 0; step < 120 && (await table.count()) === 0; step++) {
        await scroller.evaluate((el) => el.scrollBy(0, el.clientHeight / 2));
        await b.page.waitForTimeout(150);
      }
      await table.first().waitFor({ timeout: 60_000 });
      assert.equal(await table.first().locator("tbody tr").count(), 6);
      // Shown on screen, not only in the DOM (JupyterLab skips rendering cells out of view: innerText is "" there).
      await table.first().scrollIntoViewIfNeeded();
      await b.page.waitForFunction((el) => (el as HTMLElement).innerText.includes("GRU"), await table.first().elementHandle(), { timeout: 30_000 });
      assert.match(await table.first().innerText(), /GRU[\s\S]*LSTM, dropout 0\.2/);
      const bars = b.page.locator(`${CURRENT_NOTEBOOK} .js-plotly-plot`).filter({ hasText: "Experiment: validation bits per character" });
      for (let step = 0; step < 10 && (await bars.count()) === 0; step++) {
        await scroller.evaluate((el) => el.scrollBy(0, el.clientHeight / 2));
        await b.page.waitForTimeout(150);
      }
      await bars.first().locator(".main-svg").first().waitFor({ timeout: 60_000 });
      assert.equal(await bars.first().locator(".barlayer .point").count(), 12, "6 runs × (bits per character, training time)");
      await bars.first().scrollIntoViewIfNeeded();
      fs.mkdirSync(artifactsDir, { recursive: true });
      await b.page.screenshot({ path: path.join(artifactsDir, "a2-jupyterlab-experiment.png") });
      assert.deepEqual(b.consoleErrors.filter((e) => /plotly/i.test(e)), [], "no renderer errors in the page");
    } catch (err) {
      fs.mkdirSync(artifactsDir, { recursive: true });
      await b.page.screenshot({ path: path.join(artifactsDir, "a2-jupyterlab-failure.png") }).catch(() => undefined);
      throw new Error(`${String(err)}\n--- JupyterLab log ---\n${lab!.log().slice(-3000)}`);
    }
  });
});
