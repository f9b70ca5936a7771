/**
 * The table `seqlab run` prints, and the failing cells under it.
 *
 * @module
 */
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
