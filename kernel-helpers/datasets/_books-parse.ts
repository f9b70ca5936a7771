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
 * const { title, chapters } = books.mobyDick();
 * title; // "Moby Dick; or The Whale"
 * chapters.length; // 139
 * ```
 */
export interface Book {
  /** The book's title. */
  title: string;
  /** The author, or `null` when unknown. */
  author: string | null;
  /** The whole text (front matter, chapters with their headings, back matter). */
  text: string;
  /**
   * The chapters in order, with text before the first heading as a part of its own
   * (`number: null`); a book without chapter headings is one part.
   */
  chapters: BookChapter[];
}

const START = /^\*\*\*\s*START OF (THE|THIS) PROJECT GUTENBERG.*$/im;
const END = /^\*\*\*\s*END OF (THE|THIS) PROJECT GUTENBERG.*$/im;
/**
 * A chapter heading line: `CHAPTER 12`, `Chapter XII.`, `CHAPTER 1. Loomings.`, `Chapter 3: The
 * Storm`, `Chapter 4 The Return`. The number is followed by the end of the line, by `.`/`:` and
 * an optional title, or by spaces and a title that does not start with a lowercase letter.
 */
const HEADING_LINE = /^[ \t]*(?:CHAPTER|Chapter)[ \t]+(\d+|[IVXLCDM]+)(?:[ \t]*[.:][ \t]*(.*?)|[ \t]+([^\s\p{Ll}].*?))?[ \t]*$/u;
/** Longest title a heading may carry: a longer one is a sentence of prose. */
const MAX_TITLE = 60;

interface Heading {
  /** Offset of the heading line in the text. */
  index: number;
  /** Offset just after the line. */
  end: number;
  label: string;
  title: string;
}

/**
 * Whether a title reads like a heading rather than the rest of a sentence: short, and no
 * sentence punctuation inside it (a comma, a semicolon, or a `.`/`!`/`?` followed by a
 * lowercase word). A final `.` is fine (`"Loomings."`).
 */
function looksLikeTitle(title: string): boolean {
  return title.length <= MAX_TITLE && !/[,;]/.test(title) && !/[.!?]\s+\p{Ll}/u.test(title);
}

/**
 * The chapter headings of a text. A heading stands alone between paragraphs: it is first in the
 * text or follows a blank line; it reads `CHAPTER n` / `Chapter XII` with at most a short title;
 * and a blank line (or the end) follows it, or a title line and then a blank line (`CHAPTER I.`
 * / `Down the Rabbit-Hole`, the title line becoming the chapter's title). So a prose line that
 * starts "Chapter 11 bankruptcy ...", or the lines of a table of contents, are not headings.
 */
function findHeadings(text: string): Heading[] {
  const lines = text.split("\n");
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const blank = (i: number): boolean => i < 0 || i >= lines.length || lines[i].trim() === "";
  const headings: Heading[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = blank(i - 1) ? HEADING_LINE.exec(lines[i]) : null;
    if (!m) continue;
    const title = (m[2] ?? m[3] ?? "").trim();
    if (!looksLikeTitle(title)) continue;
    const heading = { index: starts[i], end: starts[i] + lines[i].length, label: m[1], title };
    if (blank(i + 1)) {
      headings.push(heading);
    } else if (title === "" && i + 2 < lines.length && blank(i + 2)) {
      const next = lines[i + 1].trim();
      if (looksLikeTitle(next) && !/^\p{Ll}/u.test(next) && !HEADING_LINE.test(next)) {
        headings.push({ ...heading, end: starts[i + 1] + lines[i + 1].length, title: next });
      }
    }
  }
  return headings;
}

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
 * `Title:`/`Author:` from the header, and cuts chapters at heading lines `CHAPTER n` /
 * `Chapter XII` (see {@link findHeadings}). Text before the first heading (a preface, a table of
 * contents) is kept as a part of its own with `number: null`.
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
  const marks = findHeadings(text);
  if (marks.length === 0) {
    chapters.push({ number: null, label: title, title: "", text });
  } else {
    const front = text.slice(0, marks[0].index).trim();
    if (front.length > 0) chapters.push({ number: null, label: "Front matter", title: "", text: front });
    for (let k = 0; k < marks.length; k++) {
      const m = marks[k];
      const end = k + 1 < marks.length ? marks[k + 1].index : text.length;
      chapters.push({
        number: /^\d+$/.test(m.label) ? Number(m.label) : romanToNumber(m.label),
        label: m.label,
        title: m.title,
        text: text.slice(m.end, end).replace(/^\n+/, "").replace(/\s+$/, ""),
      });
    }
  }
  return { title, author, text, chapters };
}
