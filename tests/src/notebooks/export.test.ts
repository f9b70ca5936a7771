import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { executeNotebooks } from "../../../src/notebooks/execute";
import { launchBrowser } from "../../support/browser";
import { artifactsDir, projectRoot } from "../../support/project";

const PLOTLY = "application/vnd.plotly.v1+json";
const VEGA_TYPES = ["application/vnd.vegalite.v5+json", "application/vnd.vega.v5+json"];
const fixture = path.join(projectRoot, "tests", "fixtures", "plots", "gallery.ipynb");

interface Output {
  output_type: string;
  data?: Record<string, unknown>;
}
interface Notebook {
  cells: Array<{ cell_type: string; source: string | string[]; outputs?: Output[] }>;
}

/** Joins nbformat's multi-line strings (stored as lists of lines). */
const text = (v: unknown): string => (Array.isArray(v) ? v.join("") : String(v ?? ""));

/** Plotly outputs the gallery draws: live training, history, forecast, series, confusion, compare, gradients, distribution, samples. */
const PLOTS = 9;

describe("seqlab export of plots (gallery notebook)", function () {
  this.timeout(240_000);
  let dir = "";
  let nb: Notebook;
  let html = "";

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-export-"));
    const job = { input: fixture, ipynb: path.join(dir, "gallery.ipynb"), html: path.join(dir, "gallery.html") };
    const [result] = await executeNotebooks([job], { env: { SEQLAB_QUICK: "1" }, timeout: 180 });
    assert.equal(result!.status, "ok", JSON.stringify(result!.error));
    nb = JSON.parse(fs.readFileSync(job.ipynb, "utf8")) as Notebook;
    html = fs.readFileSync(job.html, "utf8");
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("the executed notebook holds every figure as Plotly JSON + SVG + HTML + text", () => {
    const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
    const plots = outputs.filter((o) => o.data && PLOTLY in o.data);
    assert.equal(plots.length, PLOTS);
    for (const o of plots) {
      assert.deepEqual(Object.keys(o.data!).sort(), [PLOTLY, "image/svg+xml", "text/html", "text/plain"].sort());
      assert.ok(text(o.data!["image/svg+xml"]).startsWith("<svg "));
    }
    assert.equal(outputs.filter((o) => o.data && VEGA_TYPES.some((t) => t in o.data!)).length, 2);
    assert.ok(outputs.some((o) => text(o.data?.["text/html"]).includes('<table class="dataframe">')));
    assert.ok(outputs.some((o) => text(o.data?.["text/plain"]).includes("Total params: ")));
  });

  it("live training leaves exactly one output per fit, holding the final curves", () => {
    const cell = nb.cells.find((c) => [c.source].flat().join("").includes("liveTraining("))!;
    const outputs = (cell.outputs ?? []).filter((o) => o.output_type === "display_data");
    assert.equal(outputs.length, 1);
    const fig = outputs[0]!.data![PLOTLY] as { data: Array<{ y: unknown[] }>; layout: { title: { text: string } } };
    assert.equal(fig.data.length, 4, "loss and mae, train and validation");
    assert.ok(fig.data.every((t) => t.y.length === 3), "3 epochs on every curve");
    assert.match(fig.layout.title.text, /done: 3 epochs/);
  });

  it("the HTML embeds plotly.js, Vega and MathJax once per file and loads nothing from a CDN", () => {
    assert.equal((html.match(/window\.MathJax = \{/g) ?? []).length, 1);
    assert.equal(html.split("* plotly.js v").length - 1, 1);
    assert.equal((html.match(/<script type="text\/javascript">!function\(t,e\)\{"object"==typeof exports&&"undefined"!=typeof module\?e\(exports\)/g) ?? []).length, 1, "vega.min.js once");
    assert.equal((html.match(/<script[^>]+src=/g) ?? []).length, 0, "every script is inline");
    assert.ok(!/<link[^>]+href=["']https?:/.test(html), "no stylesheet from the network");
  });

  it("the HTML draws every plot in Chromium with the network off, without console errors", async () => {
    const browser = await launchBrowser({ offline: true });
    const { page } = browser;
    try {
      await page.goto(`file://${path.join(dir, "gallery.html")}`);
      await page.waitForFunction((n) => document.querySelectorAll(".js-plotly-plot .main-svg").length >= n, PLOTS, { timeout: 30_000 });
      await page.waitForFunction(() => document.querySelectorAll(".seqlab-vega svg.marks").length >= 2, undefined, { timeout: 30_000 });
      assert.equal(await page.locator(".js-plotly-plot").count(), PLOTS);
      assert.equal(await page.locator(".seqlab-vega svg.marks").count(), 2);
      await page.waitForFunction(() => document.querySelectorAll("mjx-container svg").length >= 2, undefined, { timeout: 30_000 });
      assert.equal(await page.locator(".jp-MarkdownOutput mjx-container").count(), 2, "inline and display math, typeset offline");
      assert.deepEqual(browser.consoleErrors, []);
      assert.deepEqual(browser.externalRequests, []);
      fs.mkdirSync(artifactsDir, { recursive: true });
      await page.screenshot({ path: path.join(artifactsDir, "plots-gallery-export.png"), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it("the HTML shows a static picture of every plot when JavaScript is off", async () => {
    const browser = await launchBrowser({ offline: true, javaScriptEnabled: false });
    const { page } = browser;
    try {
      await page.goto(`file://${path.join(dir, "gallery.html")}`);
      assert.equal(await page.locator(".seqlab-plotly > img[src^=\"data:image/svg+xml;base64,\"]").count(), PLOTS);
      assert.equal(await page.locator(".js-plotly-plot").count(), 0);
    } finally {
      await browser.close();
    }
  });
});
