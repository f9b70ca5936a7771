/**
 * The class the queue tests grade: submissions of the tiny fixture assignment made from its
 * released (student) version, with answers of each kind pasted into the answer cells.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { releaseNotebook } from "../../../../src/notebooks/release";
import { projectRoot } from "../../../support/project";

/** The tiny assignment's source. */
export const tinySource = path.join(projectRoot, "tests", "fixtures", "queue", "tiny.ipynb");

/** Kinds of submission with answers in `answers.json`. */
export type SubmissionKind = "correct" | "wrong" | "type-error" | "infinite-loop" | "crash" | "kills-worker";

/** What a local run gives each kind: status and score (of 5). */
export const EXPECTED: Record<Exclude<SubmissionKind, "kills-worker">, { status: string; score: number }> = {
  correct: { status: "graded", score: 5 },
  wrong: { status: "graded", score: 3 },
  "type-error": { status: "graded", score: 3 },
  "infinite-loop": { status: "timeout", score: 2 },
  crash: { status: "crashed", score: 2 },
};

/**
 * Writes submissions `<kind>-<nn>.ipynb` into `dir`.
 *
 * @param dir The class folder.
 * @param counts How many of each kind.
 * @returns The files, by student name.
 */
export function writeClass(dir: string, counts: Partial<Record<SubmissionKind, number>>): Map<string, SubmissionKind> {
  const answers = JSON.parse(fs.readFileSync(path.join(projectRoot, "tests", "fixtures", "queue", "answers.json"), "utf8")) as Record<SubmissionKind, Record<string, string>>;
  const { notebook } = releaseNotebook(JSON.parse(fs.readFileSync(tinySource, "utf8")), tinySource);
  fs.mkdirSync(dir, { recursive: true });
  const students = new Map<string, SubmissionKind>();
  for (const [kind, n] of Object.entries(counts) as Array<[SubmissionKind, number]>) {
    for (let i = 1; i <= n; i++) {
      const nb = structuredClone(notebook);
      for (const cell of nb.cells) {
        const answer = answers[kind][cell.metadata.nbgrader?.grade_id ?? ""];
        if (answer !== undefined) cell.source = answer;
      }
      const student = `${kind}-${String(i).padStart(2, "0")}`;
      fs.writeFileSync(path.join(dir, `${student}.ipynb`), JSON.stringify(nb, null, 1));
      students.set(student, kind);
    }
  }
  return students;
}
