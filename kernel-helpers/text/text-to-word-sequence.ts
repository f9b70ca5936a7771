/**
 * `textToWordSequence`: Keras' `text_to_word_sequence`, the word splitter behind the legacy
 * `Tokenizer`.
 *
 * @module
 */
import { _makeWordSplitter, _resolveWordOptions } from "./_word-splitter";
import { assertString } from "../errors";

export { DEFAULT_TEXT_FILTERS } from "./_word-splitter";

/**
 * Options of {@link textToWordSequence}, as in Keras' `text_to_word_sequence`.
 *
 * @example
 * ```ts
 * textToWordSequence("a;b", { filters: ";" }); // ["a", "b"]
 * ```
 */
export interface TextToWordSequenceOptions {
  /**
   * Characters replaced by `split` before splitting.
   * @default DEFAULT_TEXT_FILTERS (`` !"#$%&()*+,-./:;<=>?@[\]^_`{|}~\t\n ``)
   */
  filters?: string;
  /**
   * Lower-case the text first (full Unicode lower-casing, like Python's `str.lower`).
   * @default true
   */
  lower?: boolean;
  /**
   * The word separator (one or more characters; empty is an error).
   * @default " "
   */
  split?: string;
}

/**
 * Splits a text into words the way Keras' `text_to_word_sequence` does: lower-case it,
 * replace every character of `filters` by `split`, split on `split` and drop empty strings.
 * The apostrophe is not a default filter, so "don't" stays one word.
 *
 * @param text The text to split.
 * @param options `filters`, `lower`, `split` (Keras' defaults).
 * @returns The words, in order.
 * @throws {InvalidArgumentError} When `text` is not a string, or an option has the wrong type, or `split` is empty.
 * @example
 * ```ts
 * textToWordSequence("Hello, World! It's   me.");
 * // ["hello", "world", "it's", "me"]
 * textToWordSequence("a-b c", { filters: "", split: "-" });
 * // ["a", "b c"]
 * ```
 */
export function textToWordSequence(text: string, options: TextToWordSequenceOptions = {}): string[] {
  assertString(text, "text");
  const { filters, lower, split } = _resolveWordOptions(options);
  return _makeWordSplitter(filters, lower, split)(text);
}
