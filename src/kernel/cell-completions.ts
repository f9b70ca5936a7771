/**
 * Completions in a cell, in the order the notebook shows them: when the cursor is on an
 * identifier, the candidates that start with it come first, then those that start with it
 * ignoring case, then those containing it, each group in the compiler's order; others are
 * left out. Elsewhere every candidate is listed by the compiler's sort text, then by name.
 *
 * @module
 */
import * as ts from "@tslab/typescript-for-tslab";
import type { CompletionInfo } from "tslab/dist/converter";

const NEVER_CANCELLED: ts.CancellationToken = { isCancellationRequested: () => false, throwIfCancellationRequested: () => undefined };

/** The rank of a candidate for a typed prefix: 0 starts with it, 1 ignoring case, 2 contains it, -1 none. */
function rank(candidate: string, typed: string): number {
  if (candidate.startsWith(typed)) return 0;
  const lower = candidate.toLowerCase();
  const typedLower = typed.toLowerCase();
  if (lower.startsWith(typedLower)) return 1;
  return lower.includes(typedLower) ? 2 : -1;
}

/**
 * The completions at `pos` in `file`.
 *
 * @param program The cell's program.
 * @param file The cell's file.
 * @param pos The cursor's offset in `file`.
 * @param prefixLength The length of the text before the cell's own text in `file` (subtracted from the offsets returned).
 * @returns The replaced range (in the cell's text) and the candidates.
 * @example
 * ```ts
 * orderCompletions(program, cellFile, 12 + 11, 11).candidates; // ["sayBye", "sayHello"]
 * ```
 */
export function orderCompletions(program: ts.Program, file: ts.SourceFile, pos: number, prefixLength: number): CompletionInfo {
  const info = ts.Completions.getCompletionsAtPositionForTslab(
    {} as ts.LanguageServiceHost,
    program,
    () => undefined,
    file,
    pos,
    {},
    undefined,
    ts.CompletionTriggerKind.Invoked,
    NEVER_CANCELLED,
  );
  const entries = info?.entries ?? [];
  const prev = ts.findPrecedingToken(pos, file);
  let id: ts.Node | undefined;
  if (prev && ts.isIdentifier(prev) && prev.end >= pos) id = prev;
  else {
    const next = prev ? ts.findNextToken(prev, file, file) : undefined;
    if (next && ts.isIdentifier(next) && next.getStart(file) <= pos && pos <= next.end) id = next;
  }
  const base = info ? { original: info } : {};
  if (id && ts.isIdentifier(id)) {
    const typed = id.text;
    const ranked = entries
      .map((e, index) => ({ name: e.name, key: rank(e.name, typed), sortText: e.sortText, index }))
      .filter((e) => e.key >= 0)
      .sort((a, b) => {
        const byKey = `${a.key}${a.sortText}`.localeCompare(`${b.key}${b.sortText}`);
        return byKey !== 0 ? byKey : a.index - b.index;
      });
    return { start: id.getStart(file) - prefixLength, end: id.end - prefixLength, candidates: ranked.map((e) => e.name), ...base };
  }
  const sorted = [...entries].sort((a, b) => a.sortText.localeCompare(b.sortText) || a.name.localeCompare(b.name));
  return { start: pos - prefixLength, end: pos - prefixLength, candidates: sorted.map((e) => e.name), ...base };
}
