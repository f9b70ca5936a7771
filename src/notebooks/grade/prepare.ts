/**
 * Preparing a submission for grading: parse it (whatever the file holds), check it belongs to
 * the assignment, and rebuild the notebook to run from the source — every given and test cell
 * restored from the source (hidden tests back in, changes reported by checksum), the student's
 * solution and answer cells and their own extra cells kept in place.
 *
 * @module
 */
import { releaseCell } from "../release";
import { ANSWER_STUB, cellChecksum, cellKind, cellText, type Cell, type Notebook } from "./assignment";

/** A submission ready to run. */
export interface PreparedSubmission {
  status: "ok";
  /** The notebook to execute. */
  notebook: Notebook;
  /** Indices (in `notebook`) of cells whose text the student wrote. */
  studentCells: number[];
  /** What was restored or noticed, for the feedback ("cell "t1" was changed; restored"). */
  notes: string[];
}

/** A submission that cannot be graded. */
export interface RejectedSubmission {
  status: "invalid" | "wrong-assignment";
  /** Why, and what to do about it. */
  message: string;
}

const isCell = (c: unknown): c is Cell =>
  typeof c === "object" && c !== null && typeof (c as Cell).cell_type === "string" && (typeof (c as Cell).source === "string" || Array.isArray((c as Cell).source));

/** The grade id of a submission's cell, when it has a usable one. */
const gradeIdOf = (c: Cell): string | undefined => {
  const id = (c.metadata as { nbgrader?: { grade_id?: unknown } } | undefined)?.nbgrader?.grade_id;
  return typeof id === "string" ? id : undefined;
};

/**
 * Parses and rebuilds a submission against its assignment source.
 *
 * @param source The assignment source (with solutions and hidden tests).
 * @param bytes The submission file's content.
 * @returns A notebook to run, or why the submission cannot be graded.
 * @example
 * ```ts
 * const prepared = prepareSubmission(source, fs.readFileSync("alice.ipynb"));
 * if (prepared.status === "ok") run(prepared.notebook);
 * ```
 */
export function prepareSubmission(source: Notebook, bytes: Uint8Array | string): PreparedSubmission | RejectedSubmission {
  const name = source.metadata.seqlab?.assignment ?? "this assignment";
  let json: unknown;
  try {
    json = JSON.parse(typeof bytes === "string" ? bytes : Buffer.from(bytes).toString("utf8"));
  } catch (err) {
    return { status: "invalid", message: `the file is not a notebook: it is not valid JSON (${(err as Error).message.replace(/\s+/g, " ").trim()}). Submit the .ipynb file saved by JupyterLab.` };
  }
  const sub = json as Partial<Notebook> | null;
  if (typeof sub !== "object" || sub === null || !Array.isArray(sub.cells) || !sub.cells.every(isCell)) {
    return { status: "invalid", message: "the file is JSON but not a Jupyter notebook (no list of cells with cell_type and source). Submit the .ipynb file saved by JupyterLab." };
  }
  const subMeta = (sub.metadata as { seqlab?: { assignment?: unknown; checksum?: unknown } } | undefined)?.seqlab;
  if (subMeta && typeof subMeta.assignment === "string" && subMeta.assignment !== name) {
    return { status: "wrong-assignment", message: `this is a notebook of assignment "${subMeta.assignment}", not "${name}". Submit your notebook for "${name}".` };
  }
  const sourceIds = new Set(source.cells.map((c) => c.metadata.nbgrader?.grade_id).filter((id): id is string => !!id));
  const byId = new Map<string, Cell>();
  for (const c of sub.cells) {
    const id = gradeIdOf(c);
    if (id && sourceIds.has(id) && !byId.has(id)) byId.set(id, c);
  }
  // Grade ids ("setup", "task1-code") repeat across assignments: it takes one of this
  // assignment's locked cells, as released, to be a notebook of it.
  const lockedTexts = new Set(source.cells.filter((c) => cellKind(c) === "given" || cellKind(c) === "test").map((c) => cellText(releaseCell(c).cell).trim()));
  if (!sub.cells.some((c) => lockedTexts.has(cellText(c).trim()))) {
    return { status: "wrong-assignment", message: `none of the cells of assignment "${name}" are in this notebook. Submit the notebook released for "${name}".` };
  }
  const notes: string[] = [];
  // The student's extra cells (no known grade id), attached to the known cell before them.
  const extrasAfter = new Map<string, Cell[]>();
  let last = "";
  for (const c of sub.cells) {
    const id = gradeIdOf(c);
    if (id && byId.get(id) === c) last = id;
    else if (c.cell_type === "code" || c.cell_type === "markdown") extrasAfter.set(last, [...(extrasAfter.get(last) ?? []), c]);
  }
  const cells: Cell[] = [];
  const studentCells: number[] = [];
  const addExtras = (after: string): void => {
    for (const c of extrasAfter.get(after) ?? []) {
      studentCells.push(cells.length);
      cells.push(c.cell_type === "code"
        ? { cell_type: "code", source: cellText(c), metadata: {}, outputs: [], execution_count: null }
        : { cell_type: "markdown", source: cellText(c), metadata: {} });
    }
  };
  addExtras("");
  for (const original of source.cells) {
    const cell: Cell = structuredClone(original);
    if (cell.cell_type === "code") {
      cell.outputs = [];
      cell.execution_count = null;
    }
    const id = original.metadata.nbgrader?.grade_id ?? "";
    const theirs = byId.get(id);
    const kind = cellKind(original);
    if (kind === "solution" || kind === "manual") {
      if (theirs) cell.source = cellText(theirs);
      else {
        cell.source = kind === "manual" ? ANSWER_STUB : releaseCell(original).cell.source;
        notes.push(`cell "${id}" (your ${kind === "manual" ? "answer" : "code"}) is missing from the submission; it was graded as the empty stub.`);
      }
      studentCells.push(cells.length);
    } else if (id) {
      const released = releaseCell(original).cell;
      if (!theirs) notes.push(`cell "${id}" was deleted; it was restored from the assignment.`);
      else if (cellChecksum({ ...released, source: cellText(theirs) }) !== cellChecksum(released)) {
        notes.push(`cell "${id}" was changed (its checksum differs); it was restored from the assignment${kind === "test" ? ": tests cannot be edited" : ""}.`);
      }
    }
    cells.push(cell);
    if (id) addExtras(id);
  }
  const notebook: Notebook = { cells, metadata: structuredClone(source.metadata), nbformat: 4, nbformat_minor: source.nbformat_minor ?? 5 };
  for (const c of notebook.cells) {
    if (c.cell_type !== "code") delete c.outputs;
  }
  return { status: "ok", notebook, studentCells, notes };
}
