/**
 * Running a notebook through the real kernel in tests and reading what it printed and showed.
 *
 * @module
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { executeNotebooks, type NotebookResult } from "../../src/notebooks/execute";

/** One output of an executed code cell, as nbformat stores it. */
export interface NbOutput {
  output_type: "stream" | "display_data" | "execute_result" | "error";
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

/** A code cell of an executed notebook. */
export interface NbCell {
  cell_type: string;
  source: string | string[];
  outputs?: NbOutput[];
  execution_count?: number | null;
}

/** An executed notebook and its exports. */
export interface ExecutedNotebook {
  /** The runner's verdict. */
  result: NotebookResult;
  /** The executed notebook's cells. */
  cells: NbCell[];
  /** The exported HTML file. */
  html: string;
  /** All stdout text, in order. */
  stdout: string;
  /** All stderr text, in order. */
  stderr: string;
  /** Every display_data / execute_result bundle, in order. */
  bundles: Array<Record<string, unknown>>;
}

const joinText = (t: string | string[] | undefined): string => (Array.isArray(t) ? t.join("") : t ?? "");

/** nbformat stores multi-line text as a list of lines: join them back. */
function normalizeBundle(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [mime, value] of Object.entries(data)) {
    out[mime] = Array.isArray(value) && !mime.endsWith("json") && value.every((v) => typeof v === "string") ? value.join("") : value;
  }
  return out;
}

/**
 * Executes `notebook` with nbclient through the seqlab kernel into a temp folder.
 *
 * @param notebook Path of the .ipynb.
 * @param options `quick` sets SEQLAB_QUICK=1; `allowErrors` keeps running after errors; `env`
 *   adds settings for the kernel (e.g. a notebook's data path).
 * @returns What it printed and displayed.
 */
export async function runNotebook(
  notebook: string,
  options: { quick?: boolean; allowErrors?: boolean; timeout?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<ExecutedNotebook> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-nb-"));
  const base = path.join(dir, path.basename(notebook, ".ipynb"));
  const [result] = await executeNotebooks([{ input: notebook, ipynb: `${base}.ipynb`, html: `${base}.html` }], {
    env: { ...(options.quick === false ? {} : { SEQLAB_QUICK: "1" }), ...options.env },
    allowErrors: options.allowErrors ?? false,
    timeout: options.timeout ?? 900,
  });
  const nb = JSON.parse(fs.readFileSync(`${base}.ipynb`, "utf8")) as { cells: NbCell[] };
  const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
  return {
    result: result!,
    cells: nb.cells,
    html: `${base}.html`,
    stdout: outputs.filter((o) => o.output_type === "stream" && o.name === "stdout").map((o) => joinText(o.text)).join(""),
    stderr: outputs.filter((o) => o.output_type === "stream" && o.name === "stderr").map((o) => joinText(o.text)).join(""),
    bundles: outputs
      .filter((o) => o.output_type === "display_data" || o.output_type === "execute_result")
      .map((o) => normalizeBundle(o.data ?? {})),
  };
}

/** The Plotly MIME type. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** A Plotly figure as stored in a notebook output. */
export interface StoredFigure {
  data: Array<{ x?: unknown[]; y?: unknown[]; name?: string; type?: string }>;
  layout: { title?: { text?: string } | string; xaxis?: { title?: { text?: string } }; yaxis?: { title?: { text?: string } } };
}

/** Every Plotly figure a notebook displayed. */
export function plotlyFigures(nb: ExecutedNotebook): StoredFigure[] {
  return nb.bundles.filter((b) => PLOTLY_MIME in b).map((b) => b[PLOTLY_MIME] as StoredFigure);
}

/** The MIME type of a notebook's closing summary (`showResults`). */
export const RESULTS_MIME = "application/vnd.seqlab.results+json";

/** A notebook's closing summary as `showResults` emitted it. */
export interface StoredResults {
  title: string;
  mode: "quick" | "full";
  metrics: Record<string, number | string | boolean>;
}

/** The summaries a notebook emitted, in order. */
export function notebookResults(nb: ExecutedNotebook): StoredResults[] {
  return nb.bundles.filter((b) => RESULTS_MIME in b).map((b) => b[RESULTS_MIME] as StoredResults);
}
