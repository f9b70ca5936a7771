/**
 * Finding the notebooks a command should act on, and where their outputs go.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { notebooksDir, outDir } from "../setup/paths";
import { InputError } from "../errors";

/** A notebook and the files written for it. */
export interface NotebookJob {
  /** The source notebook. */
  input: string;
  /** The executed copy, under `out/` mirroring `notebooks/`. */
  ipynb: string;
  /** The HTML export beside it. */
  html: string;
}

/** Every `.ipynb` below `dir`, sorted, skipping checkpoints and hidden folders. */
export function findNotebooks(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith(".")) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith(".ipynb")) found.push(p);
    }
  };
  walk(dir);
  return found;
}

/**
 * Resolves command-line paths (files or folders; none means all of `notebooks/`) to jobs.
 *
 * A notebook inside `notebooks/` is written to the same relative place under `out/`; one
 * elsewhere goes to `out/` under its own name.
 *
 * @param paths Files or folders.
 * @param out The output root.
 * @returns One job per notebook.
 * @throws {Error} When a path does not exist or is not a notebook.
 */
export function resolveJobs(paths: readonly string[], out: string = outDir): NotebookJob[] {
  const inputs: string[] = [];
  for (const p of paths.length > 0 ? paths : [notebooksDir]) {
    const abs = path.resolve(p);
    if (!fs.existsSync(abs)) throw new InputError(`${p}: no such file or folder. Give a notebook (.ipynb) or a folder of notebooks.`);
    if (fs.statSync(abs).isDirectory()) inputs.push(...findNotebooks(abs));
    else if (abs.endsWith(".ipynb")) inputs.push(abs);
    else throw new InputError(`${p}: not a notebook. Give a .ipynb file or a folder of notebooks.`);
  }
  return inputs.map((input) => {
    const rel = path.relative(notebooksDir, input);
    const inside = !rel.startsWith("..") && !path.isAbsolute(rel);
    const base = path.join(out, inside ? rel : path.basename(input)).replace(/\.ipynb$/, "");
    return { input, ipynb: `${base}.ipynb`, html: `${base}.html` };
  });
}
