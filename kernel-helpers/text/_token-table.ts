/**
 * Internal: a string hash table that looks tokens up straight from the text (or from a
 * scratch buffer of char codes) without first cutting a substring for every token. Encoding
 * 50,000 reviews does millions of look-ups; skipping the substring and its hashing is most
 * of the speed of the text helpers.
 *
 * @module
 */

/** FNV-1a step over one UTF-16 code unit. */
export function hashStep(h: number, c: number): number {
  return Math.imul(h ^ c, 16777619);
}

/** The FNV-1a offset basis (start value of a hash). */
export const HASH_START = 0x811c9dc5 | 0;

/** Hash of a whole string, consistent with {@link hashStep}. */
export function hashString(s: string): number {
  let h = HASH_START;
  for (let i = 0; i < s.length; i++) h = hashStep(h, s.charCodeAt(i));
  return h;
}

/** Open-addressing table: token → dense id (0, 1, ... in insertion order). */
export class TokenTable {
  /** Tokens by id. */
  readonly words: string[] = [];
  private hashes: Int32Array = new Int32Array(1024);
  private slots: Int32Array = new Int32Array(2048); // id + 1, 0 = empty
  private mask = 2047;

  /** Number of tokens. */
  get size(): number {
    return this.words.length;
  }

  /** Id of `s[start, end)` with hash `h`, or -1. */
  findStr(s: string, start: number, end: number, h: number): number {
    const len = end - start;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const e = this.slots[slot];
      if (e === 0) return -1;
      const id = e - 1;
      if (this.hashes[id] !== h) continue;
      const w = this.words[id];
      if (w.length !== len) continue;
      let k = 0;
      while (k < len && w.charCodeAt(k) === s.charCodeAt(start + k)) k++;
      if (k === len) return id;
    }
  }

  /** Id of `buf[0, len)` with hash `h`, or -1. */
  findBuf(buf: Uint16Array, len: number, h: number): number {
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const e = this.slots[slot];
      if (e === 0) return -1;
      const id = e - 1;
      if (this.hashes[id] !== h) continue;
      const w = this.words[id];
      if (w.length !== len) continue;
      let k = 0;
      while (k < len && w.charCodeAt(k) === buf[k]) k++;
      if (k === len) return id;
    }
  }

  /** Adds `word` (hash `h`) known to be absent; returns its id. */
  insertNew(word: string, h: number): number {
    const id = this.words.length;
    if (id >= this.hashes.length) {
      const grown = new Int32Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.words.push(word);
    this.hashes[id] = h;
    if ((id + 1) * 2 > this.slots.length) this.rehash();
    else this.place(id);
    return id;
  }

  /** Id of `word`, adding it when absent. */
  add(word: string): number {
    const h = hashString(word);
    const id = this.findStr(word, 0, word.length, h);
    return id >= 0 ? id : this.insertNew(word, h);
  }

  /** Id of `word`, or -1. */
  get(word: string): number {
    return this.findStr(word, 0, word.length, hashString(word));
  }

  private place(id: number): void {
    let slot = this.hashes[id] & this.mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
    this.slots[slot] = id + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.mask = this.slots.length - 1;
    for (let id = 0; id < this.words.length; id++) this.place(id);
  }
}

/** Turns `buf[0, len)` into a string. */
export function bufToString(buf: Uint16Array, len: number): string {
  let s = "";
  for (let i = 0; i < len; i += 4096) {
    s += String.fromCharCode.apply(null, buf.subarray(i, Math.min(len, i + 4096)) as unknown as number[]);
  }
  return s;
}

/** A growable scratch buffer of char codes. */
export class CharBuffer {
  /** The codes. */
  buf: Uint16Array = new Uint16Array(1 << 16);
  /** Makes room for `n` codes. */
  ensure(n: number): Uint16Array {
    if (n > this.buf.length) {
      let size = this.buf.length;
      while (size < n) size *= 2;
      this.buf = new Uint16Array(size);
    }
    return this.buf;
  }
}

/**
 * Splits `s` at every code unit marked in `boundary` (a lookup by char code), calling
 * `onToken(start, end, hash)` for each non-empty token: Keras' filter-then-split on an
 * already lower-cased text.
 */
export function scanDelimited(
  s: string,
  boundary: Uint8Array,
  onToken: (start: number, end: number, hash: number) => void,
): void {
  const limit = boundary.length;
  let start = 0;
  let h = HASH_START;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < limit && boundary[c] === 1) {
      if (i > start) onToken(start, i, h);
      start = i + 1;
      h = HASH_START;
    } else h = Math.imul(h ^ c, 16777619);
  }
  if (n > start) onToken(start, n, h);
}

const WHITESPACE = new Uint8Array(128);
for (const c of [9, 10, 11, 12, 13, 32]) WHITESPACE[c] = 1;
const PUNCTUATION = new Uint8Array(128);
for (const ch of "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~'") PUNCTUATION[ch.charCodeAt(0)] = 1;

/**
 * TextVectorization's built-in standardize (ASCII lower-casing and/or removing Keras'
 * punctuation) followed by the whitespace split, in one pass: each token is written to
 * `scratch` and reported as `onToken(buf, len, hash)`.
 */
export function scanStandardized(
  text: string,
  lower: boolean,
  strip: boolean,
  scratch: CharBuffer,
  onToken: (buf: Uint16Array, len: number, hash: number) => void,
): void {
  const buf = scratch.ensure(text.length);
  let len = 0;
  let h = HASH_START;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c < 128) {
      if (WHITESPACE[c] === 1) {
        if (len > 0) onToken(buf, len, h);
        len = 0;
        h = HASH_START;
        continue;
      }
      if (strip && PUNCTUATION[c] === 1) continue;
      if (lower && c >= 65 && c <= 90) c += 32;
    }
    buf[len++] = c;
    h = Math.imul(h ^ c, 16777619);
  }
  if (len > 0) onToken(buf, len, h);
}

/** A growable Int32 output buffer for token ids. */
export class IdBuffer {
  /** The ids. */
  ids: Int32Array = new Int32Array(1 << 14);
  /** Makes room for `n` ids. */
  ensure(n: number): Int32Array {
    if (n > this.ids.length) {
      let size = this.ids.length;
      while (size < n) size *= 2;
      this.ids = new Int32Array(size);
    }
    return this.ids;
  }
}

/**
 * {@link scanStandardized} without callbacks: writes the table id of every token to
 * `out` (inserting new tokens when `insert`, else -1 for unknown ones) and returns the count.
 */
export function standardizedIds(
  text: string,
  lower: boolean,
  strip: boolean,
  table: TokenTable,
  insert: boolean,
  scratch: CharBuffer,
  out: IdBuffer,
): number {
  const n = text.length;
  const buf = scratch.ensure(n);
  const ids = out.ensure((n >> 1) + 1);
  let count = 0;
  let len = 0;
  let h = HASH_START;
  for (let i = 0; i <= n; i++) {
    let c = i < n ? text.charCodeAt(i) : 32;
    if (c < 128) {
      if (WHITESPACE[c] === 1) {
        if (len > 0) {
          let id = table.findBuf(buf, len, h);
          if (id < 0 && insert) id = table.insertNew(bufToString(buf, len), h);
          ids[count++] = id;
          len = 0;
          h = HASH_START;
        }
        continue;
      }
      if (strip && PUNCTUATION[c] === 1) continue;
      if (lower && c >= 65 && c <= 90) c += 32;
    }
    buf[len++] = c;
    h = Math.imul(h ^ c, 16777619);
  }
  return count;
}

/**
 * {@link scanDelimited} without callbacks: the table id of every token of `s` (already
 * lower-cased) into `out`; returns the count.
 */
export function delimitedIds(s: string, boundary: Uint8Array, table: TokenTable, insert: boolean, out: IdBuffer): number {
  const n = s.length;
  const ids = out.ensure((n >> 1) + 1);
  const limit = boundary.length;
  let count = 0;
  let start = 0;
  let h = HASH_START;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : -1;
    if (c < 0 || (c < limit && boundary[c] === 1)) {
      if (i > start) {
        let id = table.findStr(s, start, i, h);
        if (id < 0 && insert) id = table.insertNew(s.slice(start, i), h);
        ids[count++] = id;
      }
      start = i + 1;
      h = HASH_START;
    } else h = Math.imul(h ^ c, 16777619);
  }
  return count;
}
