/**
 * Types of the legacy {@link Tokenizer}: its arguments, texts, matrix modes and JSON layout.
 *
 * @module
 */
import type { Tokenizer } from "./tokenizer";

/**
 * One text for the Tokenizer: a string, or an already tokenized array of strings (used as is, lower-cased when `lower`).
 *
 * @example
 * ```ts
 * const tok = new Tokenizer();
 * tok.fitOnTexts(["a text", ["already", "split"]]);
 * ```
 */
export type TokenizerText = string | readonly string[];

/**
 * How {@link Tokenizer.sequencesToMatrix} fills a cell.
 *
 * @example
 * ```ts
 * const tok = new Tokenizer();
 * const texts = ["the cat", "the dog"];
 * tok.fitOnTexts(texts);
 * tok.textsToMatrix(texts, "tfidf");
 * ```
 */
export type TokenizerMatrixMode = "binary" | "count" | "freq" | "tfidf";

/**
 * Constructor arguments of {@link Tokenizer}, as in Keras (`num_words` → `numWords`, ...).
 *
 * @example
 * ```ts
 * new Tokenizer({ numWords: 10000, oovToken: "<OOV>" });
 * ```
 */
export interface TokenizerArgs {
  /**
   * Keep only words with index `< numWords` when encoding (so the `numWords - 1` most
   * frequent words); fitting always counts every word. `null` or `0` keeps every word.
   * @default null
   */
  numWords?: number | null;
  /**
   * Characters removed (replaced by `split`) before splitting; ignored with `charLevel`.
   * @default DEFAULT_TEXT_FILTERS (`` !"#$%&()*+,-./:;<=>?@[\]^_`{|}~\t\n ``)
   */
  filters?: string;
  /**
   * Lower-case texts (full Unicode lower-casing).
   * @default true
   */
  lower?: boolean;
  /**
   * Word separator.
   * @default " "
   */
  split?: string;
  /**
   * Treat every character (Unicode code point) as a token.
   * @default false
   */
  charLevel?: boolean;
  /**
   * Token that takes index 1 and replaces out-of-vocabulary words when encoding; `null`
   * drops them instead.
   * @default null
   */
  oovToken?: string | null;
  /**
   * Documents already counted (used when restoring a saved tokenizer).
   * @default 0
   */
  documentCount?: number;
}

/**
 * Keras' `Tokenizer.to_json()` layout: `{class_name: "Tokenizer", config: {...}}`.
 *
 * @example
 * ```ts
 * const tok = new Tokenizer();
 * tok.fitOnTexts(["the cat"]);
 * const saved: TokenizerJson = JSON.parse(tok.toJSON());
 * ```
 */
export interface TokenizerJson {
  /** Always `"Tokenizer"`. */
  class_name: string;
  /** The configuration, with the five vocabularies as JSON strings. */
  config: {
    /** `numWords`. */
    num_words: number | null;
    /** `filters`. */
    filters: string;
    /** `lower`. */
    lower: boolean;
    /** `split`. */
    split: string;
    /** `charLevel`. */
    char_level: boolean;
    /** `oovToken`. */
    oov_token: string | null;
    /** `documentCount`. */
    document_count: number;
    /** `wordCounts` as a JSON object text. */
    word_counts: string;
    /** `wordDocs` as a JSON object text. */
    word_docs: string;
    /** `indexDocs` as a JSON object text (keys are index strings). */
    index_docs: string;
    /** `indexWord` as a JSON object text (keys are index strings). */
    index_word: string;
    /** `wordIndex` as a JSON object text. */
    word_index: string;
  };
}
