/**
 * Writing what grading produces, from {@link StudentResult}s (wherever they were computed):
 * per student the graded notebook (with an instructor's grade cell after each written answer)
 * and a self-contained feedback HTML (score table first, outputs sanitized, plots interactive
 * offline), and for the class `gradebook.json` and `gradebook.csv`. `seqlab feedback` reads the
 * graded notebooks back, takes the manual grades filled in, and rewrites both.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { projectRoot } from "../../setup/paths";
import { plotlyJsPath } from "../execute";
import type { Cell, Notebook } from "./assignment";
import { runGradeScript, type StudentResult, type TaskScore } from "./grade-submission";

/** `gradebook.json`. */
export interface Gradebook {
  assignment: string;
  students: Array<Pick<StudentResult, "student" | "status" | "score" | "max" | "seconds" | "tasks">>;
}

/** What a graded notebook keeps in `metadata.seqlab.grading`. */
type GradingMeta = Omit<StudentResult, "notebook">;

const MANUAL_KEY = "manual_grade";
const escapeHtml = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The instructor's grade cell placed after a written answer. */
function manualGradeCell(task: TaskScore): Cell {
  return {
    cell_type: "markdown",
    metadata: { seqlab: { [MANUAL_KEY]: task.grade_id, max: task.max } },
    source: `**Instructor's grade for \`${task.grade_id}\`** (fill in the points, then run \`seqlab feedback\`)\n\nPoints: _ / ${task.max}\n\nComment: `,
  };
}

/**
 * The graded notebook of a result: the executed notebook, an instructor's grade cell after
 * each written answer, and the result in `metadata.seqlab.grading`.
 *
 * @param result A student's result.
 * @param assignment The assignment's name.
 * @returns The notebook to save.
 * @example
 * ```ts
 * fs.writeFileSync("alice.ipynb", JSON.stringify(gradedNotebook(result, "01-imdb-sentiment")));
 * ```
 */
export function gradedNotebook(result: StudentResult, assignment: string): Notebook {
  const nb: Notebook = result.notebook ? structuredClone(result.notebook) : { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 };
  const cells: Cell[] = [];
  const studentCells: number[] = [];
  const student = new Set(result.studentCells);
  nb.cells.forEach((cell, i) => {
    if (student.has(i)) studentCells.push(cells.length);
    cells.push(cell);
    const id = cell.metadata.nbgrader?.grade_id;
    const task = result.tasks.find((t) => t.grade_id === id && (t.status === "pending" || t.status === "graded"));
    if (task && cell.metadata.nbgrader?.solution) cells.push(manualGradeCell(task));
  });
  nb.cells = cells;
  const { notebook: _omit, ...rest } = result;
  void _omit;
  const grading: GradingMeta = { ...rest, studentCells };
  nb.metadata = { ...nb.metadata, seqlab: { ...(nb.metadata.seqlab ?? { assignment, seed: 0, mode: "full" }), assignment }, seqlab_grading: grading };
  return nb;
}

/**
 * Reads a graded notebook back: its result, with the manual grades filled in its grade cells.
 *
 * @param nb A notebook written by {@link gradedNotebook}.
 * @param file Its path, for errors.
 * @returns The result (score recomputed) and the assignment name.
 * @throws {Error} When it is not a graded notebook or a grade is out of range.
 * @example
 * ```ts
 * readGradedNotebook(JSON.parse(fs.readFileSync("alice.ipynb", "utf8")), "alice.ipynb").result.score;
 * ```
 */
export function readGradedNotebook(nb: Notebook, file: string): { result: StudentResult; assignment: string } {
  const grading = nb.metadata.seqlab_grading as GradingMeta | undefined;
  const assignment = nb.metadata.seqlab?.assignment;
  if (!grading || !assignment) throw new Error(`${file}: not a graded notebook (no metadata.seqlab_grading); grade it with \`seqlab grade\` first.`);
  const tasks = grading.tasks.map((t) => ({ ...t }));
  for (const cell of nb.cells) {
    const id = (cell.metadata?.seqlab as Record<string, unknown> | undefined)?.[MANUAL_KEY];
    if (typeof id !== "string") continue;
    const task = tasks.find((t) => t.grade_id === id);
    if (!task) continue;
    const text = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    const points = /Points:\s*([0-9]+(?:\.[0-9]+)?)\s*\//.exec(text);
    const comment = /Comment:[ \t]*([\s\S]*)$/.exec(text)?.[1]?.trim() ?? "";
    if (points) {
      const p = Number(points[1]);
      if (p > task.max) throw new Error(`${file}: the grade for "${id}" is ${p}, more than its ${task.max} points.`);
      Object.assign(task, { points: p, status: "graded", message: comment });
    } else Object.assign(task, { points: 0, status: "pending", message: comment });
  }
  const score = tasks.reduce((a, t) => a + t.points, 0);
  return { result: { ...grading, tasks, score, notebook: nb }, assignment };
}

/**
 * The score table and messages at the top of the feedback HTML (every string escaped).
 *
 * @param result A student's result.
 * @param assignment The assignment's name.
 * @returns HTML.
 * @example
 * ```ts
 * feedbackHeader(result, "mini"); // '<h1 id="seqlab-feedback">Feedback: mini, alice</h1>...'
 * ```
 */
export function feedbackHeader(result: StudentResult, assignment: string): string {
  const pending = result.tasks.filter((t) => t.status === "pending");
  const rows = result.tasks
    .map((t) => {
      const mark = t.status === "passed" || t.status === "graded" ? "✔" : t.status === "pending" ? "…" : "✘";
      const pts = t.status === "pending" ? `– / ${t.max}` : `${t.points} / ${t.max}`;
      const msg = t.status === "pending" ? "written answer: not graded yet" : t.message;
      return `<tr class="seqlab-task seqlab-${t.status}"><td>${mark}</td><td><code>${escapeHtml(t.grade_id)}</code></td><td>${escapeHtml(t.status)}</td><td>${pts}</td><td>${escapeHtml(msg)}</td></tr>`;
    })
    .join("\n");
  const notes = [result.message, ...result.notes].filter((n) => n).map((n) => `<li>${escapeHtml(n)}</li>`).join("");
  return [
    `<h1 id="seqlab-feedback">Feedback: ${escapeHtml(assignment)}, ${escapeHtml(result.student)}</h1>`,
    `<p class="seqlab-score"><strong>Score: ${result.score} / ${result.max}</strong> · status: ${escapeHtml(result.status)}` +
      (pending.length > 0 ? ` · ${pending.reduce((a, t) => a + t.max, 0)} points of written answers not graded yet` : "") +
      "</p>",
    `<table class="seqlab-score-table"><thead><tr><th></th><th>task</th><th>result</th><th>points</th><th>message</th></tr></thead><tbody>\n${rows}\n</tbody></table>`,
    notes ? `<ul class="seqlab-notes">${notes}</ul>` : "",
  ].join("\n");
}

/**
 * Writes each student's graded notebook and feedback HTML under `out`.
 *
 * @param results The students' results.
 * @param assignment The assignment's name.
 * @param out The output folder.
 * @returns The files written, per student.
 * @throws {Error} When the HTML exporter fails.
 * @example
 * ```ts
 * await writeStudentOutputs([await gradeSubmission({ source, submissionPath: "alice.ipynb" })], "mini", "out/grade/mini");
 * ```
 */
export async function writeStudentOutputs(results: readonly StudentResult[], assignment: string, out: string): Promise<Array<{ ipynb: string; html: string }>> {
  fs.mkdirSync(out, { recursive: true });
  const items = results.map((r) => {
    const nb = gradedNotebook(r, assignment);
    const ipynb = path.join(out, `${r.student}.ipynb`);
    fs.writeFileSync(ipynb, JSON.stringify(nb, null, 1) + "\n");
    const grading = nb.metadata.seqlab_grading as GradingMeta;
    return { input: ipynb, html: path.join(out, `${r.student}.html`), header: feedbackHeader(r, assignment), student_cells: grading.studentCells };
  });
  await exportFeedback(items);
  return items.map((i) => ({ ipynb: i.input, html: i.html }));
}

/**
 * Exports graded notebooks as feedback HTML (sanitized, score header first).
 *
 * @param items Graded notebook, HTML path, header and the student's cell indices, per student.
 * @throws {Error} When the exporter fails.
 * @example
 * ```ts
 * await exportFeedback([{ input: "alice.ipynb", html: "alice.html", header: feedbackHeader(result, "mini"), student_cells: [3] }]);
 * ```
 */
export async function exportFeedback(items: ReadonlyArray<{ input: string; html: string; header: string; student_cells: number[] }>): Promise<void> {
  if (items.length === 0) return;
  await runGradeScript({ mode: "export", items, plotly_js: plotlyJsPath(), templates: path.join(projectRoot, "src", "notebooks", "templates") });
}

/**
 * The class gradebook from results (sorted by student).
 *
 * @param assignment The assignment's name.
 * @param results The results.
 * @returns `gradebook.json`'s content.
 * @example
 * ```ts
 * gradebook("mini", results).students[0]; // { student: "alice", status: "graded", score: 5, max: 7, seconds: 31.2, tasks: [...] }
 * ```
 */
export function gradebook(assignment: string, results: readonly StudentResult[]): Gradebook {
  return {
    assignment,
    students: [...results]
      .sort((a, b) => a.student.localeCompare(b.student))
      .map((r) => ({ student: r.student, status: r.status, score: r.score, max: r.max, seconds: r.seconds, tasks: r.tasks.map((t) => ({ grade_id: t.grade_id, points: t.points, max: t.max, status: t.status, message: t.message })) })),
  };
}

const csvField = (v: string | number): string => (/[",\n\r]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

/**
 * Writes `gradebook.json` and `gradebook.csv` (one row per student: student, status, score,
 * max, seconds, then the points of each graded cell by grade id).
 *
 * @param book The gradebook.
 * @param out The output folder.
 * @example
 * ```ts
 * writeGradebook(gradebook("mini", results), "out/grade/mini");
 * ```
 */
export function writeGradebook(book: Gradebook, out: string): void {
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "gradebook.json"), JSON.stringify(book, null, 2) + "\n");
  const ids = [...new Set(book.students.flatMap((s) => s.tasks.map((t) => t.grade_id)))];
  const lines = [["student", "status", "score", "max", "seconds", ...ids].map(csvField).join(",")];
  for (const s of book.students) {
    const pts = ids.map((id) => s.tasks.find((t) => t.grade_id === id)?.points ?? "");
    lines.push([s.student, s.status, s.score, s.max, s.seconds, ...pts].map(csvField).join(","));
  }
  fs.writeFileSync(path.join(out, "gradebook.csv"), lines.join("\n") + "\n");
}
