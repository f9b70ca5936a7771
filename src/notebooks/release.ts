/**
 * `seqlab release`: student versions of assignment notebooks, generated from the instructors'
 * solution versions (never kept by hand).
 *
 * A code cell tagged `solution` (cell metadata `"tags": ["solution"]`) keeps its place but
 * its code is replaced by a stub that tells the student what to do; every output and
 * execution count is cleared, so nothing of a solution survives in the released file.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The tag that marks a cell students must write. */
export const SOLUTION_TAG = "solution";

/** The code a solution cell becomes in the student version. */
export const STUDENT_STUB = "// YOUR CODE HERE: write your solution for the task above, then run the cell.\n";

/** The part of a notebook that release reads and writes. */
interface Notebook {
  cells: Array<{
    cell_type: string;
    source: string | string[];
    metadata?: { tags?: string[]; [key: string]: unknown };
    outputs?: unknown[];
    execution_count?: number | null;
    [key: string]: unknown;
  }>;
  [key: string]: unknown;
}

/** What {@link releaseNotebook} did. */
export interface ReleaseResult {
  /** Solution cells replaced by stubs. */
  stubbed: number;
  /** Code cells in the notebook. */
  codeCells: number;
}

/**
 * Turns a solution notebook's JSON into the student version.
 *
 * @param json The solution notebook, parsed.
 * @returns The student notebook and counts.
 * @throws {Error} When the value is not a notebook (no `cells` array).
 * @example
 * ```ts
 * const { notebook, stubbed } = releaseNotebook(JSON.parse(fs.readFileSync(file, "utf8")));
 * ```
 */
export function releaseNotebook(json: unknown): { notebook: Notebook; result: ReleaseResult } {
  const nb = structuredClone(json) as Notebook;
  if (!nb || !Array.isArray(nb.cells)) throw new Error("not a Jupyter notebook: it has no `cells` list.");
  let stubbed = 0;
  let codeCells = 0;
  for (const cell of nb.cells) {
    if (cell.cell_type !== "code") continue;
    codeCells++;
    cell.outputs = [];
    cell.execution_count = null;
    if (cell.metadata?.tags?.includes(SOLUTION_TAG)) {
      cell.source = STUDENT_STUB;
      cell.metadata.tags = cell.metadata.tags.filter((t) => t !== SOLUTION_TAG).concat("student-task");
      stubbed++;
    }
  }
  return { notebook: nb, result: { stubbed, codeCells } };
}

/**
 * Writes the student version of `input` to `output`.
 *
 * @param input The solution notebook.
 * @param output Where the student notebook goes (folders are created).
 * @returns What was stubbed.
 * @throws {Error} When the input is missing or is not a notebook, or has no solution cell.
 */
export function releaseFile(input: string, output: string): ReleaseResult {
  if (!fs.existsSync(input)) throw new Error(`${input}: no such notebook.`);
  const { notebook, result } = releaseNotebook(JSON.parse(fs.readFileSync(input, "utf8")));
  if (result.stubbed === 0) {
    throw new Error(`${input}: no cell is tagged "${SOLUTION_TAG}", so a release would give the answers away. Tag the cells students must write.`);
  }
  fs.mkdirSync(path.dirname(output), { recursive: true });
  fs.writeFileSync(output, JSON.stringify(notebook, null, 1) + "\n");
  return result;
}
