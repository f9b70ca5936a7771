/**
 * Assignment notebooks as nbgrader sees them: cell metadata (`metadata.nbgrader`, schema 3),
 * the kinds of cell it implies, solution and hidden-test regions, cell checksums and the
 * assignment checksum a grader uses to refuse a submission of another version.
 *
 * Cell kinds (nbgrader's): a *solution* cell (`solution: true`, `grade: false`) is code the
 * student writes; a *test* cell (`grade: true`, `solution: false`, `locked: true`, `points`) is
 * autograded: it scores its points when it runs without raising; a *manual* cell
 * (`solution: true`, `grade: true`, `points`) is a written answer the instructor grades; every
 * other cell is *given* and `locked`.
 *
 * The source notebook's `metadata.seqlab` names the assignment and how to grade it:
 * `{ "assignment": "01-imdb-sentiment", "seed": 42, "mode": "full" }`.
 *
 * @module
 */
import { createHash } from "node:crypto";

/** nbgrader's cell metadata, schema 3. */
export interface NbgraderMeta {
  schema_version: 3;
  grade: boolean;
  solution: boolean;
  locked: boolean;
  grade_id: string;
  points?: number;
  task?: boolean;
  /** Set by `seqlab release` on locked and test cells. */
  checksum?: string;
}

/** One notebook cell, as nbformat 4 stores it. */
export interface Cell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata: { nbgrader?: NbgraderMeta; tags?: string[]; [key: string]: unknown };
  outputs?: unknown[];
  execution_count?: number | null;
  attachments?: unknown;
  id?: string;
}

/** What `metadata.seqlab` of an assignment holds. */
export interface AssignmentMeta {
  /** The assignment's name; a submission of another name is `wrong-assignment`. */
  assignment: string;
  /** The seed graded runs use (`seed()` in kernel-helpers, `SEQLAB_SEED`). */
  seed: number;
  /** Quick (small data, few epochs) or full. */
  mode: "quick" | "full";
  /** Set by `seqlab release`: the {@link assignmentChecksum} of the source. */
  checksum?: string;
}

/** An nbformat 4 notebook. */
export interface Notebook {
  cells: Cell[];
  metadata: { seqlab?: AssignmentMeta; kernelspec?: { name?: string }; [key: string]: unknown };
  nbformat: number;
  nbformat_minor: number;
}

/** How a cell is graded. */
export type CellKind = "solution" | "test" | "manual" | "given";

/**
 * The text of a cell, joined.
 *
 * @example
 * ```ts
 * cellText({ source: ["a\n", "b"] }); // "a\nb"
 * ```
 */
export const cellText = (cell: Pick<Cell, "source">): string => (Array.isArray(cell.source) ? cell.source.join("") : cell.source);

/**
 * The grading kind of a cell from its nbgrader metadata.
 *
 * @param cell A cell.
 * @returns `solution`, `test`, `manual` or `given`.
 * @example
 * ```ts
 * cellKind({ cell_type: "code", source: "", metadata: { nbgrader: { grade: true, solution: false, locked: true, points: 2, grade_id: "t1", schema_version: 3 } } }); // "test"
 * ```
 */
export function cellKind(cell: Cell): CellKind {
  const m = cell.metadata?.nbgrader;
  if (!m) return "given";
  if (m.solution && m.grade) return "manual";
  if (m.solution) return "solution";
  if (m.grade) return "test";
  return "given";
}

/** Begin/end markers of the regions release and grade act on. */
export const MARKERS = {
  solution: { begin: /^\s*\/\/ BEGIN SOLUTION\s*$/, end: /^\s*\/\/ END SOLUTION\s*$/ },
  hidden: { begin: /^\s*\/\/ BEGIN HIDDEN TESTS\s*$/, end: /^\s*\/\/ END HIDDEN TESTS\s*$/ },
} as const;

/** The code a solution region (or a whole solution cell) becomes in the student version. */
export const STUB_LINES = ["// YOUR CODE HERE", 'throw new Error("Not implemented");'];

/** What a manually graded answer cell becomes in the student version. */
export const ANSWER_STUB = "YOUR ANSWER HERE";

/**
 * Replaces each region between `begin` and `end` marker lines (markers included), keeping the
 * region's indentation for the replacement lines.
 *
 * @param text The cell's code.
 * @param markers Which region.
 * @param replacement Lines to put instead (empty to remove the region).
 * @returns The new text and how many regions were replaced.
 * @throws {Error} When a region is not closed, or closed without being opened.
 * @example
 * ```ts
 * replaceRegions("a\n// BEGIN SOLUTION\nb\n// END SOLUTION", MARKERS.solution, ["// YOUR CODE HERE"]); // { text: "a\n// YOUR CODE HERE", count: 1 }
 * ```
 */
export function replaceRegions(text: string, markers: { begin: RegExp; end: RegExp }, replacement: readonly string[]): { text: string; count: number } {
  const out: string[] = [];
  let inside: string | null = null;
  let count = 0;
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    if (inside === null && markers.begin.test(line)) {
      inside = /^\s*/.exec(line)![0];
      count++;
    } else if (inside !== null && markers.end.test(line)) {
      out.push(...replacement.map((r) => inside + r));
      inside = null;
    } else if (markers.end.test(line)) {
      throw new Error(`line ${i + 1}: "${line.trim()}" closes a region that was never opened.`);
    } else if (inside === null) {
      out.push(line);
    }
  });
  if (inside !== null) throw new Error(`a region opened with "${markers.begin.source}" is never closed: add the END line.`);
  return { text: out.join("\n"), count };
}

/**
 * The checksum of a cell, over what a student must not change: its kind, grade id, points and
 * source (nbgrader's idea; seqlab's own hash, sha256).
 *
 * @param cell A cell.
 * @returns 64 hex digits.
 * @example
 * ```ts
 * cellChecksum(cell) === cell.metadata.nbgrader?.checksum; // untouched
 * ```
 */
export function cellChecksum(cell: Cell): string {
  const m = cell.metadata?.nbgrader;
  const parts = [cell.cell_type, m?.grade_id ?? "", String(m?.points ?? ""), String(!!m?.grade), String(!!m?.solution), String(!!m?.locked), cellText(cell).replace(/\s+$/, "")];
  return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

/**
 * The checksum of an assignment version: its name, seed, mode and every cell's checksum (with
 * hidden tests), in order. A grading worker compares it to refuse another version.
 *
 * @param source The source (instructor) notebook.
 * @returns 64 hex digits.
 * @example
 * ```ts
 * assignmentChecksum(readNotebook("notebooks/assignments/01-imdb-sentiment.ipynb"));
 * ```
 */
export function assignmentChecksum(source: Notebook): string {
  const meta = source.metadata.seqlab;
  const h = createHash("sha256").update(JSON.stringify([meta?.assignment, meta?.seed, meta?.mode]));
  for (const cell of source.cells) h.update(cellChecksum(cell));
  return h.digest("hex");
}

/**
 * Reads the assignment settings of a source notebook.
 *
 * @param source The source notebook.
 * @param file Its path, for errors.
 * @returns Name, seed and mode.
 * @throws {Error} When `metadata.seqlab` is missing or malformed, with the fix.
 * @example
 * ```ts
 * assignmentMeta(source, "01-imdb-sentiment.ipynb"); // { assignment: "01-imdb-sentiment", seed: 42, mode: "full" }
 * ```
 */
export function assignmentMeta(source: Notebook, file: string): AssignmentMeta {
  const m = source.metadata?.seqlab;
  if (!m || typeof m.assignment !== "string" || !Number.isInteger(m.seed) || (m.mode !== "quick" && m.mode !== "full")) {
    throw new Error(
      `${file}: not an assignment source: its notebook metadata needs "seqlab": {"assignment": "<name>", "seed": <integer>, "mode": "quick" | "full"}. Received: seqlab=${JSON.stringify(m)}`,
    );
  }
  return { assignment: m.assignment, seed: m.seed, mode: m.mode };
}

/**
 * Checks an assignment source: unique grade ids, points on graded cells, at least one solution
 * cell, a `checkTask(id, points, …)` in each test cell matching its metadata, closed regions.
 *
 * @param source The source notebook.
 * @param file Its path, for errors.
 * @throws {Error} Naming the first problem and its cell.
 * @example
 * ```ts
 * validateAssignment(source, "01-imdb-sentiment.ipynb"); // throws on the first problem
 * ```
 */
export function validateAssignment(source: Notebook, file: string): void {
  assignmentMeta(source, file);
  const ids = new Set<string>();
  let solutions = 0;
  source.cells.forEach((cell, i) => {
    const m = cell.metadata?.nbgrader;
    const where = `${file}, cell ${i}`;
    if (!m) throw new Error(`${where}: has no metadata.nbgrader; every cell of an assignment source needs one (given cells: locked, not graded).`);
    if (m.schema_version !== 3) throw new Error(`${where}: nbgrader schema_version must be 3. Received: ${String(m.schema_version)}`);
    if (!m.grade_id || ids.has(m.grade_id)) throw new Error(`${where}: grade_id ${JSON.stringify(m.grade_id)} is missing or used twice.`);
    ids.add(m.grade_id);
    const kind = cellKind(cell);
    if (kind === "solution" || kind === "manual") solutions++;
    if ((kind === "test" || kind === "manual") && !(typeof m.points === "number" && m.points > 0)) throw new Error(`${where}: graded cell "${m.grade_id}" needs points > 0.`);
    if (kind === "test") {
      const call = /checkTask\(\s*"([^"]+)"\s*,\s*([\d.]+)/.exec(cellText(cell));
      if (!call || call[1] !== m.grade_id || Number(call[2]) !== m.points) {
        throw new Error(`${where}: test cell "${m.grade_id}" (${m.points} points) must call checkTask("${m.grade_id}", ${m.points}, ...). Found: ${call ? call[0] : "no checkTask call"}`);
      }
    }
    if (cell.cell_type === "code") {
      replaceRegions(cellText(cell), MARKERS.solution, []);
      replaceRegions(cellText(cell), MARKERS.hidden, []);
    }
  });
  if (solutions === 0) throw new Error(`${file}: no solution cell (metadata.nbgrader.solution: true), so a release would give the answers away.`);
}
