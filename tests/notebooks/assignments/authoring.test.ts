import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { cellKind, cellText, validateAssignment, type Notebook } from "../../../src/notebooks/grade/assignment";
import { taskNameProblems } from "../../../src/notebooks/grade/task-names";
import { findNotebooks } from "../../../src/notebooks/discover";
import { projectRoot } from "../../support/project";

const assignments = findNotebooks(path.join(projectRoot, "notebooks", "assignments"));

describe("notebooks/assignments: authoring rules", () => {
  it("there are the three course assignments", () => {
    assert.deepEqual(assignments.map((a) => path.basename(a)), ["01-imdb-sentiment.ipynb", "02-text-generation.ipynb", "03-forecasting.ipynb"]);
  });

  for (const file of assignments) {
    const name = path.basename(file);
    const source = JSON.parse(fs.readFileSync(file, "utf8")) as Notebook;

    it(`${name}: valid nbgrader metadata (schema 3), the seed and mode, checkTask calls matching their points`, () => {
      validateAssignment(source, name);
      assert.equal(source.metadata.seqlab?.assignment, name.replace(/\.ipynb$/, ""));
      assert.match(cellText(source.cells[1]!), new RegExp(`seed\\(${source.metadata.seqlab?.seed}\\)`), "the setup cell seeds the kernel with the assignment's seed");
    });

    it(`${name}: every name a given or test cell uses is asked for by name in an earlier task, every answer cell has its task text`, () => {
      assert.deepEqual(taskNameProblems(source), []);
    });

    it(`${name}: tasks numbered 1, 2, ... with their points, public and hidden tests, and a rubric for the written answer`, () => {
      const tasks: Array<{ n: number; points: number; tested: number; hidden: boolean; manual: boolean; rubric: boolean }> = [];
      for (const cell of source.cells) {
        const text = cellText(cell);
        const m = /\*\*Task (\d+) \((\d+) points?(, graded by hand)?\)\.\*\*/.exec(text);
        if (cell.cell_type === "markdown" && cellKind(cell) === "given" && m) {
          tasks.push({ n: Number(m[1]), points: Number(m[2]), tested: 0, hidden: false, manual: !!m[3], rubric: /\*Rubric:\*/.test(text) });
        }
        const last = tasks[tasks.length - 1];
        if (last && (cellKind(cell) === "test" || cellKind(cell) === "manual")) {
          last.tested += cell.metadata.nbgrader?.points ?? 0;
          last.hidden ||= text.includes("// BEGIN HIDDEN TESTS");
        }
      }
      assert.deepEqual(tasks.map((t) => t.n), tasks.map((_, i) => i + 1));
      for (const t of tasks) {
        assert.equal(t.tested, t.points, `Task ${t.n} announces ${t.points} points; its graded cells give ${t.tested}`);
        if (t.manual) assert.ok(t.rubric, `Task ${t.n} is graded by hand but has no rubric`);
      }
      assert.equal(tasks.filter((t) => t.manual).length, 1, "one written answer graded by hand");
      assert.ok(tasks.filter((t) => t.hidden).length >= 3, "hidden tests in most tasks");
    });
  }
});
