import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Page } from "playwright-core";
import { launchBrowser, type TestBrowser } from "../../support/browser";
import { startJupyterLab, type RunningLab } from "../../support/jupyterlab";
import { CURRENT_NOTEBOOK, growthsWhileRunning, openNotebook, runCommand, sampleCell, sampleWhileRunning, type OutputSample } from "../../support/lab-page";
import { artifactsDir, projectRoot } from "../../support/project";

const fixtures = path.join(projectRoot, "tests", "fixtures", "live");
const EPOCHS = 8;

const points = (s: OutputSample): number => s.points[0] ?? 0;
const sampleLines = (s: OutputSample): number => (s.text.match(/^sample after epoch \d+/gm) ?? []).length;

/** Gaps between consecutive samples, in ms. */
function gaps(samples: OutputSample[]): number[] {
  return samples.slice(1).map((s, i) => s.t - samples[i]!.t);
}

function describeSamples(samples: OutputSample[]): string {
  return samples.map((s) => `${s.t}ms${s.running ? "*" : ""}:${s.points.join("/")}`).join(" ");
}

async function screenshotFigure(page: Page, cellIndex: number, name: string): Promise<void> {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const figure = page.locator(`${CURRENT_NOTEBOOK} .jp-Cell`).nth(cellIndex).locator(".jp-RenderedPlotly").first();
  await figure.screenshot({ path: path.join(artifactsDir, name), timeout: 10_000 });
}

/** Runs every cell and samples the live training figure of cell 1, screenshotting it mid-fit and at the end. */
async function runLiveTraining(page: Page, command: string, prefix: string): Promise<OutputSample[]> {
  let shot = false;
  await runCommand(page, command);
  if (command === "notebook:restart-run-all") {
    await page.locator(".jp-Dialog .jp-mod-accept").click({ timeout: 30_000 });
  }
  const samples = await sampleWhileRunning(page, 1, {
    onSample: async (s) => {
      if (!shot && s.running && points(s) >= 3) {
        shot = true;
        await screenshotFigure(page, 1, `${prefix}-mid-fit.png`);
      }
    },
  });
  await screenshotFigure(page, 1, `${prefix}-end.png`);
  checkSampling(samples);
  return samples;
}

/** The sampler ran as designed: typically every 100 ms, and (even on a busy machine) mostly within 500 ms. */
function checkSampling(samples: OutputSample[]): void {
  const g = gaps(samples).sort((a, b) => a - b);
  const median = g[Math.floor(g.length / 2)] ?? 0;
  const late = g.filter((x) => x > 500).length;
  assert.ok(median <= 250 && late <= Math.max(2, g.length * 0.05), `sampling gaps: median ${median} ms, ${late} of ${g.length} over 500 ms (max ${g[g.length - 1]} ms)`);
}

function checkLiveTraining(samples: OutputSample[]): void {
  const trace = describeSamples(samples);
  const last = samples[samples.length - 1]!;
  assert.equal(last.points.length, 1, `one live figure in the training cell: ${trace}`);
  assert.ok(growthsWhileRunning(samples, points) >= 3, `the figure's point count grew at least 3 times during the fit: ${trace}`);
  assert.equal(points(last), EPOCHS, `the final figure shows every epoch: ${trace}`);
  assert.match(last.titles[0]!, /^Live test<br><sub>done: 8 epochs · /);
  assert.ok(samples.some((s) => s.running && /ETA \d/.test(s.titles[0] ?? "")), "the progress line showed an ETA during the fit");
  assert.ok(growthsWhileRunning(samples, sampleLines) >= 3, `text samples appeared during the fit: ${samples.map(sampleLines).join(",")}`);
  assert.equal(sampleLines(last), EPOCHS);
  assert.match(last.text, /fit finished/);
}

describe("live displays in JupyterLab (Chromium)", function () {
  this.timeout(900_000);
  let root = "";
  let lab: RunningLab | undefined;
  let browser: TestBrowser | undefined;

  before(async function () {
    // A scratch folder inside the project (out/ is git-ignored), so cells resolve the project's node_modules.
    fs.mkdirSync(path.join(projectRoot, "out"), { recursive: true });
    root = fs.mkdtempSync(path.join(projectRoot, "out", ".lab-live-"));
    for (const f of fs.readdirSync(fixtures)) fs.copyFileSync(path.join(fixtures, f), path.join(root, f));
    lab = await startJupyterLab(root);
    browser = await launchBrowser();
  });

  afterEach(async function () {
    if (this.currentTest?.state === "failed" && browser) {
      fs.mkdirSync(artifactsDir, { recursive: true });
      await browser.page.screenshot({ path: path.join(artifactsDir, `live-failure-${Date.now()}.png`) }).catch(() => undefined);
      console.error(`--- JupyterLab log ---\n${lab?.log().slice(-3000)}\n--- page errors ---\n${browser.consoleErrors.join("\n")}`);
    }
  });

  after(async () => {
    await browser?.close();
    await lab?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it("liveTraining's curve, progress line and printed samples move during the fit and end at every epoch", async () => {
    const { page } = browser!;
    await openNotebook(page, lab!, "live-training.ipynb");
    checkLiveTraining(await runLiveTraining(page, "notebook:run-all-cells", "live-training"));
    assert.equal(await page.locator(`${CURRENT_NOTEBOOK} .seqlab-RenderedPlotly`).count(), 1, "drawn by seqlab's renderer");
    assert.deepEqual(browser!.consoleErrors.filter((e) => /plotly/i.test(e)), [], "no renderer errors in the page");

    // What is saved is the final state: one display output with every epoch.
    await runCommand(page, "docmanager:save");
    await page.waitForFunction(() => !document.querySelector(".jp-mod-dirty"), undefined, { timeout: 30_000 }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1000));
    const saved = JSON.parse(fs.readFileSync(path.join(root, "live-training.ipynb"), "utf8")) as {
      cells: Array<{ outputs: Array<{ output_type: string; data?: Record<string, { data: Array<{ x: number[] }>; layout: { title: { text: string } } }> }> }>;
    };
    const displays = saved.cells[1]!.outputs.filter((o) => o.output_type === "display_data");
    assert.equal(displays.length, 1);
    const fig = displays[0]!.data!["application/vnd.plotly.v1+json"]!;
    assert.equal(fig.data[0]!.x.length, EPOCHS);
    assert.match(fig.layout.title.text, /done: 8 epochs/);
    assert.equal(Object.keys(displays[0]!.data!).includes("image/png"), false, "the renderer adds nothing to the saved output");

    // Reopened in JupyterLab (a fresh page), the saved notebook shows the final figure.
    await openNotebook(page, lab!, "live-training.ipynb");
    await page.locator(`${CURRENT_NOTEBOOK} .jp-Cell`).nth(1).locator(".js-plotly-plot .main-svg").first().waitFor({ timeout: 60_000 });
    const reopened = await sampleCell(page, 1);
    assert.deepEqual(reopened.points, [EPOCHS]);
    assert.match(reopened.titles[0]!, /done: 8 epochs/);

    // And the HTML export of the saved notebook, opened with the network off, shows the same final figure.
    const out = path.join(root, "export");
    const exported = spawnSync(process.execPath, [path.join(projectRoot, "dist", "src", "cli.js"), "export", path.join(root, "live-training.ipynb"), "--out", out], { encoding: "utf8" });
    assert.equal(exported.status, 0, exported.stdout + exported.stderr);
    const offline = await launchBrowser({ offline: true });
    try {
      await offline.page.goto(`file://${path.join(out, "live-training.html")}`);
      await offline.page.waitForSelector(".js-plotly-plot .main-svg", { timeout: 60_000 });
      const shown = await offline.page.evaluate(() => {
        const gd = document.querySelector(".js-plotly-plot") as (HTMLElement & { data?: Array<{ x: unknown[] }>; layout?: { title?: { text?: string } } }) | null;
        return { points: gd?.data?.[0]?.x.length ?? 0, title: gd?.layout?.title?.text ?? "", figures: document.querySelectorAll(".js-plotly-plot").length };
      });
      assert.deepEqual({ points: shown.points, figures: shown.figures }, { points: EPOCHS, figures: 1 });
      assert.match(shown.title, /done: 8 epochs/);
      await offline.page.screenshot({ path: path.join(artifactsDir, "live-training-export-offline.png"), fullPage: true });
    } finally {
      await offline.close();
    }
  });

  it("the same after a kernel restart (Restart Kernel and Run All)", async () => {
    const { page } = browser!;
    checkLiveTraining(await runLiveTraining(page, "notebook:restart-run-all", "live-training-restarted"));
  });

  it("display(value, {id, update: true}) in a loop redraws a Plotly figure, a table and text", async () => {
    const { page } = browser!;
    await openNotebook(page, lab!, "display-loop.ipynb");
    await runCommand(page, "notebook:run-all-cells");
    let shot = false;
    const samples = await sampleWhileRunning(page, 0, {
      onSample: async (s) => {
        if (!shot && s.running && points(s) >= 3) {
          shot = true;
          await screenshotFigure(page, 0, "display-loop-mid.png");
        }
      },
    });
    await screenshotFigure(page, 0, "display-loop-end.png");
    checkSampling(samples);
    const trace = describeSamples(samples);
    const last = samples[samples.length - 1]!;
    const textStep = (s: OutputSample): number => Number(/text display: step (\d+) of 8/.exec(s.text)?.[1] ?? 0);
    assert.ok(growthsWhileRunning(samples, points) >= 3, `figure points grew during the loop: ${trace}`);
    assert.ok(growthsWhileRunning(samples, (s) => s.tableRows) >= 3, `table rows grew during the loop: ${samples.map((s) => s.tableRows).join(",")}`);
    assert.ok(growthsWhileRunning(samples, textStep) >= 3, `the text display changed during the loop: ${samples.map(textStep).join(",")}`);
    assert.equal(points(last), 8);
    assert.equal(last.titles[0], "step 8/8");
    assert.equal(last.tableRows, 8);
    assert.equal(textStep(last), 8);
    assert.equal((last.text.match(/text display:/g) ?? []).length, 1, "one text display, updated in place");
    assert.match(last.text, /loop finished/);

    // 200 updates sent back to back: the figure ends at the last one.
    await page.waitForFunction(
      (nb) => ((document.querySelectorAll(`${nb} .jp-Cell`)[1]?.querySelector(".js-plotly-plot") as { layout?: { title?: { text?: string } } } | null)?.layout?.title?.text ?? "") === "flood 200/200",
      CURRENT_NOTEBOOK,
      { timeout: 60_000 },
    );
    const flood = await sampleCell(page, 1);
    assert.deepEqual({ points: flood.points, titles: flood.titles }, { points: [200], titles: ["flood 200/200"] });
  });

  it("the stop button ends the fit: the curve keeps the epochs that ran and says it was interrupted", async () => {
    const { page } = browser!;
    await openNotebook(page, lab!, "interrupt-training.ipynb");
    await runCommand(page, "notebook:run-all-cells");
    let stoppedAt = -1;
    const samples = await sampleWhileRunning(page, 1, {
      onSample: async (s, all) => {
        if (stoppedAt < 0 && s.running && points(s) >= 4) {
          stoppedAt = all.length;
          await page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-NotebookPanel-toolbar [data-command='notebook:interrupt-kernel']").first().click();
        }
      },
    });
    assert.ok(stoppedAt > 0, `the fit never reached 4 points: ${describeSamples(samples)}`);
    const last = samples[samples.length - 1]!;
    // Nothing moves once the cell has ended.
    await new Promise((r) => setTimeout(r, 2000));
    const after = await sampleCell(page, 1);
    await screenshotFigure(page, 1, "live-training-interrupted.png");
    assert.ok(points(last) >= 4 && points(last) < 40, `stopped early: ${describeSamples(samples)}`);
    assert.equal(points(after), points(last), "the curve stays as it was when the cell ended");
    assert.match(last.titles[0]!, /interrupted (in|after) epoch \d+\/40: \d+ epochs? complete/);
    assert.match(last.text, /KeyboardInterrupt/);
    assert.doesNotMatch(last.text, /fit finished/);
  });
});
