/**
 * `Tokenizer`: Keras' legacy `keras.preprocessing.text.Tokenizer` (keras-preprocessing 1.1.2).
 *
 * @module
 */
import { InvalidArgumentError, SeqlabError, assertOneOf, describeValue } from "../errors";
import { PyJsonEntries, pyDumps } from "./_pyjson";
import { _parseTokenizerJson } from "./_tokenizer-json";
import { _countMatrix, _countTokens } from "./_tokenizer-count";
import type { TokenizerArgs, TokenizerJson, TokenizerMatrixMode, TokenizerText } from "./tokenizer-types";
import { _makeWordSplitter, _resolveWordOptions, DEFAULT_TEXT_FILTERS, type _WordSplitter } from "./_word-splitter";
import { IdBuffer, TokenTable, delimitedIds } from "./_token-table";
import { assertIdSequences, assertTexts } from "./_validate";
import { assertBoolean, assertNonNegativeInteger } from "../errors";

const MATRIX_MODES: readonly TokenizerMatrixMode[] = ["binary", "count", "freq", "tfidf"];

/**
 * Keras' legacy text tokenizer: learns a word index from texts (most frequent word first,
 * index 0 reserved for padding) and turns texts into integer sequences or matrices.
 *
 * Behaviour follows keras-preprocessing 1.1.2 exactly: words are ranked by count with a
 * stable sort (equal counts keep first-seen order); `oovToken` takes index 1 and shifts the
 * others; `numWords` is applied only when encoding (`index < numWords`); matrices have
 * `numWords` columns, or `wordIndex.size + 1`.
 *
 * Porting note: the vocabularies are `Map`s (Python dicts keep insertion order, JavaScript
 * objects do not for integer-like keys); `wordDocs` lists words in first-seen order where
 * Python's follows set iteration order. Encoding with an `oovToken` before any fit throws
 * (Keras would emit `None` ids).
 *
 * @example
 * ```ts
 * const tok = new Tokenizer({ oovToken: "<OOV>" });
 * tok.fitOnTexts(["the cat sat", "the dog"]);
 * tok.wordIndex;                       // Map { "<OOV>" => 1, "the" => 2, "cat" => 3, "sat" => 4, "dog" => 5 }
 * tok.textsToSequences(["the bird"]); // [[2, 1]]
 * ```
 */
export class Tokenizer {
  /** Class name in the JSON layout. */
  static readonly className = "Tokenizer";

  /** `numWords` as given (`null` when not set). */
  readonly numWords: number | null;
  /** Characters filtered out before splitting. */
  readonly filters: string;
  /** Whether texts are lower-cased. */
  readonly lower: boolean;
  /** Word separator. */
  readonly split: string;
  /** Whether every character is a token. */
  readonly charLevel: boolean;
  /** The out-of-vocabulary token, or `null`. */
  readonly oovToken: string | null;

  private _documentCount: number;
  private readonly _wordCounts = new Map<string, number>();
  private readonly _wordDocs = new Map<string, number>();
  private readonly _indexDocs = new Map<number, number>();
  private _wordIndex = new Map<string, number>();
  private _indexWord = new Map<number, string>();
  private readonly _splitter: _WordSplitter;
  private _encoder: { table: TokenTable; index: Int32Array } | null = null;
  private readonly _ids = new IdBuffer();

  /**
   * @param args Options, Keras' defaults.
   * @throws {InvalidArgumentError} When an option has the wrong type or range.
   */
  constructor(args: TokenizerArgs = {}) {
    const { filters, lower, split } = _resolveWordOptions({
      filters: args.filters ?? DEFAULT_TEXT_FILTERS,
      lower: args.lower ?? true,
      split: args.split ?? " ",
    });
    const numWords = args.numWords ?? null;
    // As in Keras, 0 (falsy) keeps every word, like null.
    if (numWords !== null) assertNonNegativeInteger(numWords, "numWords");
    const charLevel = args.charLevel ?? false;
    assertBoolean(charLevel, "charLevel");
    const oovToken = args.oovToken ?? null;
    if (oovToken !== null && typeof oovToken !== "string") {
      throw new InvalidArgumentError("`oovToken` must be a string or null. Received: oovToken=" + describeValue(oovToken));
    }
    const documentCount = args.documentCount ?? 0;
    assertNonNegativeInteger(documentCount, "documentCount");
    this.numWords = numWords;
    this.filters = filters;
    this.lower = lower;
    this.split = split;
    this.charLevel = charLevel;
    this.oovToken = oovToken;
    this._documentCount = documentCount;
    this._splitter = _makeWordSplitter(filters, lower, split);
  }

  /** Word → number of occurrences over all fitted texts, in first-seen order. */
  get wordCounts(): ReadonlyMap<string, number> {
    return this._wordCounts;
  }
  /** Word → number of fitted texts containing it. */
  get wordDocs(): ReadonlyMap<string, number> {
    return this._wordDocs;
  }
  /** Word index → number of fitted texts (or sequences) containing it. */
  get indexDocs(): ReadonlyMap<number, number> {
    return this._indexDocs;
  }
  /** Word → index (1 = OOV token if any, then most frequent first). */
  get wordIndex(): ReadonlyMap<string, number> {
    return this._wordIndex;
  }
  /** Index → word, the inverse of {@link Tokenizer.wordIndex}. */
  get indexWord(): ReadonlyMap<number, string> {
    return this._indexWord;
  }
  /** Number of texts and sequences fitted so far. */
  get documentCount(): number {
    return this._documentCount;
  }

  /** The tokens of one text, as Keras sees them (characters, a given list, or words). */
  private _tokens(text: TokenizerText): readonly string[] {
    if (typeof text !== "string") return this.lower ? text.map((w) => w.toLowerCase()) : text;
    if (this.charLevel) return Array.from(this.lower ? text.toLowerCase() : text);
    return this._splitter(text);
  }

  /**
   * Updates the vocabulary from texts: counts words, counts documents per word and
   * re-ranks the whole word index (by count, ties in first-seen order).
   *
   * @param texts Strings, or already tokenized arrays of strings.
   * @throws {InvalidArgumentError} When `texts` is not an array of strings (or string arrays).
   * @example
   * ```ts
   * const tok = new Tokenizer();
   * tok.fitOnTexts(["b a", "a"]);
   * tok.wordIndex; // Map { "a" => 1, "b" => 2 }
   * ```
   */
  fitOnTexts(texts: readonly TokenizerText[]): void {
    assertTexts(texts, "texts", true);
    const boundary = this.charLevel ? null : this._splitter.boundary;
    const { words, wc, wd } = _countTokens(texts, boundary, this.lower, (t) => this._tokens(t), this._ids);
    this._documentCount += texts.length;
    const counts = this._wordCounts;
    const docs = this._wordDocs;
    words.forEach((w, id) => {
      counts.set(w, (counts.get(w) ?? 0) + wc[id]);
      docs.set(w, (docs.get(w) ?? 0) + wd[id]);
    });
    this._encoder = null;
    const ranked = Array.from(counts.entries()).sort((a, b) => b[1] - a[1]); // stable
    const vocab: string[] = this.oovToken === null ? [] : [this.oovToken];
    for (const [w] of ranked) vocab.push(w);
    this._wordIndex = new Map();
    vocab.forEach((w, i) => this._wordIndex.set(w, i + 1));
    this._indexWord = new Map();
    for (const [w, i] of this._wordIndex) this._indexWord.set(i, w);
    for (const [w, c] of docs) {
      const i = this._wordIndex.get(w);
      if (i !== undefined) this._indexDocs.set(i, c);
    }
  }

  /**
   * Updates document counts from integer sequences (for tf-idf matrices), without
   * touching the word index.
   *
   * @param sequences Arrays of non-negative integer ids.
   * @throws {InvalidArgumentError | DataError} When a sequence or id is invalid.
   * @example
   * ```ts
   * const tok = new Tokenizer();
   * tok.fitOnSequences([[1, 2, 2], [2]]);
   * tok.indexDocs; // Map { 1 => 1, 2 => 2 }
   * ```
   */
  fitOnSequences(sequences: readonly ArrayLike<number>[]): void {
    assertIdSequences(sequences, "sequences");
    this._documentCount += sequences.length;
    for (const seq of sequences) {
      for (const i of new Set(Array.from(seq))) this._indexDocs.set(i, (this._indexDocs.get(i) ?? 0) + 1);
    }
  }

  private _oovIndex(): number | undefined {
    if (this.oovToken === null) return undefined;
    const i = this._wordIndex.get(this.oovToken);
    if (i === undefined) {
      throw new SeqlabError(
        `The tokenizer has \`oovToken\`=${describeValue(this.oovToken)} but no index for it: ` +
          "call fitOnTexts(texts) before encoding or decoding. Received: an unfitted tokenizer",
      );
    }
    return i;
  }

  /**
   * Turns texts into integer sequences. Unknown words, and words with index `>= numWords`,
   * become the OOV index when `oovToken` is set and are dropped otherwise.
   *
   * @param texts Strings, or tokenized arrays of strings.
   * @returns One array of ids per text (empty for an empty text).
   * @throws {InvalidArgumentError} When `texts` is not an array of strings.
   * @example
   * ```ts
   * const tok = new Tokenizer({ numWords: 3 });
   * tok.fitOnTexts(["a a a b b c"]);
   * tok.textsToSequences(["a b c d"]); // [[1, 2]]
   * ```
   */
  textsToSequences(texts: readonly TokenizerText[]): number[][] {
    assertTexts(texts, "texts", true);
    const oov = this._oovIndex();
    const limit = this.numWords ? this.numWords : Infinity;
    const { table, index } = this._encodeTable();
    const boundary = this._splitter.boundary;
    const out: number[][] = new Array(texts.length);
    for (let t = 0; t < texts.length; t++) {
      const text = texts[t];
      const vect: number[] = [];
      const emit = (id: number): void => {
        if (id >= 0) {
          const i = index[id];
          if (i >= limit) {
            if (oov !== undefined) vect.push(oov);
          } else vect.push(i);
        } else if (oov !== undefined) vect.push(oov);
      };
      if (typeof text === "string" && !this.charLevel && boundary) {
        const s = this.lower ? text.toLowerCase() : text;
        const n = delimitedIds(s, boundary, table, false, this._ids);
        const found = this._ids.ids;
        for (let k = 0; k < n; k++) emit(found[k]);
      } else for (const w of this._tokens(text)) emit(table.get(w));
      out[t] = vect;
    }
    return out;
  }

  /** Look-up table of the word index, rebuilt after each fit. */
  private _encodeTable(): { table: TokenTable; index: Int32Array } {
    if (this._encoder) return this._encoder;
    const table = new TokenTable();
    const index = new Int32Array(this._wordIndex.size);
    for (const [w, i] of this._wordIndex) index[table.add(w)] = i;
    this._encoder = { table, index };
    return this._encoder;
  }

  /**
   * Turns integer sequences back into texts, words joined by one space. Unknown ids and ids
   * `>= numWords` become the OOV token when set and are dropped otherwise.
   *
   * @param sequences Arrays of non-negative integer ids.
   * @returns One string per sequence.
   * @throws {InvalidArgumentError | DataError} When a sequence or id is invalid (NaN, negative, fractional).
   * @example
   * ```ts
   * const tok = new Tokenizer();
   * tok.fitOnTexts(["hello world"]);
   * tok.sequencesToTexts([[1, 2, 9]]); // ["hello world"]
   * ```
   */
  sequencesToTexts(sequences: readonly ArrayLike<number>[]): string[] {
    assertIdSequences(sequences, "sequences");
    const oov = this._oovIndex();
    const oovWord = oov === undefined ? undefined : this._indexWord.get(oov);
    const limit = this.numWords ? this.numWords : Infinity;
    return sequences.map((seq) => {
      const words: string[] = [];
      for (let j = 0; j < seq.length; j++) {
        const num = seq[j];
        const w = this._indexWord.get(num);
        if (w !== undefined && num < limit) words.push(w);
        else if (oovWord !== undefined) words.push(oovWord);
      }
      return words.join(" ");
    });
  }

  /**
   * Encodes texts as a matrix `[texts.length, numWords]` (see {@link Tokenizer.sequencesToMatrix}).
   *
   * @param texts Strings, or tokenized arrays of strings.
   * @param mode `"binary"` (default), `"count"`, `"freq"` or `"tfidf"`.
   * @returns One row of `numWords` (or `wordIndex.size + 1`) numbers per text.
   * @throws {InvalidArgumentError} When `texts` or `mode` is invalid, or nothing was fitted.
   * @example
   * ```ts
   * const tok = new Tokenizer();
   * tok.fitOnTexts(["a b", "a"]);
   * tok.textsToMatrix(["a a"], "count"); // [[0, 2, 0]]
   * ```
   */
  textsToMatrix(texts: readonly TokenizerText[], mode: TokenizerMatrixMode = "binary"): number[][] {
    assertOneOf(mode, MATRIX_MODES, "mode");
    return this.sequencesToMatrix(this.textsToSequences(texts), mode);
  }

  /**
   * Encodes integer sequences as a matrix with one column per word index (column 0 is
   * padding and stays 0). Ids `>= numWords` are ignored. Modes: `"binary"` 1 if present;
   * `"count"` occurrences `c`; `"freq"` `c / seq.length`; `"tfidf"`
   * `(1 + ln c) · ln(1 + documentCount / (1 + indexDocs[j]))`.
   *
   * @param sequences Arrays of non-negative integer ids.
   * @param mode `"binary"` (default), `"count"`, `"freq"` or `"tfidf"`.
   * @returns A `[sequences.length, numWords]` matrix as arrays.
   * @throws {InvalidArgumentError} When `mode` is unknown or the width is unknown (no `numWords`, nothing fitted).
   * @throws {SeqlabError} For `"tfidf"` before any fit.
   * @throws {DataError} When an id is NaN, negative or fractional.
   * @example
   * ```ts
   * const tok = new Tokenizer({ numWords: 4 });
   * tok.sequencesToMatrix([[1, 1, 3]], "freq"); // [[0, 0.6666666666666666, 0, 0.3333333333333333]]
   * ```
   */
  sequencesToMatrix(sequences: readonly ArrayLike<number>[], mode: TokenizerMatrixMode = "binary"): number[][] {
    assertOneOf(mode, MATRIX_MODES, "mode");
    assertIdSequences(sequences, "sequences");
    let width: number;
    if (this.numWords) width = this.numWords;
    else if (this._wordIndex.size > 0) width = this._wordIndex.size + 1;
    else {
      throw new InvalidArgumentError(
        "Specify a dimension (`numWords` argument), or fit on some text data first. Received: numWords=null and an empty wordIndex",
      );
    }
    if (mode === "tfidf" && !this._documentCount) {
      throw new SeqlabError("Fit the Tokenizer on some data before using tfidf mode. Received: documentCount=0");
    }
    return _countMatrix(sequences, width, mode, this._documentCount, this._indexDocs);
  }

  /**
   * The configuration in Keras' `get_config()` form (vocabularies as JSON strings).
   *
   * @returns The `config` part of {@link TokenizerJson}.
   * @example
   * ```ts
   * new Tokenizer({ numWords: 10 }).getConfig().num_words; // 10
   * ```
   */
  getConfig(): TokenizerJson["config"] {
    const entries = <K extends string | number, V extends string | number>(m: ReadonlyMap<K, V>): string =>
      pyDumps(new PyJsonEntries(Array.from(m.entries())));
    return {
      num_words: this.numWords,
      filters: this.filters,
      lower: this.lower,
      split: this.split,
      char_level: this.charLevel,
      oov_token: this.oovToken,
      document_count: this._documentCount,
      word_counts: entries(this._wordCounts),
      word_docs: entries(this._wordDocs),
      index_docs: entries(this._indexDocs),
      index_word: entries(this._indexWord),
      word_index: entries(this._wordIndex),
    };
  }

  /**
   * Serializes the tokenizer as Keras' `Tokenizer.to_json()` does, byte for byte (Python's
   * `json.dumps` spacing and `\uXXXX` escapes).
   *
   * Porting note: returns a string, like Keras; `JSON.stringify(tokenizer)` therefore gives a
   * JSON string literal holding it.
   *
   * @returns The JSON text.
   * @example
   * ```ts
   * const tok = new Tokenizer();
   * tok.fitOnTexts(["the cat", "the dog"]);
   * const json = tok.toJSON();
   * const again = Tokenizer.fromJSON(json);
   * ```
   */
  toJSON(): string {
    const c = this.getConfig();
    return pyDumps(
      new PyJsonEntries([
        ["class_name", Tokenizer.className],
        ["config", new PyJsonEntries(Object.entries(c))],
      ]),
    );
  }

  /**
   * Restores a tokenizer saved by {@link Tokenizer.toJSON} or by Keras' `to_json()`
   * (Keras' `tokenizer_from_json`).
   *
   * @param json The JSON text, or the already parsed object.
   * @returns A tokenizer with the same configuration and vocabularies.
   * @throws {DataError} When the JSON is not a tokenizer's.
   * @example
   * ```ts
   * const original = new Tokenizer();
   * original.fitOnTexts(["a b b"]);
   * const savedJsonText = original.toJSON(); // e.g. read back from a file
   * const tok = Tokenizer.fromJSON(savedJsonText);
   * tok.textsToSequences(["b a"]); // [[1, 2]]
   * ```
   */
  static fromJSON(json: string | TokenizerJson): Tokenizer {
    const p = _parseTokenizerJson(json);
    const tok = new Tokenizer(p.args);
    for (const [k, v] of p.wordCounts) tok._wordCounts.set(k, v);
    for (const [k, v] of p.wordDocs) tok._wordDocs.set(k, v);
    for (const [k, v] of p.indexDocs) tok._indexDocs.set(k, v);
    tok._wordIndex = new Map(p.wordIndex);
    tok._indexWord = new Map(p.indexWord);
    return tok;
  }
}
