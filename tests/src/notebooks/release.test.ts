import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findNotebooks } from "../../../src/notebooks/discover";
import { cellChecksum, cellKind, cellText, type Notebook } from "../../../src/notebooks/grade/assignment";
import { releaseFile, releaseNotebook } from "../../../src/notebooks/release";
import { projectRoot } from "../../support/project";

const mini = path.join(projectRoot, "tests", "fixtures", "grading", "mini.ipynb");
const readNb = (file: string): Notebook => JSON.parse(fs.readFileSync(file, "utf8")) as Notebook;
const byId = (nb: Notebook, id: string) => nb.cells.find((c) => c.metadata.nbgrader?.grade_id === id)!;

describe("seqlab release", () => {
  it("releaseNotebook() stubs solution regions, removes hidden tests, empties written answers, clears outputs, locks with checksums", () => {
    const source = readNb(mini);
    byId(source, "setup").outputs = [{ output_type: "stream", name: "stdout", text: "secret output\n" }];
    const { notebook, result } = releaseNotebook(source, "mini.ipynb");
    assert.deepEqual(result, { stubbed: 3, codeCells: 6, hiddenRemoved: 1, autoPoints: 5, manualPoints: 2 });
    assert.equal(cellText(byId(notebook, "task1-code")), 'function double(x: number): number {\n  // YOUR CODE HERE\n  throw new Error("Not implemented");\n}');
    assert.equal(cellText(byId(notebook, "task2-code")), '// YOUR CODE HERE\nthrow new Error("Not implemented");');
    assert.equal(cellText(byId(notebook, "t1-double")), 'await checkTask("t1-double", 2, () => {\n  checkEqual(double(2), 4, "double(2)");\n});');
    assert.equal(cellText(byId(notebook, "t3-answer")), "YOUR ANSWER HERE");
    for (const cell of notebook.cells) {
      const kind = cellKind(cell);
      if (cell.cell_type === "code") assert.deepEqual([cell.outputs, cell.execution_count], [[], null]);
      if (kind === "given" || kind === "test") {
        assert.equal(cell.metadata.nbgrader?.locked, true);
        assert.equal(cell.metadata.editable, false, "JupyterLab keeps locked cells read-only");
        const { checksum, ...rest } = cell.metadata.nbgrader!;
        assert.equal(checksum, cellChecksum({ ...cell, metadata: { nbgrader: { ...rest } } }));
      } else assert.equal(cell.metadata.nbgrader?.locked, false);
    }
    const text = JSON.stringify(notebook);
    for (const secret of ["secret output", "2 * x", "i * i", "double(-3)", "HIDDEN", "BEGIN SOLUTION", "one multiplication"]) assert.ok(!text.includes(secret), `the release leaks ${secret}`);
    assert.deepEqual(Object.keys(notebook.metadata.seqlab ?? {}).sort(), ["assignment", "checksum", "mode", "seed"]);
    assert.equal(cellText(byId(source, "task1-code")).includes("2 * x"), true, "the input is not modified");
  });

  it("releaseNotebook() refuses a source students could not work, naming the cell and the fix", () => {
    const noText = readNb(mini);
    noText.cells.splice(2, 1); // the task text of Task 1
    assert.throws(() => releaseNotebook(noText, "a.ipynb"), /cell 2 \(student code\) has no task text right before it/);
    const unnamed = readNb(mini);
    byId(unnamed, "task2-text").source = "**Task 2.** Build the squares of 0 to 4.";
    assert.throws(() => releaseNotebook(unnamed, "a.ipynb"), /cell 7 \(test\) uses `squares`, defined in cell 6, but that task's text never asks for `squares` by name/);
    const badPoints = readNb(mini);
    byId(badPoints, "t1-double").metadata.nbgrader!.points = 4;
    assert.throws(() => releaseNotebook(badPoints, "a.ipynb"), /test cell "t1-double" \(4 points\) must call checkTask\("t1-double", 4, \.\.\.\)/);
    const noMeta = readNb(mini);
    delete noMeta.metadata.seqlab;
    assert.throws(() => releaseNotebook(noMeta, "a.ipynb"), /not an assignment source: its notebook metadata needs "seqlab"/);
    const open = readNb(mini);
    byId(open, "task2-code").source = "// BEGIN SOLUTION\nconst squares = [0];";
    assert.throws(() => releaseNotebook(open, "a.ipynb"), /is never closed/);
  });

  it("releaseFile() refuses a missing notebook", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-release-"));
    assert.throws(() => releaseFile(path.join(dir, "missing.ipynb"), path.join(dir, "x.ipynb")), /no such notebook/);
  });

  it("`seqlab release` writes every assignment without its solutions, hidden tests or the instructor's written answers", () => {
    const assignments = findNotebooks(path.join(projectRoot, "notebooks", "assignments"));
    assert.equal(assignments.length, 3);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-release-"));
    const r = spawnSync(process.execPath, [path.join(projectRoot, "dist", "src", "cli.js"), "release", "--out", out], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    for (const input of assignments) {
      const rel = path.relative(path.join(projectRoot, "notebooks"), input);
      const source = readNb(input);
      const student = fs.readFileSync(path.join(out, rel), "utf8");
      const secrets = source.cells.flatMap((c) => {
        const kind = cellKind(c);
        const text = cellText(c);
        const regions = [...text.matchAll(/\/\/ BEGIN SOLUTION\n([\s\S]*?)\/\/ END SOLUTION/g)].map((m) => m[1]!).join("\n");
        if (kind === "solution" || kind === "manual") return (regions || text).split("\n").filter((l) => l.trim().length > 25);
        if (kind === "test") return (/\/\/ BEGIN HIDDEN TESTS\n([\s\S]*?)\/\/ END HIDDEN TESTS/.exec(text)?.[1] ?? "").split("\n").filter((l) => l.trim().length > 25);
        return [];
      });
      assert.ok(secrets.length > 10, rel);
      const publicText = readNb(path.join(out, rel)).cells.filter((c) => c.metadata.nbgrader?.locked).map(cellText).join("\n");
      for (const line of secrets.filter((l) => !publicText.includes(l.trim()))) assert.ok(!student.includes(JSON.stringify(line.trim()).slice(1, -1)), `${rel} leaks: ${line}`);
      assert.match(r.stdout, new RegExp(`released ${rel.replace(/[.]/g, "\\.")} -> .*autograded \\+ 4 manual points`));
    }
  });
});
