/**
 * Internal: Keras' word splitting, resolved once per configuration.
 *
 * @module
 */
import { InvalidArgumentError, describeValue } from "../errors";
import { assertBoolean, assertString } from "../errors";

/**
 * Keras' default `filters`: every ASCII punctuation character except the apostrophe, plus
 * tab and newline: `` !"#$%&()*+,-./:;<=>?@[\]^_`{|}~\t\n ``.
 *
 * @example
 * ```ts
 * new Tokenizer({ filters: DEFAULT_TEXT_FILTERS.replace("-", "") }); // keep hyphenated words
 * ```
 */
export const DEFAULT_TEXT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n';

/** Settings resolved once, reused for every text. @internal */
export interface _WordSplitter {
  (text: string): string[];
  /** Word boundaries by char code for the one-pass path (one-unit `split`, BMP filters), else null. */
  readonly boundary: Uint8Array | null;
  /** Whether texts are lower-cased. */
  readonly lower: boolean;
}

/**
 * Builds a fast splitter with Keras' semantics: lower-case, replace each filter character
 * by `split`, split on `split`, drop empty strings.
 *
 * @internal
 */
export function _makeWordSplitter(filters: string, lower: boolean, split: string): _WordSplitter {
  const filterChars = Array.from(filters);
  const simple = split.length === 1 && filterChars.every((c) => c.length === 1);
  if (simple) {
    // One code unit separator and BMP filters: a word ends at any filter char or `split`.
    let maxCode = split.charCodeAt(0);
    for (const c of filterChars) maxCode = Math.max(maxCode, c.charCodeAt(0));
    const table = new Uint8Array(maxCode + 1);
    table[split.charCodeAt(0)] = 1;
    for (const c of filterChars) table[c.charCodeAt(0)] = 1;
    const limit = table.length;
    const fn = (text: string): string[] => {
      const s = lower ? text.toLowerCase() : text;
      const words: string[] = [];
      let start = 0;
      const n = s.length;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c < limit && table[c] === 1) {
          if (i > start) words.push(s.slice(start, i));
          start = i + 1;
        }
      }
      if (n > start) words.push(s.slice(start));
      return words;
    };
    return Object.assign(fn, { boundary: table, lower });
  }
  const filterSet = new Set(filterChars);
  const fn = (text: string): string[] => {
    const s = lower ? text.toLowerCase() : text;
    let translated = "";
    for (const c of s) translated += filterSet.has(c) ? split : c;
    return translated.split(split).filter((w) => w.length > 0);
  };
  return Object.assign(fn, { boundary: null, lower });
}

/** Validates and resolves {@link TextToWordSequenceOptions}. @internal */
export function _resolveWordOptions(
  options: { filters?: string; lower?: boolean; split?: string },
): { filters: string; lower: boolean; split: string } {
  const filters = options.filters ?? DEFAULT_TEXT_FILTERS;
  const lower = options.lower ?? true;
  const split = options.split ?? " ";
  assertString(filters, "filters");
  assertBoolean(lower, "lower");
  assertString(split, "split");
  if (split.length === 0) {
    throw new InvalidArgumentError(
      "`split` must be a non-empty separator string such as \" \". Received: split=" + describeValue(split),
    );
  }
  return { filters, lower, split };
}

