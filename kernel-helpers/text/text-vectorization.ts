/**
 * `TextVectorization`: Keras 3's text preprocessing layer, as a plain class.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { DataError, InvalidArgumentError, SeqlabError, describeValue } from "../errors";
import { compareUtf8, tokensOf } from "./_text-vectorization-ops";
import { argsFromConfig, checkIdfWeights, learnedTokens, resolveArgs } from "./_text-vectorization-config";
import { CharBuffer, IdBuffer, TokenTable, standardizedIds } from "./_token-table";
import { assertTexts } from "./_validate";
import type {
  TextVectorizationArgs,
  TextVectorizationConfig,
  TextVectorizationOutputMode,
  TextVectorizationSplit,
  TextVectorizationStandardize,
} from "./text-vectorization-types";

/**
 * Keras 3's `TextVectorization`: learns a vocabulary with {@link TextVectorization.adapt}
 * and turns texts into token ids or bag-of-words rows.
 *
 * The vocabulary is ordered by count, ties by the token's UTF-8 bytes from high to low,
 * after the special tokens (`""` = 0 and `"[UNK]"` = 1 in int mode; `"[UNK]"` = 0 otherwise).
 * tf-idf rows are `count · ln(1 + numDocs / (1 + docFreq))` in float32, with the mean idf for
 * the OOV column.
 *
 * Porting note: ids come back as numbers (a tensor of int32, not int64); with `split: null`
 * each text gives a row of one id (Keras returns a rank-1 tensor for rank-1 input), and
 * non-int modes count each text as its own document. `adapt` takes an array of strings.
 *
 * @example
 * ```ts
 * const tv = new TextVectorization({ outputSequenceLength: 4 });
 * tv.adapt(["The cat sat.", "The dog!"]);
 * tv.getVocabulary();         // ["", "[UNK]", "the", "sat", "dog", "cat"]
 * tv.apply(["the bird sat"]); // [[2, 1, 3, 0]]
 * ```
 */
export class TextVectorization {
  /** Class name, as in Keras. */
  static readonly className = "TextVectorization";

  /** Vocabulary size limit (including special tokens), or `null`. */
  readonly maxTokens: number | null;
  /** The output mode. */
  readonly outputMode: TextVectorizationOutputMode;
  /** Int mode output length, or `null`. */
  readonly outputSequenceLength: number | null;
  /** The standardization. */
  readonly standardize: TextVectorizationStandardize;
  /** The split. */
  readonly split: TextVectorizationSplit;
  /** The n-gram widths, or `null`. */
  readonly ngrams: readonly number[] | null;
  /** Non-int modes: rows are `maxTokens` wide whatever the vocabulary size. */
  readonly padToMaxTokens: boolean;

  private readonly _ngramsArg: number | readonly number[] | null;

  private _vocab: string[] = [];
  private _lookup = new TokenTable();
  private readonly _scratch = new CharBuffer();
  private readonly _ids = new IdBuffer();
  private _idf: Float32Array | null = null;

  /**
   * @param args Options, Keras' defaults.
   * @throws {InvalidArgumentError} When an option is out of range or not allowed with `outputMode`.
   */
  constructor(args: TextVectorizationArgs = {}) {
    const { maxTokens, outputMode, osl, standardize, split, ngrams, padToMaxTokens } = resolveArgs(args);
    this.padToMaxTokens = padToMaxTokens;
    this._ngramsArg = args.ngrams === undefined || args.ngrams === null ? null : typeof args.ngrams === "number" ? args.ngrams : ngrams;
    this.maxTokens = maxTokens;
    this.outputMode = outputMode;
    this.outputSequenceLength = osl;
    this.standardize = standardize;
    this.split = split;
    this.ngrams = ngrams;
    if (args.vocabulary !== undefined && args.vocabulary !== null) this.setVocabulary(args.vocabulary, args.idfWeights ?? null);
  }

  /** The tokens of one text after standardize, split and n-grams. */
  private _tokens(text: string): string[] {
    return tokensOf(text, this.standardize, this.split, this.ngrams);
  }

  /**
   * Writes the table id of every token of `text` to `this._ids` (-1 for unknown tokens
   * unless `insert`) and returns how many. Built-in standardizations with the whitespace
   * split take a one-pass path.
   */
  private _scanIds(text: string, table: TokenTable, insert: boolean): number {
    const st = this.standardize;
    if (this.split === "whitespace" && this.ngrams === null && typeof st !== "function") {
      const lower = st === "lower" || st === "lower_and_strip_punctuation";
      const strip = st === "strip_punctuation" || st === "lower_and_strip_punctuation";
      return standardizedIds(text, lower, strip, table, insert, this._scratch, this._ids);
    }
    const tokens = this._tokens(text);
    const ids = this._ids.ensure(tokens.length);
    for (let i = 0; i < tokens.length; i++) ids[i] = insert ? table.add(tokens[i]) : table.get(tokens[i]);
    return tokens.length;
  }

  /** Index of the first learned token: 2 in int mode ("" and "[UNK]"), else 1 ("[UNK]"). */
  private get _tokenStart(): number {
    return this.outputMode === "int" ? 2 : 1;
  }

  /**
   * Learns the vocabulary (and document frequencies for tf-idf) from texts, replacing any
   * earlier one.
   *
   * @param texts The training texts.
   * @throws {InvalidArgumentError} When `texts` is not an array of strings.
   * @throws {DataError} When no token can be learned while Keras would fail too (tokens but
   *   `maxTokens` leaves no room, or tf-idf without any token).
   * @example
   * ```ts
   * const tv = new TextVectorization({ maxTokens: 4 });
   * tv.adapt(["b a b", "c"]);
   * tv.getVocabulary(); // ["", "[UNK]", "b", "c"]
   * ```
   */
  adapt(texts: readonly string[]): void {
    assertTexts(texts, "texts", false);
    const table = new TokenTable();
    const counts: number[] = [];
    const docs: number[] = [];
    const lastDoc: number[] = [];
    const tfIdf = this.outputMode === "tf_idf";
    for (let doc = 0; doc < texts.length; doc++) {
      const n = this._scanIds(texts[doc], table, true);
      const found = this._ids.ids;
      for (let k = 0; k < n; k++) {
        const id = found[k];
        while (id >= counts.length) {
          counts.push(0);
          docs.push(0);
          lastDoc.push(-1);
        }
        counts[id]++;
        if (tfIdf && lastDoc[id] !== doc) {
          lastDoc[id] = doc;
          docs[id]++;
        }
      }
    }
    // "" (the mask) and "[UNK]" never become learned tokens.
    const ids: number[] = [];
    for (let id = 0; id < table.words.length; id++) {
      const w = table.words[id];
      if (w !== "" && w !== "[UNK]") ids.push(id);
    }
    ids.sort((x, y) => counts[y] - counts[x] || compareUtf8(table.words[y], table.words[x]));
    const start = this._tokenStart;
    const found = ids.length;
    if (this.maxTokens !== null) ids.length = Math.min(ids.length, this.maxTokens - start);
    if (ids.length === 0 && (found > 0 || tfIdf)) {
      // Keras fails here too (an empty lookup table, or tf-idf weights of nothing).
      throw new DataError(
        found > 0
          ? `\`maxTokens\` leaves no room for learned tokens after the ${start} special token(s): use maxTokens > ${start}. Received: maxTokens=${this.maxTokens}`
          : "`texts` must contain at least one token to learn tf-idf weights. Received: texts without tokens",
      );
    }
    const learned = ids.map((id) => table.words[id]);
    const n = texts.length;
    this._install(learned, tfIdf ? Float32Array.from(ids, (id) => Math.log(1 + n / (1 + docs[id]))) : null);
  }

  /** Makes `learned` (after the special tokens) the vocabulary, with tf-idf weights; OOV gets their mean. */
  private _install(learned: readonly string[], weights: Float32Array | null): void {
    const start = this._tokenStart;
    this._vocab = (start === 2 ? ["", "[UNK]"] : ["[UNK]"]).concat(learned);
    this._lookup = new TokenTable();
    for (const t of this._vocab) this._lookup.add(t);
    this._idf = null;
    if (weights) {
      const idf = new Float32Array(this._vocab.length);
      let sum = 0;
      for (let i = 0; i < learned.length; i++) {
        idf[start + i] = weights[i];
        sum = Math.fround(sum + idf[start + i]);
      }
      const mean = learned.length > 0 ? Math.fround(sum / learned.length) : 0;
      for (let i = 0; i < start; i++) idf[i] = mean;
      this._idf = idf;
    }
  }

  /**
   * Sets the vocabulary instead of learning it, as Keras' `set_vocabulary`: the special
   * tokens may lead the list (they are recognized and kept in place) or be left out.
   *
   * @param vocabulary Tokens in id order.
   * @param idfWeights tf-idf mode only: one weight per learned token.
   * @throws {InvalidArgumentError} When `vocabulary` is not an array of strings, or the tf-idf
   *   weights are missing or of the wrong length.
   * @throws {DataError} When a token repeats, a special token is not at the start, or the
   *   vocabulary does not fit in `maxTokens`.
   * @example
   * ```ts
   * const tv = new TextVectorization();
   * tv.setVocabulary(["the", "cat"]);
   * tv.apply(["the dog"]); // [[2, 1]]
   * ```
   */
  setVocabulary(vocabulary: readonly string[], idfWeights?: readonly number[] | null): void {
    const start = this._tokenStart;
    const learned = learnedTokens(vocabulary, start === 2 ? ["", "[UNK]"] : ["[UNK]"]);
    if (this.maxTokens !== null && learned.length + start > this.maxTokens) {
      throw new DataError(
        `\`vocabulary\` is larger than \`maxTokens\` allows: ${learned.length} tokens + ${start} special token(s) > ${this.maxTokens}. ` +
          `Received: vocabulary of ${learned.length} tokens`,
      );
    }
    const weights = this.outputMode === "tf_idf" ? checkIdfWeights(idfWeights, learned.length) : null;
    this._install(learned, weights);
  }

  /**
   * The configuration under Keras 3's `get_config()` keys, learned vocabulary included.
   *
   * @returns A config that {@link TextVectorization.fromConfig} turns back into an equal layer.
   * @example
   * ```ts
   * const tv = new TextVectorization({ outputSequenceLength: 3 });
   * tv.adapt(["a b b"]);
   * const copy = TextVectorization.fromConfig(tv.getConfig());
   * copy.apply(["b a"]); // [[2, 3, 0]]
   * ```
   */
  getConfig(): TextVectorizationConfig {
    const learned = this._vocab.length ? this._vocab.slice(this._tokenStart) : null;
    return {
      max_tokens: this.maxTokens,
      standardize: this.standardize,
      split: this.split,
      ngrams: this._ngramsArg,
      output_mode: this.outputMode,
      output_sequence_length: this.outputSequenceLength,
      pad_to_max_tokens: this.padToMaxTokens,
      sparse: false,
      ragged: false,
      vocabulary: learned,
      idf_weights: this._idf && learned ? Array.from(this._idf.subarray(this._tokenStart)) : null,
      encoding: "utf-8",
      vocabulary_size: this._width(),
    };
  }

  /**
   * A layer from a config of {@link TextVectorization.getConfig} or of Keras' `get_config()`
   * (keys without a counterpart, such as `name` and `dtype`, are ignored).
   *
   * @param config Keras config keys.
   * @returns A new layer, with the config's vocabulary if it has one.
   * @throws {InvalidArgumentError} As the constructor, or when `sparse`/`ragged` is true.
   * @example
   * ```ts
   * const tv = TextVectorization.fromConfig({ max_tokens: null, standardize: "lower", split: "whitespace",
   *   ngrams: null, output_mode: "int", output_sequence_length: null, pad_to_max_tokens: false, vocabulary: ["hi"] });
   * tv.apply(["Hi there"]); // [[2, 1]]
   * ```
   */
  static fromConfig(config: TextVectorizationConfig): TextVectorization {
    return new TextVectorization(argsFromConfig(config));
  }

  /** Row width in non-int modes: `maxTokens` when padded to it, else the vocabulary size. */
  private _width(): number {
    return this.padToMaxTokens && this.outputMode !== "int" && this.maxTokens !== null ? this.maxTokens : this.vocabularySize();
  }

  /**
   * The vocabulary, index order.
   *
   * @param includeSpecialTokens Keep `""` and `"[UNK]"` at the front (default true).
   * @returns The tokens; `[]`-like specials only before `adapt`.
   * @example
   * ```ts
   * const tv = new TextVectorization();
   * tv.adapt(["The cat sat.", "The dog!"]);
   * tv.getVocabulary(false); // ["the", "sat", "dog", "cat"]
   * ```
   */
  getVocabulary(includeSpecialTokens = true): string[] {
    const vocab = this._vocab.length ? this._vocab : this._tokenStart === 2 ? ["", "[UNK]"] : ["[UNK]"];
    return includeSpecialTokens ? vocab.slice() : vocab.slice(this._tokenStart);
  }

  /**
   * The vocabulary size, special tokens included.
   *
   * @returns `getVocabulary().length`.
   * @example
   * ```ts
   * const tv = new TextVectorization();
   * tv.adapt(["The cat sat.", "The dog!"]);
   * tv.vocabularySize(); // 6
   * ```
   */
  vocabularySize(): number {
    return this.getVocabulary().length;
  }

  /**
   * Encodes texts: token ids (int mode, padded with 0) or one row of vocabulary size per text.
   *
   * @param texts The texts to encode.
   * @returns `[texts.length, outputSequenceLength | longest]` ids, or `[texts.length, vocabularySize]` values.
   * @throws {InvalidArgumentError} When `texts` is not an array of strings.
   * @throws {SeqlabError} When called before `adapt`.
   * @throws {DataError} When the vocabulary has no learned token (Keras fails too).
   * @example
   * ```ts
   * const tv = new TextVectorization({ outputMode: "count" });
   * tv.adapt(["a b b"]);
   * tv.apply(["b b z"]); // [[1, 2, 0]]
   * ```
   */
  apply(texts: readonly string[]): number[][] {
    assertTexts(texts, "texts", false);
    if (this._vocab.length === 0) {
      throw new SeqlabError("Call adapt(texts) before apply(texts): the TextVectorization has no vocabulary yet. Received: an unadapted layer");
    }
    if (this._vocab.length === this._tokenStart) {
      throw new DataError(
        "The vocabulary has no learned tokens (as in Keras, encoding then fails): adapt on texts that contain tokens. " +
          `Received: vocabulary ${JSON.stringify(this._vocab)}`,
      );
    }
    const table = this._lookup;
    if (this.outputMode === "int") {
      const osl = this.outputSequenceLength;
      const rows = texts.map((t) => {
        const n = this._scanIds(t, table, false);
        const found = this._ids.ids;
        const len = osl === null ? n : Math.min(n, osl);
        const r = new Array<number>(osl === null ? n : osl);
        for (let k = 0; k < len; k++) r[k] = found[k] >= 0 ? found[k] : 1;
        for (let k = len; k < r.length; k++) r[k] = 0;
        return r;
      });
      if (osl !== null) return rows;
      const longest = rows.reduce((m, r) => Math.max(m, r.length), 0);
      return rows.map((r) => {
        if (r.length === longest) return r;
        const out = new Array<number>(longest).fill(0);
        for (let i = 0; i < r.length; i++) out[i] = r[i];
        return out;
      });
    }
    const depth = this._width();
    const mode = this.outputMode;
    const idf = this._idf;
    return texts.map((t) => {
      const row = new Array<number>(depth).fill(0);
      const n = this._scanIds(t, table, false);
      const found = this._ids.ids;
      for (let k = 0; k < n; k++) {
        const i = found[k] >= 0 ? found[k] : 0;
        if (mode === "multi_hot") row[i] = 1;
        else row[i] += 1;
      }
      if (mode === "tf_idf" && idf) for (let i = 0; i < idf.length; i++) if (row[i] !== 0) row[i] = Math.fround(row[i] * idf[i]);
      return row;
    });
  }

  /**
   * {@link TextVectorization.apply} as a tensor: int32 `[n, length]` in int mode, float32
   * `[n, vocabularySize]` otherwise. The caller disposes it.
   *
   * @param texts The texts to encode.
   * @returns A new 2-D tensor.
   * @throws {InvalidArgumentError | SeqlabError} As {@link TextVectorization.apply}.
   * @example
   * ```ts
   * const tv = new TextVectorization();
   * tv.adapt(["The cat sat.", "The dog!"]);
   * const x = tv.applyTensor(["the cat"]); // Tensor2D int32 [[2, 5]]
   * x.dispose();
   * ```
   */
  applyTensor(texts: readonly string[]): tf.Tensor2D {
    const rows = this.apply(texts);
    const width = this.outputMode === "int" ? (rows[0]?.length ?? this.outputSequenceLength ?? 0) : this._width();
    const dtype = this.outputMode === "int" ? "int32" : "float32";
    const data = dtype === "int32" ? new Int32Array(rows.length * width) : new Float32Array(rows.length * width);
    rows.forEach((r, i) => data.set(r, i * width));
    return tf.tensor2d(data, [rows.length, width], dtype);
  }

  /**
   * Keras' name for the layer call: the same as {@link TextVectorization.applyTensor}.
   *
   * @param texts The texts to encode.
   * @returns A new 2-D tensor (the caller disposes it).
   * @throws {InvalidArgumentError | SeqlabError} As {@link TextVectorization.apply}.
   * @example
   * ```ts
   * const tv = new TextVectorization();
   * tv.adapt(["The cat sat.", "The dog!"]);
   * const x = tv.call(["the cat"]);
   * x.dispose();
   * ```
   */
  call(texts: readonly string[]): tf.Tensor2D {
    return this.applyTensor(texts);
  }
}
