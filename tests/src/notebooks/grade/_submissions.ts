/**
 * Building submissions for grading tests from a released assignment: the reference solution
 * pasted back, and variations of it.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { cellKind, cellText, type Notebook } from "../../../../src/notebooks/grade/assignment";
import { releaseNotebook } from "../../../../src/notebooks/release";

/** Reads a notebook. */
export const readNb = (file: string): Notebook => JSON.parse(fs.readFileSync(file, "utf8")) as Notebook;

/**
 * The student version of `sourceFile` with every solution and written answer of the source
 * pasted back into its stub, then `edits` (grade id → new cell text) applied.
 *
 * @param sourceFile The assignment source.
 * @param edits Cells to replace after pasting, by grade id.
 * @returns The submission notebook.
 */
export function pastedRelease(sourceFile: string, edits: Record<string, string> = {}): Notebook {
  const source = readNb(sourceFile);
  const { notebook } = releaseNotebook(source, sourceFile);
  for (const cell of notebook.cells) {
    const id = cell.metadata.nbgrader?.grade_id ?? "";
    const original = source.cells.find((c) => c.metadata.nbgrader?.grade_id === id);
    if (original && (cellKind(original) === "solution" || cellKind(original) === "manual")) cell.source = cellText(original);
    if (id in edits) cell.source = edits[id]!;
  }
  return notebook;
}

/** The untouched student version of `sourceFile`. */
export function released(sourceFile: string): Notebook {
  return releaseNotebook(readNb(sourceFile), sourceFile).notebook;
}

/** Writes `nb` (or raw text) as `<dir>/<name>.ipynb`. */
export function writeSubmission(dir: string, name: string, nb: Notebook | string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.ipynb`);
  fs.writeFileSync(file, typeof nb === "string" ? nb : JSON.stringify(nb, null, 1));
  return file;
}
