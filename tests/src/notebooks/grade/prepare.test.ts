import { strict as assert } from "node:assert";
import * as path from "node:path";
import { assignmentChecksum, cellText, type Notebook } from "../../../../src/notebooks/grade/assignment";
import { prepareSubmission, type PreparedSubmission } from "../../../../src/notebooks/grade/prepare";
import { projectRoot } from "../../../support/project";
import { pastedRelease, readNb, released } from "./_submissions";

const mini = path.join(projectRoot, "tests", "fixtures", "grading", "mini.ipynb");
const source = readNb(mini);
const ok = (sub: Notebook | string): PreparedSubmission => {
  const p = prepareSubmission(source, typeof sub === "string" ? sub : JSON.stringify(sub));
  assert.equal(p.status, "ok", JSON.stringify(p));
  return p as PreparedSubmission;
};
const byId = (nb: Notebook, id: string) => nb.cells.find((c) => c.metadata.nbgrader?.grade_id === id)!;

describe("prepareSubmission()", () => {
  it("keeps the student's answers and puts the source's hidden tests back", () => {
    const p = ok(pastedRelease(mini, { "task1-code": "function double(x: number): number {\n  return x + x;\n}" }));
    assert.equal(cellText(byId(p.notebook, "task1-code")), "function double(x: number): number {\n  return x + x;\n}");
    assert.match(cellText(byId(p.notebook, "t1-double")), /double\(-3\)/);
    assert.deepEqual(p.notes, []);
    assert.deepEqual(p.studentCells.map((i) => p.notebook.cells[i]!.metadata.nbgrader?.grade_id), ["task1-code", "task2-code", "t3-answer"]);
  });

  it("restores changed and deleted locked cells and says so; a missing answer is graded as the stub", () => {
    const sub = pastedRelease(mini, { setup: 'import { checkTask } from "kernel-helpers";' });
    sub.cells = sub.cells.filter((c) => !["plot", "task2-code"].includes(c.metadata.nbgrader?.grade_id ?? ""));
    const p = ok(sub);
    assert.equal(cellText(byId(p.notebook, "setup")), cellText(byId(source, "setup")));
    assert.equal(cellText(byId(p.notebook, "plot")), cellText(byId(source, "plot")));
    assert.equal(cellText(byId(p.notebook, "task2-code")), '// YOUR CODE HERE\nthrow new Error("Not implemented");');
    assert.deepEqual(p.notes, [
      'cell "setup" was changed (its checksum differs); it was restored from the assignment.',
      'cell "task2-code" (your code) is missing from the submission; it was graded as the empty stub.',
      'cell "plot" was deleted; it was restored from the assignment.',
    ]);
  });

  it("keeps the student's own extra cells after the cell they followed", () => {
    const sub = pastedRelease(mini);
    const at = sub.cells.findIndex((c) => c.metadata.nbgrader?.grade_id === "task1-code");
    sub.cells.splice(at + 1, 0, { cell_type: "code", source: "const helper = 1;", metadata: {}, outputs: [], execution_count: 4 });
    const p = ok(sub);
    const i = p.notebook.cells.findIndex((c) => cellText(c) === "const helper = 1;");
    assert.equal(p.notebook.cells[i - 1]!.metadata.nbgrader?.grade_id, "task1-code");
    assert.ok(p.studentCells.includes(i));
    assert.deepEqual(p.notebook.cells[i]!.outputs, []);
  });

  it("rejects what is not a notebook, and a notebook of another assignment, with a clear message", () => {
    assert.match(JSON.stringify(prepareSubmission(source, "{oops")), /"status":"invalid".*not valid JSON/);
    assert.match(JSON.stringify(prepareSubmission(source, "[1, 2]")), /"status":"invalid".*JSON but not a Jupyter notebook/);
    const other = released(path.join(projectRoot, "notebooks", "assignments", "03-forecasting.ipynb"));
    assert.deepEqual(prepareSubmission(source, JSON.stringify(other)), {
      status: "wrong-assignment",
      message: 'this is a notebook of assignment "03-forecasting", not "mini". Submit your notebook for "mini".',
    });
    delete other.metadata.seqlab;
    assert.equal(prepareSubmission(source, JSON.stringify(other)).status, "wrong-assignment");
  });

  it("assignmentChecksum() changes with any test, points or seed, not with outputs", () => {
    const base = assignmentChecksum(source);
    const withOutput = readNb(mini);
    byId(withOutput, "setup").outputs = [{ output_type: "stream", name: "stdout", text: "ready\n" }];
    assert.equal(assignmentChecksum(withOutput), base);
    const hidden = readNb(mini);
    byId(hidden, "t1-double").source = cellText(byId(hidden, "t1-double")).replace("-6", "-7");
    assert.notEqual(assignmentChecksum(hidden), base);
    const seeded = readNb(mini);
    seeded.metadata.seqlab!.seed = 2;
    assert.notEqual(assignmentChecksum(seeded), base);
  });
});
