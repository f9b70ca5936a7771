/**
 * Grading one submission: {@link gradeSubmission} prepares it against the assignment source,
 * runs it in a fresh seqlab kernel (the assignment's seed and mode, per-cell and per-notebook
 * time limits, a memory cap, outputs capped) and scores every test cell. It returns a
 * {@link StudentResult} — plain JSON, graded notebook included — so the same call can run on a
 * queue worker and its result be written by the instructor's machine (`outputs.ts`).
 *
 * @module
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { outDir, projectRoot, venvPython } from "../../setup/paths";
import { assignmentMeta, cellKind, cellText, type Cell, type Notebook } from "./assignment";
import { prepareSubmission } from "./prepare";

/** How a submission's grading ended. */
export type StudentStatus = "graded" | "timeout" | "crashed" | "invalid" | "wrong-assignment";

/** How one graded cell ended: autograded (`passed`…`not-run`) or manual (`pending`, `graded`). */
export type TaskStatus = "passed" | "failed" | "timeout" | "not-run" | "pending" | "graded";

/** One graded cell's score, as in `gradebook.json`. */
export interface TaskScore {
  grade_id: string;
  /** Points earned (0 while a manual grade is pending). */
  points: number;
  max: number;
  status: TaskStatus;
  /** Why it failed, the instructor's comment, or `""`. */
  message: string;
}

/** One student's result: the gradebook row plus what the feedback needs. */
export interface StudentResult {
  /** The submission's file name without `.ipynb`. */
  student: string;
  status: StudentStatus;
  score: number;
  max: number;
  /** Wall-clock seconds of the graded run. */
  seconds: number;
  tasks: TaskScore[];
  /** What went wrong overall (crash, time limit, not a notebook), or `""`. */
  message: string;
  /** Restored or tampered cells and similar notes. */
  notes: string[];
  /** The executed notebook (null when it could not be run). */
  notebook: Notebook | null;
  /** Indices of cells whose text the student wrote (their answers are escaped in the HTML). */
  studentCells: number[];
}

/** Time limits of a graded run, in seconds. */
export interface GradeTimeouts {
  /** Per cell: the cell is interrupted and the next one runs. @default 600 */
  cell: number;
  /** Per notebook: the run stops and the student gets `timeout`. @default 3600 */
  notebook: number;
}

/** Input of {@link gradeSubmission}. */
export interface GradeSubmissionOptions {
  /** The assignment source (solutions, hidden tests, metadata). */
  source: Notebook;
  /** The submission's path; or give `submissionBytes` and `student`. */
  submissionPath?: string;
  /** The submission's content (a queue job carries it). */
  submissionBytes?: Uint8Array | string;
  /** The student's name. @default the submission's file name without `.ipynb` */
  student?: string;
  /** @default the source's `metadata.seqlab.seed` */
  seed?: number;
  /** @default the source's `metadata.seqlab.mode` */
  mode?: "quick" | "full";
  /** Time limits. */
  timeouts?: Partial<GradeTimeouts>;
  /** Characters of output kept per cell. @default 200000 */
  maxOutputChars?: number;
  /** The kernel's JavaScript heap limit in MB (`--max-old-space-size`). @default 4096 */
  memoryMb?: number;
}

const joinLines = (s: string): string => s.split("\n")[0]!.slice(0, 80);

/** What grade_notebook.py reports for a run. */
interface RunReport {
  cells: Record<string, { status: "ok" | "error" | "timeout"; ename: string; evalue: string }>;
  died_at: number | null;
  timed_out: boolean;
  current: number | null;
}

/**
 * Runs `grade_notebook.py` with a JSON job; rejects when the runner itself fails.
 *
 * @param job The job.
 * @param env Extra environment for the kernel.
 * @param killAfter Seconds after which the runner is killed (a backstop to its own limits).
 * @throws {Error} When the runner exits with an error.
 * @example
 * ```ts
 * await runGradeScript({ mode: "export", items, plotly_js, templates });
 * ```
 */
export async function runGradeScript(job: Record<string, unknown>, env: NodeJS.ProcessEnv = {}, killAfter = 0): Promise<void> {
  if (!fs.existsSync(venvPython)) throw new Error("the Python environment .venv is missing: run `npm install` first.");
  const script = path.join(projectRoot, "src", "notebooks", "grade", "grade_notebook.py");
  const child = spawn(venvPython, [script], { env: { ...process.env, ...env, PYDEVD_DISABLE_FILE_VALIDATION: "1" }, stdio: ["pipe", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-20_000);
  });
  child.stdin.end(JSON.stringify(job));
  const timer = killAfter > 0 ? setTimeout(() => child.kill("SIGKILL"), killAfter * 1000) : null;
  const code: number | null = await new Promise((resolve) => child.on("close", resolve));
  if (timer) clearTimeout(timer);
  if (code !== 0) throw new Error(`the grading runner stopped (exit ${code}):\n${stderr.trim().split("\n").slice(-12).join("\n")}`);
}

/** Every graded cell of the source, with zero points and a status. */
function emptyTasks(source: Notebook, status: TaskStatus, message: string): TaskScore[] {
  return source.cells
    .filter((c) => cellKind(c) === "test" || cellKind(c) === "manual")
    .map((c) => ({
      grade_id: c.metadata.nbgrader!.grade_id,
      points: 0,
      max: c.metadata.nbgrader!.points ?? 0,
      status: cellKind(c) === "manual" ? "pending" : status,
      message: cellKind(c) === "manual" ? "" : message,
    }));
}

/**
 * Grades one submission.
 *
 * @param options The source, the submission, and how to run it.
 * @returns The student's result (never rejects for anything the submission does).
 * @throws {Error} When the grader itself fails (no .venv, the runner crashed).
 * @example
 * ```ts
 * const source = JSON.parse(fs.readFileSync("notebooks/assignments/01-imdb-sentiment.ipynb", "utf8"));
 * const result = await gradeSubmission({ source, submissionPath: "submissions/alice.ipynb", mode: "quick" });
 * result.score; // e.g. 9
 * ```
 */
export async function gradeSubmission(options: GradeSubmissionOptions): Promise<StudentResult> {
  const { source } = options;
  const meta = assignmentMeta(source, "the assignment source");
  const student = options.student ?? path.basename(options.submissionPath ?? "submission", ".ipynb");
  const started = Date.now();
  const bytes = options.submissionBytes ?? fs.readFileSync(options.submissionPath!);
  const max = source.cells.reduce((a, c) => a + (cellKind(c) === "test" || cellKind(c) === "manual" ? c.metadata.nbgrader?.points ?? 0 : 0), 0);
  const prepared = prepareSubmission(source, bytes);
  if (prepared.status !== "ok") {
    return { student, status: prepared.status, score: 0, max, seconds: 0, tasks: emptyTasks(source, "not-run", prepared.message), message: prepared.message, notes: [], notebook: null, studentCells: [] };
  }
  const timeouts: GradeTimeouts = { cell: 600, notebook: 3600, ...options.timeouts };
  const mode = options.mode ?? meta.mode;
  // Inside the project (under out/, git-ignored) so that module resolution and type names work
  // exactly as for a notebook in notebooks/: node_modules and tsconfig.json are found upwards.
  fs.mkdirSync(path.join(outDir, ".grading"), { recursive: true });
  const dir = fs.mkdtempSync(path.join(outDir, ".grading", "run-"));
  try {
    const input = path.join(dir, "submission.ipynb");
    const output = path.join(dir, "graded.ipynb");
    const resultFile = path.join(dir, "result.json");
    fs.writeFileSync(input, JSON.stringify(prepared.notebook));
    const env: NodeJS.ProcessEnv = {
      SEQLAB_SEED: String(options.seed ?? meta.seed),
      SEQLAB_QUICK: mode === "quick" ? "1" : "0",
      NODE_OPTIONS: `--max-old-space-size=${options.memoryMb ?? 4096}`,
    };
    const job = {
      mode: "run",
      input,
      output,
      result: resultFile,
      kernel: source.metadata.kernelspec?.name ?? "seqlab",
      cell_timeout: timeouts.cell,
      notebook_timeout: timeouts.notebook,
      max_output_chars: options.maxOutputChars ?? 200_000,
      cwd: dir,
    };
    await runGradeScript(job, env, timeouts.notebook + 120);
    if (!fs.existsSync(resultFile)) throw new Error("the grading runner wrote no result.");
    const report = JSON.parse(fs.readFileSync(resultFile, "utf8")) as RunReport;
    const executed = JSON.parse(fs.readFileSync(output, "utf8")) as Notebook;
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    return { ...score(executed, report, timeouts, student, prepared.notes, max), seconds, studentCells: prepared.studentCells };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The error message of a cell's result, as a student should read it. */
const errorText = (r: { ename: string; evalue: string }): string => (r.ename === "CheckError" || !r.ename ? r.evalue : `${r.ename}: ${r.evalue}`);

/** Scores an executed notebook from the runner's report. */
function score(nb: Notebook, report: RunReport, timeouts: GradeTimeouts, student: string, notes: string[], max: number): Omit<StudentResult, "seconds" | "studentCells"> {
  const tasks: TaskScore[] = [];
  const stoppedAt = report.died_at ?? (report.timed_out ? report.current : null);
  let taskCode: number[] = [];
  let anyCellTimeout = false;
  nb.cells.forEach((cell: Cell, i) => {
    const kind = cellKind(cell);
    const r = report.cells[String(i)];
    if (r?.status === "timeout") anyCellTimeout = true;
    if (kind === "solution") taskCode.push(i);
    if (kind === "manual") {
      tasks.push({ grade_id: cell.metadata.nbgrader!.grade_id, points: 0, max: cell.metadata.nbgrader!.points ?? 0, status: "pending", message: "" });
    }
    if (kind !== "test") return;
    const m = cell.metadata.nbgrader!;
    const task: TaskScore = { grade_id: m.grade_id, points: 0, max: m.points ?? 0, status: "failed", message: "" };
    if (r?.status === "ok") Object.assign(task, { points: task.max, status: "passed" });
    else if (r?.status === "timeout") Object.assign(task, { status: "timeout", message: `this test ran longer than ${timeouts.cell} s and was stopped.` });
    else if (r?.status === "error") {
      const cause = taskCode.map((j) => report.cells[String(j)]).find((c) => c?.status === "error" || c?.status === "timeout");
      task.message = cause ? `${errorText(cause)} (raised by your code for this task)` : errorText(r);
    } else if (stoppedAt !== null && i === stoppedAt && report.died_at !== null) task.message = "the kernel died while running this test.";
    else {
      task.status = "not-run";
      task.message = report.died_at !== null ? `not run: the kernel died in cell ${report.died_at}.` : "not run: the notebook's time limit was reached before this test.";
    }
    tasks.push(task);
    taskCode = [];
  });
  let status: StudentStatus = "graded";
  let message = "";
  if (report.died_at !== null) {
    const src = joinLines(cellText(nb.cells[report.died_at] ?? { source: "" }));
    status = "crashed";
    message = `the kernel died while running cell ${report.died_at} (${src}): process.exit, a native crash or running out of memory end the kernel. Later cells were not run.`;
  } else if (report.timed_out) {
    status = "timeout";
    message = `the notebook ran longer than its ${timeouts.notebook} s limit; cells from ${report.current ?? "?"} on were not run or not finished.`;
  } else if (anyCellTimeout) {
    status = "timeout";
    message = `a cell ran longer than its ${timeouts.cell} s limit and was stopped; the other cells were graded.`;
  }
  const total = tasks.reduce((a, t) => a + t.points, 0);
  return { student, status, score: total, max, tasks, message, notes, notebook: nb };
}
