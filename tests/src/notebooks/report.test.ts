import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RESULTS_MIME as HELPERS_RESULTS_MIME } from "kernel-helpers";
import { courseResults, readNotebookSummary, RESULTS_MIME } from "../../../src/notebooks/report";
import { projectRoot } from "../../support/project";

function writeNotebook(dir: string, name: string, outputs: unknown[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify({ cells: [{ cell_type: "code", source: "", outputs }], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
  return file;
}

describe("course results (seqlab run --json)", () => {
  it("uses the MIME type kernel-helpers' showResults emits", () => {
    assert.equal(RESULTS_MIME, HELPERS_RESULTS_MIME);
  });

  it("readNotebookSummary() takes the last summary a notebook showed, and null without one", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-report-"));
    const first = { title: "draft", mode: "quick", metrics: { a: 1 } };
    const last = { title: "lesson 2", mode: "quick", metrics: { "LSTM accuracy": 0.99, verdict: "LSTM learns it" } };
    const nb = writeNotebook(dir, "a.ipynb", [
      { output_type: "stream", name: "stdout", text: ["hi\n"] },
      { output_type: "display_data", data: { [RESULTS_MIME]: first, "text/plain": "draft" }, metadata: {} },
      { output_type: "display_data", data: { [RESULTS_MIME]: last, "text/plain": "lesson 2" }, metadata: {} },
    ]);
    assert.deepEqual(readNotebookSummary(nb), { title: "lesson 2", metrics: last.metrics });
    assert.equal(readNotebookSummary(writeNotebook(dir, "b.ipynb", [])), null);
    assert.equal(readNotebookSummary(path.join(dir, "missing.ipynb")), null);
  });

  it("courseResults() lists notebook, mode, status, seconds and metrics in run order", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-report-"));
    const withSummary = writeNotebook(dir, "x.ipynb", [
      { output_type: "display_data", data: { [RESULTS_MIME]: { title: "walkthrough", mode: "full", metrics: { accuracy: 0.5 } } }, metadata: {} },
    ]);
    const without = writeNotebook(dir, "y.ipynb", []);
    const input = (rel: string) => path.join(projectRoot, "notebooks", rel);
    const data = courseResults(
      [
        { input: input("walkthroughs/stock.ipynb"), status: "ok", seconds: 12.345, error: null },
        { input: input("lessons/00-welcome.ipynb"), status: "failed", seconds: 3, error: {} },
      ],
      [withSummary, without],
      "full",
      new Date("2026-12-01T00:00:00Z"),
    );
    assert.deepEqual(data, {
      date: "2026-12-01T00:00:00.000Z",
      mode: "full",
      notebooks: [
        { notebook: "walkthroughs/stock.ipynb", mode: "full", status: "ok", seconds: 12.3, title: "walkthrough", metrics: { accuracy: 0.5 } },
        { notebook: "lessons/00-welcome.ipynb", mode: "full", status: "failed", seconds: 3, title: null, metrics: {} },
      ],
    });
  });
});
