/**
 * `seqlab release`: the student version of an assignment, generated from its source (the
 * instructor's notebook with solutions, hidden tests and nbgrader metadata; see
 * `grade/assignment.ts`), never kept by hand.
 *
 * - a solution cell's `// BEGIN SOLUTION` … `// END SOLUTION` regions (the whole cell when it
 *   has none) become `// YOUR CODE HERE` + `throw new Error("Not implemented");`;
 * - a manually graded answer cell becomes "YOUR ANSWER HERE" (the instructor's answer stays in
 *   the source);
 * - `// BEGIN HIDDEN TESTS` … `// END HIDDEN TESTS` regions are removed from test cells;
 * - every output and execution count is cleared;
 * - given and test cells are locked (nbgrader `locked`, and JupyterLab's `editable: false`,
 *   `deletable: false`) and carry their checksum, so `seqlab grade` reports tampering;
 * - the notebook records the assignment's name, seed, mode and checksum.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  ANSWER_STUB,
  MARKERS,
  STUB_LINES,
  assignmentChecksum,
  assignmentMeta,
  cellChecksum,
  cellKind,
  cellText,
  replaceRegions,
  validateAssignment,
  type Cell,
  type Notebook,
} from "./grade/assignment";
import { taskNameProblems } from "./grade/task-names";

/** The code a whole solution cell becomes in the student version. */
export const STUDENT_STUB = STUB_LINES.join("\n");

/** What {@link releaseNotebook} did. */
export interface ReleaseResult {
  /** Solution cells stubbed (code) or emptied (written answers). */
  stubbed: number;
  /** Code cells in the notebook. */
  codeCells: number;
  /** Hidden test regions removed. */
  hiddenRemoved: number;
  /** Autograded points (test cells). */
  autoPoints: number;
  /** Manually graded points (written answers). */
  manualPoints: number;
}

/**
 * The student version of one cell (without outputs), as `seqlab release` writes it and as
 * `seqlab grade` compares a submission's locked cells against.
 *
 * @param cell A source cell.
 * @returns The released cell and how many hidden regions it lost.
 * @example
 * ```ts
 * releaseCell(testCell).cell.source; // without its hidden tests
 * ```
 */
export function releaseCell(cell: Cell): { cell: Cell; hiddenRemoved: number } {
  const out: Cell = structuredClone(cell);
  const kind = cellKind(cell);
  let hiddenRemoved = 0;
  if (out.cell_type === "code") {
    out.outputs = [];
    out.execution_count = null;
  }
  if (kind === "solution" && cell.cell_type === "code") {
    const { text, count } = replaceRegions(cellText(cell), MARKERS.solution, STUB_LINES);
    out.source = count > 0 ? text : STUDENT_STUB;
  } else if (kind === "manual") {
    out.source = ANSWER_STUB;
    delete out.attachments;
  } else if (kind === "test") {
    const { text, count } = replaceRegions(cellText(cell), MARKERS.hidden, []);
    out.source = text.replace(/\n{3,}/g, "\n\n");
    hiddenRemoved = count;
  }
  const m = out.metadata.nbgrader;
  if (m && (kind === "given" || kind === "test")) {
    m.locked = true;
    out.metadata.editable = false;
    out.metadata.deletable = false;
    delete m.checksum;
    m.checksum = cellChecksum(out);
  }
  return { cell: out, hiddenRemoved };
}

/**
 * Turns an assignment source into the student version.
 *
 * @param json The source notebook, parsed.
 * @param file Its path, for errors.
 * @returns The student notebook and counts.
 * @throws {Error} When it is not an assignment source (see `validateAssignment`).
 * @example
 * ```ts
 * const { notebook } = releaseNotebook(JSON.parse(fs.readFileSync(file, "utf8")), file);
 * ```
 */
export function releaseNotebook(json: unknown, file = "notebook"): { notebook: Notebook; result: ReleaseResult } {
  const source = json as Notebook;
  if (!source || !Array.isArray(source.cells)) throw new Error(`${file}: not a Jupyter notebook: it has no \`cells\` list.`);
  validateAssignment(source, file);
  const problems = taskNameProblems(source);
  if (problems.length > 0) throw new Error(`${file}: students could not work this assignment:\n  ${problems.join("\n  ")}`);
  const meta = assignmentMeta(source, file);
  const result: ReleaseResult = { stubbed: 0, codeCells: 0, hiddenRemoved: 0, autoPoints: 0, manualPoints: 0 };
  const cells = source.cells.map((cell) => {
    const kind = cellKind(cell);
    if (cell.cell_type === "code") result.codeCells++;
    if (kind === "solution" || kind === "manual") result.stubbed++;
    if (kind === "test") result.autoPoints += cell.metadata.nbgrader?.points ?? 0;
    if (kind === "manual") result.manualPoints += cell.metadata.nbgrader?.points ?? 0;
    const r = releaseCell(cell);
    result.hiddenRemoved += r.hiddenRemoved;
    return r.cell;
  });
  const notebook: Notebook = { ...structuredClone(source), cells };
  notebook.metadata.seqlab = { ...meta, checksum: assignmentChecksum(source) };
  return { notebook, result };
}

/**
 * Writes the student version of `input` to `output`.
 *
 * @param input The assignment source.
 * @param output Where the student notebook goes (folders are created).
 * @returns What was released.
 * @throws {Error} When the input is missing or is not an assignment source.
 * @example
 * ```ts
 * releaseFile("notebooks/assignments/01-imdb-sentiment.ipynb", "out/release/01-imdb-sentiment.ipynb");
 * ```
 */
export function releaseFile(input: string, output: string): ReleaseResult {
  if (!fs.existsSync(input)) throw new Error(`${input}: no such notebook.`);
  const { notebook, result } = releaseNotebook(JSON.parse(fs.readFileSync(input, "utf8")), input);
  fs.mkdirSync(path.dirname(output), { recursive: true });
  fs.writeFileSync(output, JSON.stringify(notebook, null, 1) + "\n");
  return result;
}
