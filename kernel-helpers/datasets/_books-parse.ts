/**
 * Internal: turning a plain-text book file into text and chapters.
 *
 * @module
 */

/**
 * One chapter (or other part) of a book.
 *
 * @example
 * ```ts
 * books.mobyDick().chapters[3].title; // "Loomings."
 * ```
 */
export interface BookChapter {
  /** The chapter number, or `null` for front and back matter (contents, epilogue, ...). */
  number: number | null;
  /** Its heading label: `"1"`, `"Etymology"`, `"Epilogue"`, ... */
  label: string;
  /** Its title, e.g. `"Loomings."`; `""` when it has none. */
  title: string;
  /** Its text, heading excluded. */
  text: string;
}

/**
 * A book as text and chapters.
 *
 * @example
 * ```ts
 * const { text, chapters } = books.fromFile("book.txt");
 * ```
 */
export interface Book {
  /** The book's title. */
  title: string;
  /** The author, or `null` when unknown. */
  author: string | null;
  /** The whole text (front matter, chapters with their headings, back matter). */
  text: string;
  /** The chapters in order; a book without chapter headings is one part. */
  chapters: BookChapter[];
}

const START = /^\*\*\*\s*START OF (THE|THIS) PROJECT GUTENBERG.*$/im;
const END = /^\*\*\*\s*END OF (THE|THIS) PROJECT GUTENBERG.*$/im;
const HEADING = /^[ \t]*(?:CHAPTER|Chapter)[ \t]+(\d+|[IVXLCDM]+)\b[.:]?[ \t]*(.*)$/gm;

function romanToNumber(s: string): number {
  const v: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const a = v[s[i]];
    const b = i + 1 < s.length ? v[s[i + 1]] : 0;
    total += a < b ? -a : a;
  }
  return total;
}

/**
 * Splits a book text: normalizes line ends, removes a byte-order mark and the Project
 * Gutenberg header and licence (kept between the `*** START OF` / `*** END OF` lines), reads
 * `Title:`/`Author:` from the header, and cuts chapters at lines `CHAPTER n` / `Chapter XII`.
 */
export function parseBook(raw: string, fallbackTitle: string): Book {
  let text = raw.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const header = text.match(START);
  let title = fallbackTitle;
  let author: string | null = null;
  if (header && header.index !== undefined) {
    const head = text.slice(0, header.index);
    title = head.match(/^Title:[ \t]*(.+)$/m)?.[1].trim() ?? title;
    author = head.match(/^Author:[ \t]*(.+)$/m)?.[1].trim() ?? null;
    text = text.slice(header.index + header[0].length);
    const end = text.match(END);
    if (end && end.index !== undefined) text = text.slice(0, end.index);
  }
  text = text.replace(/^\n+/, "").replace(/\s+$/, "") + "\n";
  const chapters: BookChapter[] = [];
  const marks = Array.from(text.matchAll(HEADING));
  if (marks.length === 0) {
    chapters.push({ number: null, label: title, title: "", text });
  } else {
    for (let k = 0; k < marks.length; k++) {
      const m = marks[k];
      const start = m.index! + m[0].length;
      const end = k + 1 < marks.length ? marks[k + 1].index! : text.length;
      const label = m[1];
      chapters.push({
        number: /^\d+$/.test(label) ? Number(label) : romanToNumber(label),
        label,
        title: m[2].trim(),
        text: text.slice(start, end).replace(/^\n+/, "").replace(/\s+$/, ""),
      });
    }
  }
  return { title, author, text, chapters };
}
