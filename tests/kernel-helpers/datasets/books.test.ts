import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { books, MissingFileError, DataError, InvalidArgumentError } from "kernel-helpers";

describe("books", () => {
  it("books.mobyDick() returns the whole book and its 139 parts", () => {
    const b = books.mobyDick();
    assert.equal(b.author, "Herman Melville");
    assert.equal(b.chapters.length, 139);
    assert.ok(b.text.length > 1_000_000);
    const first = b.chapters.find((c) => c.number === 1)!;
    assert.equal(first.title, "Loomings.");
    assert.ok(first.text.startsWith("Call me Ishmael."));
    assert.ok(b.text.includes("CHAPTER 1. Loomings.\n\nCall me Ishmael."));
    assert.equal(b.chapters.filter((c) => c.number !== null).length, 135);
    assert.equal(b.chapters[b.chapters.length - 1].label, "Epilogue");
  });
  it("books.fromFile() strips the Gutenberg header and splits chapters", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-books-"));
    const file = path.join(dir, "tiny.txt");
    fs.writeFileSync(
      file,
      "\uFEFFThe Project Gutenberg eBook\r\nTitle: Tiny Tale\r\nAuthor: A. Writer\r\n\r\n" +
        "*** START OF THE PROJECT GUTENBERG EBOOK TINY TALE ***\r\n\r\nCHAPTER I. Dawn\r\n\r\nIt began.\r\n\r\n" +
        "CHAPTER II.\r\nIt ended.\r\n*** END OF THE PROJECT GUTENBERG EBOOK TINY TALE ***\r\nLicence text\r\n",
    );
    try {
      const b = books.fromFile(file);
      assert.equal(b.title, "Tiny Tale");
      assert.equal(b.author, "A. Writer");
      assert.equal(b.text, "CHAPTER I. Dawn\n\nIt began.\n\nCHAPTER II.\nIt ended.\n");
      assert.deepEqual(b.chapters, [
        { number: 1, label: "I", title: "Dawn", text: "It began." },
        { number: 2, label: "II", title: "", text: "It ended." },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it("books.fromFile() reads a book without chapters as one part titled by its file name", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-books-"));
    const file = path.join(dir, "poem.txt");
    fs.writeFileSync(file, "Roses are red.\n");
    try {
      const b = books.fromFile(file);
      assert.equal(b.title, "poem");
      assert.equal(b.chapters.length, 1);
      assert.equal(b.chapters[0].text, "Roses are red.\n");
      fs.writeFileSync(file, "  \n");
      assert.throws(() => books.fromFile(file), DataError);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it("books.fromFile() names a missing file and rejects a non-string path", () => {
    assert.throws(() => books.fromFile("no/such/book.txt"), (e: Error) => e instanceof MissingFileError && /no\/such\/book.txt/.test(e.message));
    assert.throws(() => books.fromFile(3 as unknown as string), InvalidArgumentError);
  });
});
