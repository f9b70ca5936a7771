/**
 * `seqlab grade` and `seqlab feedback` for a class: find the submissions, grade them `jobs` at a
 * time with progress, write graded notebooks, feedback HTML and the gradebook.
 *
 * The pieces a job queue needs are separate: {@link gradeSubmission} (one submission, anywhere),
 * {@link writeStudentOutputs} + {@link writeGradebook} (the instructor's side), and
 * `assignmentChecksum` (a worker refuses another version of the assignment). A local run
 * is exactly: `results = await Promise.all(submissions.map(gradeSubmission))`, bounded to `jobs`
 * at a time, then the two writes.
 *
 * @module
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { assignmentMeta, validateAssignment, type Notebook } from "./assignment";
import { gradeSubmission, type GradeTimeouts, type StudentResult } from "./grade-submission";
import { exportFeedback, feedbackHeader, gradebook, readGradedNotebook, writeGradebook, writeStudentOutputs, type Gradebook } from "./outputs";

/** Progress of a class run. */
export interface GradeProgress {
  done: number;
  total: number;
  /** Students whose status is not `graded`. */
  failures: number;
  /** Estimated seconds left. */
  secondsLeft: number;
  /** The result just finished. */
  last: StudentResult;
}

/** Options of {@link gradeClass}. */
export interface GradeClassOptions {
  /** Submissions graded at once. @default the number of cores */
  jobs?: number;
  timeouts?: Partial<GradeTimeouts>;
  /** @default the source's mode */
  mode?: "quick" | "full";
  /** Output folder. */
  out: string;
  /** Kernel heap limit in MB. @default 4096 */
  memoryMb?: number;
  /** Called after each submission. */
  onProgress?: (p: GradeProgress) => void;
}

/**
 * Reads and checks an assignment source.
 *
 * @param file The source notebook.
 * @returns The parsed source.
 * @throws {Error} When it is missing or not an assignment source.
 * @example
 * ```ts
 * const source = readSource("notebooks/assignments/03-forecasting.ipynb");
 * ```
 */
export function readSource(file: string): Notebook {
  if (!fs.existsSync(file)) throw new Error(`${file}: no such assignment source.`);
  const source = JSON.parse(fs.readFileSync(file, "utf8")) as Notebook;
  validateAssignment(source, file);
  return source;
}

/**
 * The submission files named on the command line: `.ipynb` files and every `.ipynb` in a folder
 * (not recursive, checkpoints skipped). A file given by name is taken whatever its content.
 *
 * @param paths Files or folders.
 * @returns Files, sorted, with unique student names.
 * @throws {Error} When a path is missing or two submissions have the same name.
 * @example
 * ```ts
 * findSubmissions(["submissions/"]); // ["submissions/alice.ipynb", "submissions/bob.ipynb"]
 * ```
 */
export function findSubmissions(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    if (!fs.existsSync(p)) throw new Error(`${p}: no such submission file or folder.`);
    if (fs.statSync(p).isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) {
        if (name.endsWith(".ipynb") && !name.startsWith(".") && fs.statSync(path.join(p, name)).isFile()) files.push(path.join(p, name));
      }
    } else files.push(p);
  }
  const seen = new Map<string, string>();
  for (const f of files) {
    const student = path.basename(f, ".ipynb");
    if (seen.has(student)) throw new Error(`two submissions are named "${student}": ${seen.get(student)} and ${f}. Rename one.`);
    seen.set(student, f);
  }
  return files;
}

/**
 * Grades every submission, `jobs` at a time, and writes the outputs and the gradebook.
 *
 * @param sourceFile The assignment source.
 * @param submissions Submission files.
 * @param options See {@link GradeClassOptions}.
 * @returns The gradebook.
 * @throws {Error} Only when the grader itself fails (after one retry per submission; the other
 *   submissions are still graded and written).
 * @example
 * ```ts
 * const book = await gradeClass("notebooks/assignments/01-imdb-sentiment.ipynb", findSubmissions(["subs/"]), { jobs: 2, out: "out/grade/01" });
 * ```
 */
export async function gradeClass(sourceFile: string, submissions: readonly string[], options: GradeClassOptions): Promise<Gradebook> {
  const source = readSource(sourceFile);
  const { assignment } = assignmentMeta(source, sourceFile);
  const jobs = Math.max(1, options.jobs ?? os.availableParallelism());
  const results: StudentResult[] = [];
  const started = Date.now();
  let next = 0;
  let failures = 0;
  const graderErrors: string[] = [];
  const grade = (file: string) => gradeSubmission({ source, submissionPath: file, mode: options.mode, timeouts: options.timeouts, memoryMb: options.memoryMb });
  const worker = async (): Promise<void> => {
    while (next < submissions.length) {
      const file = submissions[next++]!;
      let result: StudentResult;
      try {
        // A failure here is the grader's (a kernel that did not start on a loaded machine): retry once.
        result = await grade(file).catch(() => grade(file));
      } catch (err) {
        graderErrors.push(`${file}: ${(err as Error).message}`);
        continue;
      }
      await writeStudentOutputs([result], assignment, options.out);
      result.notebook = null;
      results.push(result);
      if (result.status !== "graded") failures++;
      const elapsed = (Date.now() - started) / 1000;
      const left = submissions.length - results.length;
      options.onProgress?.({ done: results.length, total: submissions.length, failures, secondsLeft: Math.round((elapsed / results.length) * left), last: result });
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, submissions.length) }, worker));
  const book = gradebook(assignment, results);
  writeGradebook(book, options.out);
  if (graderErrors.length > 0) {
    throw new Error(`the grader failed on ${graderErrors.length} submission(s), left out of the gradebook (the others are graded):\n${graderErrors.join("\n")}`);
  }
  return book;
}

/**
 * `seqlab feedback`: re-reads graded notebooks (manual grades filled in), rewrites each one's
 * grading record and feedback HTML, and the gradebook of each folder involved.
 *
 * @param paths Graded notebooks or folders of them (as written by `seqlab grade`).
 * @returns The gradebooks written, by folder.
 * @throws {Error} When a file is not a graded notebook or a grade is out of range.
 * @example
 * ```ts
 * await regenerateFeedback(["out/grade/01-imdb-sentiment"]);
 * ```
 */
export async function regenerateFeedback(paths: readonly string[]): Promise<Map<string, Gradebook>> {
  const files = paths.flatMap((p) =>
    fs.statSync(p).isDirectory() ? fs.readdirSync(p).filter((n) => n.endsWith(".ipynb")).sort().map((n) => path.join(p, n)) : [p],
  );
  const items: Array<{ input: string; html: string; header: string; student_cells: number[] }> = [];
  const folders = new Set<string>();
  for (const file of files) {
    const nb = JSON.parse(fs.readFileSync(file, "utf8")) as Notebook;
    const { result, assignment } = readGradedNotebook(nb, file);
    const { notebook: _nb, ...grading } = result;
    void _nb;
    nb.metadata.seqlab_grading = grading;
    fs.writeFileSync(file, JSON.stringify(nb, null, 1) + "\n");
    items.push({ input: file, html: file.replace(/\.ipynb$/, ".html"), header: feedbackHeader(result, assignment), student_cells: result.studentCells });
    folders.add(path.dirname(file));
  }
  await exportFeedback(items);
  const books = new Map<string, Gradebook>();
  for (const folder of folders) {
    const graded = fs.readdirSync(folder).filter((n) => n.endsWith(".ipynb")).sort().map((n) => path.join(folder, n));
    const read = graded.map((f) => readGradedNotebook(JSON.parse(fs.readFileSync(f, "utf8")) as Notebook, f));
    const book = gradebook(read[0]!.assignment, read.map((r) => r.result));
    writeGradebook(book, folder);
    books.set(folder, book);
  }
  return books;
}

