import * as assert from "node:assert/strict";
import { CheckError, checkShape, checkTask, resetTaskResults, taskResults, type MimeBundle } from "kernel-helpers";

describe("checkTask()", () => {
  beforeEach(() => resetTaskResults());

  it("shows pass and fail with the message and the points so far, and re-throws a failure", async () => {
    const shown: MimeBundle[] = [];
    const display = (b: MimeBundle): void => void shown.push(b);
    const ok = await checkTask("task1-data", 2, () => checkShape([[1, 2]], [1, 2], "x"), { display });
    assert.deepEqual(ok, { id: "task1-data", points: 2, max: 2, passed: true, message: "" });
    await assert.rejects(
      checkTask("task2-model", 3, async () => checkShape([[1, 2]], [1, 3], "xTrain", "(MAXLEN)"), { display }),
      (e: unknown) => e instanceof CheckError && e.message === "xTrain has shape [1, 2]; expected [1, 3] (MAXLEN)",
    );
    assert.equal(shown[0]!["text/plain"], "✔ task1-data: passed (2/2 points)\nPoints so far: 2 of 2 in the 1 test cell run (1 passed). Hidden tests run when your notebook is graded.");
    assert.equal(
      shown[1]!["text/plain"],
      "✘ task2-model: failed (0/3 points): xTrain has shape [1, 2]; expected [1, 3] (MAXLEN)\nPoints so far: 2 of 5 in the 2 test cells run (1 passed). Hidden tests run when your notebook is graded.",
    );
    assert.match(String(shown[1]!["text/html"]), /✘ task2-model: failed/);
  });

  it("counts a re-run test cell once, with its latest result, and escapes HTML in messages", async () => {
    const shown: MimeBundle[] = [];
    const display = (b: MimeBundle): void => void shown.push(b);
    await assert.rejects(checkTask("t", 1, () => {
      throw new Error("<b>Not implemented</b>");
    }, { display }));
    assert.match(String(shown[0]!["text/html"]), /&lt;b&gt;Not implemented&lt;\/b&gt;/);
    await checkTask("t", 1, () => undefined, { display });
    assert.deepEqual(taskResults().map((r) => [r.id, r.points]), [["t", 1]]);
  });

  it("rejects a bad id or points with the argument named", async () => {
    await assert.rejects(checkTask("", 1, () => 0), /`id` must be a non-empty string/);
    await assert.rejects(checkTask("a", -1, () => 0), /`points` must be a non-negative number. Received: points=-1/);
  });
});
