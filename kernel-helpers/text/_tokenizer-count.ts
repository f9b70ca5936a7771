/**
 * Internal: the counting behind the legacy Tokenizer's fit and matrix encodings.
 *
 * @module
 */
import { IdBuffer, TokenTable, delimitedIds } from "./_token-table";
import type { TokenizerMatrixMode, TokenizerText } from "./tokenizer-types";

/**
 * Counts tokens over texts with dense ids in first-seen order: `wc[id]` occurrences and
 * `wd[id]` documents containing `words[id]`. Strings go through the one-pass scanner when
 * `boundary` is given (already resolved for `split`/`filters`); others through `tokensOf`.
 */
export function _countTokens(
  texts: readonly TokenizerText[],
  boundary: Uint8Array | null,
  lower: boolean,
  tokensOf: (text: TokenizerText) => readonly string[],
  ids: IdBuffer,
): { words: string[]; wc: number[]; wd: number[] } {
  const table = new TokenTable();
  const wc: number[] = [];
  const wd: number[] = [];
  const lastDoc: number[] = [];
  for (let doc = 0; doc < texts.length; doc++) {
    const text = texts[doc];
    const bump = (id: number): void => {
      if (id === wc.length) {
        wc.push(0);
        wd.push(0);
        lastDoc.push(-1);
      }
      wc[id]++;
      if (lastDoc[id] !== doc) {
        lastDoc[id] = doc;
        wd[id]++;
      }
    };
    if (typeof text === "string" && boundary) {
      const s = lower ? text.toLowerCase() : text;
      const n = delimitedIds(s, boundary, table, true, ids);
      const found = ids.ids;
      for (let k = 0; k < n; k++) bump(found[k]);
    } else for (const w of tokensOf(text)) bump(table.add(w));
  }
  return { words: table.words, wc, wd };
}

/**
 * One row of `width` values per sequence; ids `>= width` are skipped. `"binary"` 1,
 * `"count"` c, `"freq"` c / seq.length, `"tfidf"` (1 + ln c) · ln(1 + docs / (1 + df)).
 */
export function _countMatrix(
  sequences: readonly ArrayLike<number>[],
  width: number,
  mode: TokenizerMatrixMode,
  documentCount: number,
  indexDocs: ReadonlyMap<number, number>,
): number[][] {
  return sequences.map((seq) => {
    const row: number[] = new Array<number>(width).fill(0);
    if (seq.length === 0) return row;
    const counts = new Map<number, number>();
    for (let k = 0; k < seq.length; k++) {
      const j = seq[k];
      if (j >= width) continue;
      counts.set(j, (counts.get(j) ?? 0) + 1);
    }
    for (const [j, c] of counts) {
      if (mode === "count") row[j] = c;
      else if (mode === "freq") row[j] = c / seq.length;
      else if (mode === "binary") row[j] = 1;
      else row[j] = (1 + Math.log(c)) * Math.log(1 + documentCount / (1 + (indexDocs.get(j) ?? 0)));
    }
    return row;
  });
}
