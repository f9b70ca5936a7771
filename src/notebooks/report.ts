/**
 * The table `seqlab run` prints, the failing cells under it, and the course results file
 * `seqlab run --json` writes from each notebook's summary.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { notebooksDir } from "../setup/paths";
import type { NotebookResult } from "./execute";

/**
 * Formats results as an aligned table: notebook, status, seconds.
 *
 * @param results Finished notebooks.
 * @returns The table, one line per notebook under a header.
 */
export function formatTable(results: readonly NotebookResult[]): string {
  const rows = results.map((r) => [displayName(r.input), r.status, r.seconds.toFixed(1)]);
  const header = ["notebook", "status", "seconds"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: string[]): string => row.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
  return [fmt(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(fmt)].join("\n");
}

/** A notebook's path relative to `notebooks/` when inside it. */
export function displayName(input: string): string {
  const rel = path.relative(notebooksDir, input);
  return rel.startsWith("..") ? path.relative(process.cwd(), input) : rel;
}

/** Removes ANSI colour codes from a traceback line. */
export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
}

/**
 * Describes a failed notebook: which cell, its source, and the error with its traceback.
 *
 * @param r A failed result.
 * @returns Several lines of text.
 */
export function formatFailure(r: NotebookResult): string {
  const e = r.error ?? {};
  const lines = [`${displayName(r.input)}: ${e.cell !== undefined ? `cell ${e.cell + 1}` : "the run"} failed`];
  if (e.source) lines.push(...e.source.split("\n").map((l) => `  | ${l}`));
  lines.push(`  ${e.ename ?? "Error"}: ${e.evalue ?? ""}`);
  for (const t of e.traceback ?? []) lines.push(...stripAnsi(t).split("\n").map((l) => `    ${l}`));
  return lines.join("\n");
}

/** The MIME type notebooks emit their closing summary with (`showResults` in kernel-helpers). */
export const RESULTS_MIME = "application/vnd.seqlab.results+json";

/** One notebook's entry in the course results file written by `seqlab run --json`. */
export interface CourseResultEntry {
  /** The notebook, relative to `notebooks/` when inside it. */
  notebook: string;
  /** `quick` or `full`. */
  mode: "quick" | "full";
  /** `ok` or `failed`. */
  status: "ok" | "failed";
  /** Wall-clock seconds for execution and export. */
  seconds: number;
  /** The summary's title, or `null` when the notebook showed none. */
  title: string | null;
  /** Headline metrics from the notebook's summary (empty when it showed none). */
  metrics: Record<string, number | string | boolean>;
}

/** The course results file. */
export interface CourseResults {
  /** When the run finished (ISO 8601, UTC). */
  date: string;
  /** `quick` or `full`. */
  mode: "quick" | "full";
  /** One entry per notebook, in run order. */
  notebooks: CourseResultEntry[];
}

interface StoredOutput {
  output_type?: string;
  data?: Record<string, unknown>;
}

/**
 * Reads the summary a notebook emitted (its last `application/vnd.seqlab.results+json` output).
 *
 * @param ipynb An executed notebook file.
 * @returns Its title and metrics, or `null` when the file is missing or has no summary.
 * @example
 * ```ts
 * readNotebookSummary("out/lessons/02-rnn-memory-and-gradients.ipynb")?.metrics.verdict;
 * // "SimpleRNN stays at chance; LSTM learns it; GRU learns it"
 * ```
 */
export function readNotebookSummary(ipynb: string): { title: string; metrics: Record<string, number | string | boolean> } | null {
  if (!fs.existsSync(ipynb)) return null;
  const nb = JSON.parse(fs.readFileSync(ipynb, "utf8")) as { cells?: Array<{ outputs?: StoredOutput[] }> };
  let found: { title: string; metrics: Record<string, number | string | boolean> } | null = null;
  for (const cell of nb.cells ?? []) {
    for (const o of cell.outputs ?? []) {
      const d = o.data?.[RESULTS_MIME] as { title?: unknown; metrics?: unknown } | undefined;
      if (d && typeof d.title === "string" && d.metrics !== null && typeof d.metrics === "object") {
        found = { title: d.title, metrics: d.metrics as Record<string, number | string | boolean> };
      }
    }
  }
  return found;
}

/**
 * Builds the course results file from a run: notebook, mode, seconds and each headline metric.
 *
 * @param results The runner's results.
 * @param ipynbs The executed notebook files, in the same order.
 * @param mode Quick or full.
 * @param date When the run finished.
 * @returns The results, ready for `JSON.stringify`.
 * @example
 * ```ts
 * const results = await executeNotebooks(jobs);
 * const data = courseResults(results, jobs.map((j) => j.ipynb), "full");
 * data.notebooks[0].metrics; // { "LSTM accuracy, 30-step dependency": 1, ... }
 * ```
 */
export function courseResults(results: readonly NotebookResult[], ipynbs: readonly string[], mode: "quick" | "full", date = new Date()): CourseResults {
  return {
    date: date.toISOString(),
    mode,
    notebooks: results.map((r, i) => {
      const summary = readNotebookSummary(ipynbs[i]!);
      return {
        notebook: displayName(r.input),
        mode,
        status: r.status,
        seconds: Number(r.seconds.toFixed(1)),
        title: summary?.title ?? null,
        metrics: summary?.metrics ?? {},
      };
    }),
  };
}
