/**
 * Internal validators shared by the text helpers.
 *
 * @module
 */
import { DataError, InvalidArgumentError, describeValue } from "../errors";

/** A text as Keras accepts it: a string, or an already tokenized list of strings. */
export type TextInput = string | readonly string[];

/**
 * Throws unless `texts` is an array whose items are strings (or, when `allowTokenLists`,
 * arrays of strings).
 */
export function assertTexts(texts: unknown, name: string, allowTokenLists: boolean): asserts texts is readonly TextInput[] {
  if (!Array.isArray(texts)) {
    throw new InvalidArgumentError(
      `\`${name}\` must be an array of strings${allowTokenLists ? " (or of token arrays)" : ""}. ` +
        `Wrap a single text in brackets: [text]. Received: ${name}=${describeValue(texts)}`,
    );
  }
  for (let i = 0; i < texts.length; i++) {
    const t: unknown = texts[i];
    if (typeof t === "string") continue;
    if (allowTokenLists && Array.isArray(t) && t.every((w) => typeof w === "string")) continue;
    throw new InvalidArgumentError(
      `\`${name}[${i}]\` must be a string${allowTokenLists ? " or an array of strings" : ""}. ` +
        `Convert it with String(...) first. Received: ${name}[${i}]=${describeValue(t)}`,
    );
  }
}

/** Throws unless `seqs` is an array of arrays of non-negative integer ids. */
export function assertIdSequences(seqs: unknown, name: string): asserts seqs is readonly ArrayLike<number>[] {
  if (!Array.isArray(seqs)) {
    throw new InvalidArgumentError(
      `\`${name}\` must be an array of integer arrays, e.g. [[1, 2], [3]]. Received: ${name}=${describeValue(seqs)}`,
    );
  }
  for (let i = 0; i < seqs.length; i++) {
    const s: unknown = seqs[i];
    if (!isArrayLikeOfNumbers(s)) {
      throw new InvalidArgumentError(
        `\`${name}[${i}]\` must be an array of integer ids. Received: ${name}[${i}]=${describeValue(s)}`,
      );
    }
    for (let j = 0; j < s.length; j++) {
      const v = s[j];
      if (!Number.isInteger(v) || v < 0) {
        throw new DataError(
          `\`${name}[${i}][${j}]\` must be a non-negative integer id (0 is padding, 1.. are tokens). ` +
            `Received: ${name}[${i}][${j}]=${describeValue(v)}`,
        );
      }
    }
  }
}

/** True for number arrays and typed arrays. */
export function isArrayLikeOfNumbers(x: unknown): x is ArrayLike<number> {
  if (Array.isArray(x)) return x.every((v) => typeof v === "number");
  return ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array);
}
