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
  /**
   * `"multi_hot"`, `"count"`, `"tf_idf"`: make every row `maxTokens` wide even when fewer
   * tokens were learned (the extra columns stay 0), so the width is known before `adapt`.
   * Requires `maxTokens`; no effect in int mode.
   * @default false
   */
  padToMaxTokens?: boolean;
  /**
   * A vocabulary to use instead of `adapt` (see {@link TextVectorization.setVocabulary}).
   * @default null
   */
  vocabulary?: readonly string[] | null;
  /**
   * tf-idf mode with `vocabulary`: one weight per learned token.
   * @default null
   */
  idfWeights?: readonly number[] | null;
}

/**
 * A {@link TextVectorization}'s configuration under Keras 3's `get_config()` keys, so a config
 * read from a Keras JSON file can be passed to {@link TextVectorization.fromConfig}.
 *
 * `vocabulary` and `idf_weights` hold the learned tokens and their weights (no special
 * tokens), as Keras writes them for a layer given its vocabulary; Keras leaves them `null`
 * for an adapted layer (it saves the vocabulary as an asset) and so would lose it here.
 * With a `standardize` or `split` function the config holds that function and is not JSON.
 *
 * @example
 * ```ts
 * const config: TextVectorizationConfig = new TextVectorization({ maxTokens: 100 }).getConfig();
 * config.max_tokens; // 100
 * ```
 */
export interface TextVectorizationConfig {
  /** Keras' layer name; kept, not used. */
  name?: string;
  /** Keras' flag; kept, not used. */
  trainable?: boolean;
  /** `maxTokens`. */
  max_tokens: number | null;
  /** `standardize`. */
  standardize: TextVectorizationStandardize;
  /** `split`. */
  split: TextVectorizationSplit;
  /** `ngrams`, as passed. */
  ngrams: number | readonly number[] | null;
  /** `outputMode`. */
  output_mode: TextVectorizationOutputMode;
  /** `outputSequenceLength`. */
  output_sequence_length: number | null;
  /** `padToMaxTokens`. */
  pad_to_max_tokens: boolean;
  /** Always `false` (sparse tensors are not supported). */
  sparse?: boolean;
  /** Always `false` (ragged tensors are not supported). */
  ragged?: boolean;
  /** The learned tokens without the special tokens, or `null` before `adapt`. */
  vocabulary?: readonly string[] | null;
  /** tf-idf mode: one weight per learned token, or `null`. */
  idf_weights?: readonly number[] | null;
  /** Always `"utf-8"`. */
  encoding?: string;
  /** The output width in non-int modes (Keras' `vocabulary_size()`); informational. */
  vocabulary_size?: number;
}
