/**
 * Internal: the string operations of Keras 3's `TextVectorization`, reproduced on plain
 * strings (TensorFlow's `strings.lower`, `regex_replace`, `split`, `unicode_split`, `ngrams`).
 *
 * @module
 */
import { InvalidArgumentError, describeValue } from "../errors";
import type { TextVectorizationSplit, TextVectorizationStandardize } from "./text-vectorization-types";

/** Keras' `lower_and_strip_punctuation` removes exactly these characters (note `'`, not tab). */
export const STRIP_PUNCTUATION_REGEX = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~']/g;

/** TensorFlow's `strings.lower` (encoding "") lower-cases ASCII letters only. */
export function lowerAscii(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s;
}

const ASCII_WHITESPACE = /[ \t\n\v\f\r]+/;

/** TensorFlow's `strings.split(s)` without a separator: ASCII whitespace runs, no empty tokens. */
export function splitWhitespace(s: string): string[] {
  const parts = s.split(ASCII_WHITESPACE);
  if (parts.length > 0 && parts[0] === "") parts.shift();
  if (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** TensorFlow's `strings.ngrams(tokens, widths, separator=" ")`: all n-grams of each width, width by width. */
export function ngramsOf(tokens: readonly string[], widths: readonly number[]): string[] {
  const out: string[] = [];
  for (const n of widths) {
    if (n === 1) {
      for (const t of tokens) out.push(t);
      continue;
    }
    for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(" "));
  }
  return out;
}

/** Maps a UTF-16 code unit so that code-unit order becomes code-point (UTF-8 byte) order. */
function fixup(c: number): number {
  if (c >= 0xd800) return c <= 0xdfff ? c + 0x2000 : c - 0x800;
  return c;
}

/** Compares two strings by UTF-8 bytes (NumPy's order for byte strings). */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return fixup(x) - fixup(y);
  }
  return a.length - b.length;
}

/** The tokens of one text after `standardize`, `split` and n-grams, as `TextVectorization` makes them. */
export function tokensOf(
  text: string,
  standardize: TextVectorizationStandardize,
  split: TextVectorizationSplit,
  ngrams: readonly number[] | null,
): string[] {
  let s = text;
  const st = standardize;
  if (st === "lower" || st === "lower_and_strip_punctuation") s = lowerAscii(s);
  if (st === "strip_punctuation" || st === "lower_and_strip_punctuation") s = s.replace(STRIP_PUNCTUATION_REGEX, "");
  if (typeof st === "function") {
    s = st(s);
    if (typeof s !== "string") {
      throw new InvalidArgumentError("`standardize` must return a string. Received: " + describeValue(s));
    }
  }
  let tokens: string[];
  const sp = split;
  if (sp === "whitespace") tokens = splitWhitespace(s);
  else if (sp === "character") tokens = Array.from(s);
  else if (sp === null) tokens = [s];
  else {
    tokens = sp(s);
    if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === "string")) {
      throw new InvalidArgumentError("`split` must return an array of strings. Received: " + describeValue(tokens));
    }
  }
  return ngrams ? ngramsOf(tokens, ngrams) : tokens;
}
