import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { fixturesDir, plain, projectRoot, venvPython } from "./_kernel-driver";

interface CellRun {
  execution_count: number | null;
  outputs: Array<{ output_type: string; ename?: string; evalue?: string; traceback?: string[]; text?: string; data?: Record<string, unknown> }>;
}

describe("seqlab kernel under nbclient", function () {
  this.timeout(180_000);

  it("a notebook with failing cells run with allow_errors records proper error outputs and runs on", function () {
    if (!venvPython) throw new Error("the project's .venv (JupyterLab, nbclient) is missing: run `npm install` first");
    const out = execFileSync(venvPython, [path.join(projectRoot, "tests", "src", "kernel", "run_notebook.py"), path.join(fixturesDir, "failing-cells.ipynb")], {
      encoding: "utf8",
    });
    const cells = JSON.parse(out) as CellRun[];
    assert.deepEqual(cells.map((c) => c.execution_count), [1, 2, 3, 4]);
    assert.deepEqual(cells[0]?.outputs, [{ output_type: "execute_result", execution_count: 1, data: { "text/plain": "3" }, metadata: {} }]);

    const [thrown] = cells[1]?.outputs ?? [];
    assert.equal(thrown?.output_type, "error");
    assert.equal(thrown?.ename, "RangeError");
    assert.equal(thrown?.evalue, "division by zero");
    const tb = (thrown?.traceback ?? []).map(plain);
    assert.deepEqual(tb.slice(0, 3), ["RangeError: division by zero", "at divide (cell 2, line 2)", '     2 |   if (b === 0) throw new RangeError("division by zero");']);
    assert.ok(tb.includes("at cell 2, line 5"), tb.join("\n"));

    const [typeError] = cells[2]?.outputs ?? [];
    assert.equal(typeError?.ename, "TypeScriptError");
    assert.equal(typeError?.evalue, "cell 3, line 1: Type 'number' is not assignable to type 'string'. (TS2322)");

    assert.deepEqual(cells[3]?.outputs, [{ output_type: "stream", name: "stdout", text: "still running: 3\n" }]);
  });
});
