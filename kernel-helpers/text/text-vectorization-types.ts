/**
 * Types of {@link TextVectorization}: its arguments, output modes, standardizations and splits.
 *
 * @module
 */
import type { TextVectorization } from "./text-vectorization";

/**
 * What {@link TextVectorization.apply} returns per text.
 *
 * @example
 * ```ts
 * new TextVectorization({ outputMode: "multi_hot" });
 * ```
 */
export type TextVectorizationOutputMode = "int" | "multi_hot" | "count" | "tf_idf";

/**
 * Built-in standardizations, or a function of one text.
 *
 * @example
 * ```ts
 * new TextVectorization({ standardize: (s) => s.replace(/<br \/>/g, " ") });
 * ```
 */
export type TextVectorizationStandardize =
  | "lower_and_strip_punctuation"
  | "lower"
  | "strip_punctuation"
  | null
  | ((text: string) => string);

/**
 * Built-in splits, or a function from one text to its tokens.
 *
 * @example
 * ```ts
 * new TextVectorization({ split: "character" });
 * ```
 */
export type TextVectorizationSplit = "whitespace" | "character" | null | ((text: string) => string[]);

/**
 * Constructor arguments of {@link TextVectorization}, as in Keras 3 (`max_tokens` → `maxTokens`, ...).
 *
 * @example
 * ```ts
 * new TextVectorization({ maxTokens: 20000, outputSequenceLength: 200 });
 * ```
 */
export interface TextVectorizationArgs {
  /**
   * Vocabulary size including the special tokens (`""` and `"[UNK]"` in int mode, `"[UNK]"`
   * otherwise); `null` keeps every token. Must be greater than 1.
   * @default null
   */
  maxTokens?: number | null;
  /**
   * `"int"`: token ids (0 padding, 1 OOV); `"multi_hot"`, `"count"`, `"tf_idf"`: one row of
   * vocabulary size per text, OOV in column 0.
   * @default "int"
   */
  outputMode?: TextVectorizationOutputMode;
  /**
   * Int mode only: pad with 0 or cut at the end to exactly this length; `null` pads to the
   * longest text of the call.
   * @default null
   */
  outputSequenceLength?: number | null;
  /**
   * `"lower_and_strip_punctuation"` lower-cases ASCII letters and removes
   * `` !"#$%&()*+,-./:;<=>?@[\]^_`{|}~' ``; `"lower"`, `"strip_punctuation"`, `null` (none) or
   * a function.
   * @default "lower_and_strip_punctuation"
   */
  standardize?: TextVectorizationStandardize;
  /**
   * `"whitespace"` (runs of ASCII space, tab, newline, vertical tab, form feed, return),
   * `"character"` (Unicode code points), `null` (the whole text is one token) or a function.
   * @default "whitespace"
   */
  split?: TextVectorizationSplit;
  /**
   * `n` adds all 1..n-grams (joined by a space, width by width); an array gives the widths.
   * @default null
   */
  ngrams?: number | readonly number[] | null;
}
