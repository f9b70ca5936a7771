import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { executeNotebooks } from "../../../src/notebooks/execute";
import { launchBrowser } from "../../support/browser";

const LINES = 250_000;
/** One coloured training-log line, as a progress logger prints it. */
const line = (i: number): string => `\u001b[32mepoch\u001b[0m 1 batch ${i} \u001b[1;31mloss\u001b[0m 0.1234\n`;

describe("seqlab export of a notebook with a 10 MB coloured log", function () {
  this.timeout(300_000);
  let dir = "";
  let html = "";

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-export-long-"));
    const text = Array.from({ length: LINES }, (_, i) => line(i)).join("");
    assert.ok(text.length > 10_000_000);
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: "seqlab", display_name: "TypeScript (seqlab)", language: "typescript" } },
      cells: [
        {
          id: "long-log",
          cell_type: "code",
          execution_count: 1,
          metadata: {},
          source: "await model.fit(x, y, { epochs: 1, callbacks: logEveryBatch })",
          outputs: [{ output_type: "stream", name: "stdout", text }],
        },
      ],
    };
    const input = path.join(dir, "long.ipynb");
    fs.writeFileSync(input, JSON.stringify(nb));
    const [result] = await executeNotebooks([{ input, ipynb: path.join(dir, "unused.ipynb"), html: path.join(dir, "long.html") }], {
      execute: false,
      writeIpynb: false,
    });
    assert.equal(result!.status, "ok", JSON.stringify(result!.error));
    html = fs.readFileSync(path.join(dir, "long.html"), "utf8");
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("the page keeps the first and last 5,000 lines, in colour, and says how much it left out", async () => {
    const browser = await launchBrowser({ offline: true, javaScriptEnabled: false });
    try {
      await browser.page.goto(`file://${path.join(dir, "long.html")}`);
      const shown = await browser.page.locator(".jp-RenderedText pre").first().evaluate((pre) => ({
        text: pre.textContent!,
        green: pre.querySelectorAll("span.ansi-green-fg").length,
      }));
      const lines = shown.text.split("\n").filter((l) => l !== "");
      assert.equal(lines.length, 10_001);
      assert.equal(lines[0], "epoch 1 batch 0 loss 0.1234");
      assert.equal(lines[4_999], "epoch 1 batch 4999 loss 0.1234");
      assert.match(lines[5_000]!, /^\[\.\.\. 240,000 lines \([\d,]+ characters\) not shown in this page; the notebook \(\.ipynb\) holds the whole output \.\.\.\]$/);
      assert.equal(lines[5_001], "epoch 1 batch 245000 loss 0.1234");
      assert.equal(lines[10_000], `epoch 1 batch ${LINES - 1} loss 0.1234`);
      assert.equal(shown.green, 10_000, "every shown line keeps its colour");
    } finally {
      await browser.close();
    }
    assert.ok(html.length < 5_000_000, `page of ${html.length} characters`);
  });
});
