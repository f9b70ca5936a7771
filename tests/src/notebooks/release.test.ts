import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findNotebooks } from "../../../src/notebooks/discover";
import { releaseFile, releaseNotebook, STUDENT_STUB } from "../../../src/notebooks/release";
import { projectRoot } from "../../support/project";

const code = (source: string, tags?: string[]) => ({
  cell_type: "code",
  source,
  metadata: tags ? { tags } : {},
  outputs: [{ output_type: "stream", name: "stdout", text: "secret output\n" }],
  execution_count: 3,
});

describe("seqlab release", () => {
  it("releaseNotebook() stubs solution cells, clears every output and keeps the rest", () => {
    const solution = {
      nbformat: 4,
      metadata: { kernelspec: { name: "seqlab" } },
      cells: [{ cell_type: "markdown", source: "**Task 1.** Build it.", metadata: {} }, code("const data = load();"), code("const model = secretAnswer();", ["solution"])],
    };
    const { notebook, result } = releaseNotebook(solution);
    assert.deepEqual(result, { stubbed: 1, codeCells: 2 });
    assert.equal(notebook.cells[0]!.source, "**Task 1.** Build it.");
    assert.equal(notebook.cells[1]!.source, "const data = load();");
    assert.equal(notebook.cells[2]!.source, STUDENT_STUB);
    assert.deepEqual(notebook.cells[2]!.metadata?.tags, ["student-task"]);
    for (const c of notebook.cells.slice(1)) {
      assert.deepEqual(c.outputs, []);
      assert.equal(c.execution_count, null);
    }
    assert.ok(!JSON.stringify(notebook).includes("secret"), "nothing of the solution or its outputs survives");
    assert.equal(solution.cells[2]!.source, "const model = secretAnswer();", "the input is not modified");
  });

  it("releaseFile() refuses a notebook with no solution cell, which would give the answers away", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-release-"));
    const input = path.join(dir, "a.ipynb");
    fs.writeFileSync(input, JSON.stringify({ cells: [code("answer()")] }));
    assert.throws(() => releaseFile(input, path.join(dir, "out.ipynb")), /no cell is tagged "solution"/);
    assert.throws(() => releaseFile(path.join(dir, "missing.ipynb"), path.join(dir, "x.ipynb")), /no such notebook/);
  });

  it("every assignment has task cells, and `seqlab release` writes student versions without their code", () => {
    const assignments = findNotebooks(path.join(projectRoot, "notebooks", "assignments"));
    assert.ok(assignments.length > 0, "no assignments under notebooks/assignments");
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-release-"));
    const r = spawnSync(process.execPath, [path.join(projectRoot, "dist", "src", "cli.js"), "release", "--out", out], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    for (const input of assignments) {
      const rel = path.relative(path.join(projectRoot, "notebooks"), input);
      const solution = JSON.parse(fs.readFileSync(input, "utf8")) as { cells: Array<{ source: string | string[]; metadata?: { tags?: string[] } }> };
      const student = fs.readFileSync(path.join(out, rel), "utf8");
      const tasks = solution.cells.filter((c) => c.metadata?.tags?.includes("solution"));
      assert.ok(tasks.length > 0, `${rel} has no cell tagged "solution"`);
      for (const task of tasks) {
        const longest = [task.source].flat().join("").split("\n").sort((a, b) => b.length - a.length)[0]!;
        assert.ok(!student.includes(JSON.stringify(longest).slice(1, -1)), `${rel} leaks: ${longest}`);
      }
      assert.match(r.stdout, new RegExp(`released ${rel.replace(/[.]/g, "\\.")} -> `));
    }
  });
});
