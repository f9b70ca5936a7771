/**
 * Grading an assignment as the course does, for its notebook test: the release with every
 * reference solution pasted back, and the untouched release, each graded in quick mode through
 * `gradeSubmission` (a fresh kernel, the assignment's seed). The graded run doubles as the
 * notebook's own run, read like `runNotebook`'s.
 *
 * @module
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { gradeSubmission, type StudentResult } from "../../../src/notebooks/grade/grade-submission";
import type { Notebook } from "../../../src/notebooks/grade/assignment";
import type { ExecutedNotebook, NbCell, NbOutput } from "../../support/notebook";
import { pastedRelease, released } from "../../src/notebooks/grade/_submissions";

/** Both graded runs of an assignment. */
export interface GradedAssignment {
  /** The release with the reference solutions pasted back. */
  reference: StudentResult;
  /** The release as students get it. */
  untouched: StudentResult;
  /** The reference run, as a notebook run. */
  run: ExecutedNotebook;
}

const joinText = (t: string | string[] | undefined): string => (Array.isArray(t) ? t.join("") : t ?? "");

/** Reads an executed notebook like `runNotebook` does. */
function asRun(input: string, nb: Notebook, seconds: number): ExecutedNotebook {
  const cells = nb.cells as unknown as NbCell[];
  const outputs = cells.flatMap((c) => c.outputs ?? []);
  const firstError = outputs.find((o) => o.output_type === "error");
  const bundle = (o: NbOutput): Record<string, unknown> =>
    Object.fromEntries(Object.entries(o.data ?? {}).map(([m, v]) => [m, Array.isArray(v) && !m.endsWith("json") ? (v as string[]).join("") : v]));
  return {
    result: { input, status: firstError ? "failed" : "ok", seconds, error: firstError ? { ename: firstError.ename, evalue: firstError.evalue } : null },
    cells,
    html: "",
    stdout: outputs.filter((o) => o.output_type === "stream" && o.name === "stdout").map((o) => joinText(o.text)).join(""),
    stderr: outputs.filter((o) => o.output_type === "stream" && o.name === "stderr").map((o) => joinText(o.text)).join(""),
    bundles: outputs.filter((o) => o.output_type === "display_data" || o.output_type === "execute_result").map(bundle),
  };
}

/**
 * Grades the reference and the untouched release of `sourceFile` side by side (quick mode).
 *
 * @param sourceFile The assignment source.
 * @returns Both results and the reference run.
 */
export async function gradeAssignment(sourceFile: string): Promise<GradedAssignment> {
  const source = JSON.parse(fs.readFileSync(sourceFile, "utf8")) as Notebook;
  const grade = (student: string, nb: Notebook) =>
    gradeSubmission({ source, student, submissionBytes: JSON.stringify(nb), mode: "quick", timeouts: { cell: 600, notebook: 1200 } });
  const [reference, untouched] = await Promise.all([grade("reference", pastedRelease(sourceFile)), grade("untouched", released(sourceFile))]);
  return { reference, untouched, run: asRun(sourceFile, reference.notebook!, reference.seconds) };
}

/**
 * Asserts the release with the reference solutions pasted back got every autograded point
 * (`points` in all) and left exactly one written answer of 4 points to the instructor.
 */
export function assertFullAutogradedMarks(r: StudentResult, points: number): void {
  assert.equal(r.status, "graded", r.message);
  const auto = r.tasks.filter((t) => t.status !== "pending");
  assert.deepEqual(auto.filter((t) => t.status !== "passed"), []);
  assert.equal(auto.reduce((a, t) => a + t.points, 0), points);
  assert.equal(r.score, points);
  assert.deepEqual(r.tasks.filter((t) => t.status === "pending").map((t) => t.max), [4], "one written answer, graded by hand");
}

/** Asserts every autograded task of the untouched release failed with the stub's message alone. */
export function assertEveryTaskNotImplemented(u: StudentResult): void {
  assert.equal(u.status, "graded", u.message);
  assert.equal(u.score, 0);
  for (const t of u.tasks.filter((x) => x.status !== "pending")) {
    assert.deepEqual([t.status, t.message], ["failed", "Error: Not implemented (raised by your code for this task)"], t.grade_id);
  }
}
