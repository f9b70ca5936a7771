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
        "CHAPTER II.\r\n\r\nIt ended.\r\n*** END OF THE PROJECT GUTENBERG EBOOK TINY TALE ***\r\nLicence text\r\n",
    );
    try {
      const b = books.fromFile(file);
      assert.equal(b.title, "Tiny Tale");
      assert.equal(b.author, "A. Writer");
      assert.equal(b.text, "CHAPTER I. Dawn\n\nIt began.\n\nCHAPTER II.\n\nIt ended.\n");
      assert.deepEqual(b.chapters, [
        { number: 1, label: "I", title: "Dawn", text: "It began." },
        { number: 2, label: "II", title: "", text: "It ended." },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it("books.fromFile() takes only lines that stand alone as headings, not prose starting with \"Chapter 11\"", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-books-"));
    const file = path.join(dir, "firm.txt");
    fs.writeFileSync(
      file,
      [
        "A History of the Firm",
        "",
        "Contents",
        "",
        "CHAPTER I. The Founding",
        "CHAPTER II. The Fall",
        "",
        "CHAPTER I.",
        "The Founding",
        "",
        "The firm was founded in 1901.",
        "",
        "Chapter 11 bankruptcy was what the board feared most, and it came",
        "in the end.",
        "",
        "Chapter 7. It was worse, said the lawyers, than anyone thought.",
        "",
        "CHAPTER II. The Fall",
        "",
        "Chapter 11 came in 2009.",
        "",
      ].join("\n"),
    );
    try {
      const b = books.fromFile(file);
      assert.deepEqual(
        b.chapters.map((c) => [c.number, c.label, c.title]),
        [
          [null, "Front matter", ""],
          [1, "I", "The Founding"],
          [2, "II", "The Fall"],
        ],
      );
      assert.match(b.chapters[0].text, /^A History of the Firm\n\nContents\n\nCHAPTER I\. The Founding\nCHAPTER II\. The Fall$/);
      assert.match(b.chapters[1].text, /^The firm was founded in 1901\.\n\nChapter 11 bankruptcy was what.*\n\nChapter 7\. It was worse/s);
      assert.equal(b.chapters[2].text, "Chapter 11 came in 2009.");
      assert.ok(b.text.includes("Chapter 11 bankruptcy was what the board feared most"), "nothing is dropped from the text");
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
  it("books.fromFile() refuses a folder, a binary file and a non-UTF-8 file, naming the problem and the fix", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-books-"));
    try {
      assert.throws(() => books.fromFile(dir), (e: Error) => e instanceof MissingFileError && /it is a folder, not a file/.test(e.message));
      assert.throws(() => books.fromFile(path.join(dir, "missing.txt")), (e: Error) => e instanceof MissingFileError && /\(there is no such file\): check the path/.test(e.message));
      const pdf = path.join(dir, "book.pdf");
      fs.writeFileSync(pdf, Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.from([0, 1, 2, 255, 254]), Buffer.from("stream")]));
      assert.throws(() => books.fromFile(pdf), (e: Error) => e instanceof DataError && /binary \(a NUL byte at byte 9\), not plain text: convert it first.*Plain Text UTF-8.*book\.pdf/.test(e.message));
      const latin1 = path.join(dir, "latin1.txt");
      fs.writeFileSync(latin1, Buffer.from("Déjà vu, à côté. ".repeat(50), "latin1"));
      assert.throws(() => books.fromFile(latin1), (e: Error) => e instanceof DataError && /not UTF-8 text \(\d+ of \d+ characters cannot be decoded\): save it as UTF-8/.test(e.message));
      const empty = path.join(dir, "empty.txt");
      fs.writeFileSync(empty, "");
      assert.throws(() => books.fromFile(empty), (e: Error) => e instanceof DataError && /empty: give a file with text.*\(0 bytes\)/.test(e.message));
      const utf8 = path.join(dir, "utf8.txt");
      fs.writeFileSync(utf8, "Déjà vu — à côté. ".repeat(50));
      assert.equal(books.fromFile(utf8).chapters[0]!.text.slice(0, 8), "Déjà vu ");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
