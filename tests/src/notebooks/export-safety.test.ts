import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { executeNotebooks } from "../../../src/notebooks/execute";
import { launchBrowser, type TestBrowser } from "../../support/browser";
import { projectRoot } from "../../support/project";

/**
 * tests/fixtures/export/hostile.ipynb (made by make_hostile.py next to it) carries, in markdown,
 * raw cells, every kind of output, cell tags and notebook metadata, the script vectors an
 * export must neutralize. Each vector, if it ran, would append its name to `top.pwned`.
 */
const fixture = path.join(projectRoot, "tests", "fixtures", "export", "hostile.ipynb");
const BREAKOUT = "</script><script>top.pwned=(top.pwned||[]).concat('plotly-breakout')</script>";

/** Opens an export offline and waits for Plotly, Vega and MathJax to have drawn, and for delayed handlers. */
async function open(file: string): Promise<TestBrowser> {
  const browser = await launchBrowser({ offline: true });
  await browser.page.goto(`file://${file}`);
  await browser.page.waitForFunction(() => document.querySelectorAll(".js-plotly-plot .main-svg").length >= 1, undefined, { timeout: 30_000 });
  await browser.page.waitForFunction(() => document.querySelectorAll(".seqlab-vega svg.marks").length >= 1, undefined, { timeout: 30_000 });
  await browser.page.waitForFunction(() => document.querySelectorAll("mjx-container").length >= 2, undefined, { timeout: 30_000 });
  await browser.page.waitForTimeout(1500); // meta refresh, autofocus, media errors, toggles
  return browser;
}

/** What ran: the names the vectors recorded. */
async function pwned(browser: TestBrowser): Promise<string[]> {
  return browser.page.evaluate(() => ((window as unknown as { pwned?: string[] }).pwned ?? []).slice());
}

describe("seqlab export never runs the notebook's script (hostile notebook)", function () {
  this.timeout(240_000);
  let dir = "";

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-export-safety-"));
    const results = await executeNotebooks(
      [
        { input: fixture, ipynb: path.join(dir, "unused.ipynb"), html: path.join(dir, "hostile.html") },
      ],
      { execute: false, writeIpynb: false },
    );
    assert.equal(results[0]!.status, "ok", JSON.stringify(results[0]!.error));
    const trusted = await executeNotebooks(
      [{ input: fixture, ipynb: path.join(dir, "unused.ipynb"), html: path.join(dir, "trusted.html") }],
      { execute: false, writeIpynb: false, trusted: true },
    );
    assert.equal(trusted[0]!.status, "ok", JSON.stringify(trusted[0]!.error));
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("opened in Chromium with the network off, no vector runs, navigates or requests anything", async () => {
    const browser = await open(path.join(dir, "hostile.html"));
    const { page } = browser;
    try {
      assert.deepEqual(await pwned(browser), []);
      assert.equal(page.url(), `file://${path.join(dir, "hostile.html")}`, "no meta refresh or redirect");
      assert.equal(await page.title(), "</title><script>top.pwned=(top.pwned||[]).concat('nb-title')</script>", "the title is text");
      assert.deepEqual(browser.externalRequests, [], "no tracking pixel, stylesheet or fetch");
      const scriptLinks = await page.evaluate(() =>
        Array.from(document.querySelectorAll("*")).flatMap((el) =>
          ["href", "xlink:href"].map((n) => el.getAttribute(n) ?? "").filter((v) => /^\s*javascript:/i.test(v)).map((v) => `${el.tagName} ${v.slice(0, 40)}`)),
      );
      assert.deepEqual(scriptLinks, [], "no javascript: link, also none drawn by Plotly, Vega or MathJax");
    } finally {
      await browser.close();
    }
  });

  it("the exported page itself (as parsed, before any script) has no handler, script URL, frame, form or foreign script", async () => {
    const browser = await launchBrowser({ offline: true, javaScriptEnabled: false });
    try {
      await browser.page.goto(`file://${path.join(dir, "hostile.html")}`);
      const found = await browser.page.evaluate(() => {
        const main = document.querySelector("main")!;
        const all = Array.from(main.querySelectorAll("*"));
        return {
          handlers: all.flatMap((el) => Array.from(el.attributes).filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}[${a.name}]`)),
          urls: all.flatMap((el) =>
            ["href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"]
              .map((n) => el.getAttribute(n) ?? "")
              .filter((v) => /^\s*(javascript|vbscript|data:text)/i.test(v.replace(/[\t\n\r]/g, "")))),
          dangerous: Array.from(main.querySelectorAll("iframe, object, embed, base, meta, form, input, button, link, style, audio, video, marquee, math, svg, noscript, template"))
            .map((el) => el.tagName),
          scripts: Array.from(main.querySelectorAll("script")).map((s) => s.textContent!.slice(0, 18)),
          remoteImages: Array.from(main.querySelectorAll("img")).map((i) => i.getAttribute("src")).filter((s) => s !== null && !s.startsWith("data:image/")),
        };
      });
      assert.deepEqual(found.handlers, []);
      assert.deepEqual(found.urls, []);
      assert.deepEqual(found.dangerous, []);
      assert.deepEqual(found.scripts.sort(), ["(function(){var f=", "(function(){var s="], "only the exporter's own plot scripts");
      assert.deepEqual(found.remoteImages, []);
    } finally {
      await browser.close();
    }
  });

  it("the Plotly plot still renders with its data, strings that try to close the script intact", async () => {
    const browser = await open(path.join(dir, "hostile.html"));
    try {
      const plot = await browser.page.evaluate(() => {
        const el = document.querySelector(".js-plotly-plot") as HTMLElement & { data: Array<{ name: string; y: number[] }> };
        return { count: document.querySelectorAll(".js-plotly-plot").length, names: el.data.map((t) => t.name), y: el.data[0]!.y };
      });
      assert.equal(plot.count, 1);
      assert.deepEqual(plot.names, [BREAKOUT, "<!--<script>\u2028\u2029&amp;"]);
      assert.deepEqual(plot.y, [3, 1, 2]);
      const vega = await browser.page.locator(".seqlab-vega svg").first().textContent();
      assert.match(vega ?? "", /<\/script><script>top\.pwned/, "the Vega title shows as text");
    } finally {
      await browser.close();
    }
  });

  it("harmless markup, attachments, styles and math are kept; TeX \\href gives no link", async () => {
    const browser = await open(path.join(dir, "hostile.html"));
    try {
      const kept = await browser.page.evaluate(() => ({
        kept: Array.from(document.querySelectorAll("main p.kept")).map((p) => p.textContent),
        details: document.querySelectorAll("main details summary").length,
        red: Array.from(document.querySelectorAll<HTMLElement>("main div[style]")).filter((d) => d.textContent === "styled").map((d) => d.getAttribute("style")),
        attachment: document.querySelectorAll('.jp-MarkdownCell img[src^="data:image/png;base64,"]').length,
        svgAsImage: document.querySelectorAll('.jp-RenderedSVG img[src^="data:image/svg+xml;base64,"]').length,
        math: document.querySelectorAll(".jp-MarkdownOutput mjx-container").length,
        mathLinks: document.querySelectorAll("mjx-container a, mjx-container [href]").length,
        printed: document.body.textContent!.includes("<script>top.pwned=(top.pwned||[]).concat('stream')</script> printed"),
        removed: document.body.textContent!.includes("(output removed from this export: it would run script)"),
      }));
      assert.deepEqual(kept.kept, ["Kept bold text from md.", "Kept bold text from html."]);
      assert.equal(kept.details, 2);
      assert.deepEqual(kept.red, ["color:red", "color:red"], "presentational CSS kept, background url() removed");
      assert.equal(kept.attachment, 1);
      assert.equal(kept.svgAsImage, 1);
      assert.equal(kept.math, 2);
      assert.equal(kept.mathLinks, 0);
      assert.ok(kept.printed, "printed markup shows as text");
      assert.ok(kept.removed, "a script-only output says it was removed");
    } finally {
      await browser.close();
    }
  });

  it("a trusted export (trusted: true) keeps the notebook's HTML and script, so the vectors above are live", async () => {
    const browser = await launchBrowser({ offline: true });
    try {
      await browser.page.goto(`file://${path.join(dir, "trusted.html")}`);
      await browser.page.waitForTimeout(1500);
      const ran = await pwned(browser);
      for (const name of ["md-script", "md-img-onerror", "html-script", "html-img-onerror", "js-output", "plotly-html", "vega-html"]) {
        assert.ok(ran.includes(name), `${name} ran in the trusted export: ${ran.join(", ")}`);
      }
    } finally {
      await browser.close();
    }
  });
});
