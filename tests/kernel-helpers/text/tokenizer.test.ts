import { strict as assert } from "node:assert";
import { Tokenizer, textToWordSequence, InvalidArgumentError, DataError, SeqlabError } from "kernel-helpers";

describe("textToWordSequence", () => {
  it("textToWordSequence() lower-cases, removes Keras' default filters and keeps apostrophes", () => {
    assert.deepEqual(textToWordSequence("Hello, World! It's   me.\tNow\nthen"), ["hello", "world", "it's", "me", "now", "then"]);
  });
  it("textToWordSequence() lower-cases Unicode like Python (final sigma, dotted I)", () => {
    assert.deepEqual(textToWordSequence("ΟΔΟΣ École İ"), ["οδος", "école", "i\u0307"]);
  });
  it("textToWordSequence() honours filters, lower and a custom split", () => {
    assert.deepEqual(textToWordSequence("A-b C", { filters: "", split: "-", lower: false }), ["A", "b C"]);
    assert.deepEqual(textToWordSequence("a,b;c", { filters: ";", split: "," }), ["a", "b", "c"]);
  });
  it("textToWordSequence() supports a multi-character split", () => {
    assert.deepEqual(textToWordSequence("a::b!c::::d", { split: "::" }), ["a", "b", "c", "d"]);
  });
  it("textToWordSequence() returns [] for empty and all-punctuation texts", () => {
    assert.deepEqual(textToWordSequence(""), []);
    assert.deepEqual(textToWordSequence(" ?! ... "), []);
  });
  it("textToWordSequence() rejects a non-string text and an empty split", () => {
    assert.throws(() => textToWordSequence(42 as unknown as string), /`text` must be a string. Received: text=42/);
    assert.throws(() => textToWordSequence("a", { split: "" }), InvalidArgumentError);
  });
});

describe("Tokenizer", () => {
  it("Tokenizer.fitOnTexts() ranks by count with ties in first-seen order", () => {
    const tok = new Tokenizer();
    tok.fitOnTexts(["b c a", "a d c", "a"]);
    assert.deepEqual([...tok.wordIndex], [["a", 1], ["c", 2], ["b", 3], ["d", 4]]);
    assert.deepEqual([...tok.indexWord], [[1, "a"], [2, "c"], [3, "b"], [4, "d"]]);
    assert.deepEqual([...tok.wordCounts], [["b", 1], ["c", 2], ["a", 3], ["d", 1]]);
    assert.deepEqual(Object.fromEntries(tok.wordDocs), { a: 3, b: 1, c: 2, d: 1 });
    assert.deepEqual(Object.fromEntries(tok.indexDocs), { 1: 3, 2: 2, 3: 1, 4: 1 });
    assert.equal(tok.documentCount, 3);
  });
  it("Tokenizer counts a word once per document in wordDocs", () => {
    const tok = new Tokenizer();
    tok.fitOnTexts(["x x x", "x y"]);
    assert.equal(tok.wordCounts.get("x"), 4);
    assert.equal(tok.wordDocs.get("x"), 2);
  });
  it("Tokenizer puts oovToken at index 1 and shifts the other words", () => {
    const tok = new Tokenizer({ oovToken: "<OOV>" });
    tok.fitOnTexts(["the cat sat", "the dog"]);
    assert.deepEqual([...tok.wordIndex], [["<OOV>", 1], ["the", 2], ["cat", 3], ["sat", 4], ["dog", 5]]);
    assert.deepEqual(tok.textsToSequences(["the bird sat", ""]), [[2, 1, 4], []]);
  });
  it("Tokenizer applies numWords only when encoding (index < numWords)", () => {
    const tok = new Tokenizer({ numWords: 3 });
    tok.fitOnTexts(["a a a b b c d"]);
    assert.equal(tok.wordIndex.size, 4);
    assert.deepEqual(tok.textsToSequences(["a b c d e"]), [[1, 2]]);
    assert.deepEqual(tok.sequencesToTexts([[1, 2, 3, 4]]), ["a b"]);
  });
  it("Tokenizer maps words beyond numWords to the OOV index when oovToken is set", () => {
    const tok = new Tokenizer({ numWords: 3, oovToken: "?" });
    tok.fitOnTexts(["a a a b b c"]);
    // "?"=1, a=2, b=3, c=4: only ids 1 and 2 are < 3
    assert.deepEqual(tok.textsToSequences(["a b c zz"]), [[2, 1, 1, 1]]);
    assert.deepEqual(tok.sequencesToTexts([[2, 3, 9]]), ["a ? ?"]);
  });
  it("Tokenizer with numWords 0 keeps every word, as Keras' falsy check", () => {
    const tok = new Tokenizer({ numWords: 0 });
    tok.fitOnTexts(["a b c"]);
    assert.deepEqual(tok.textsToSequences(["c b a"]), [[3, 2, 1]]);
  });
  it("Tokenizer gives the OOV token's later index when it is also a corpus word", () => {
    const tok = new Tokenizer({ oovToken: "unk" });
    tok.fitOnTexts(["a unk a"]);
    // Keras zips ["unk", "a", "unk"] into a dict: the later "unk" wins, index 1 is orphaned.
    assert.deepEqual([...tok.wordIndex], [["unk", 3], ["a", 2]]);
    assert.equal(tok.indexWord.get(1), undefined);
    assert.deepEqual(tok.textsToSequences(["a zz"]), [[2, 3]]);
  });
  it("Tokenizer charLevel counts code points and ignores filters", () => {
    const tok = new Tokenizer({ charLevel: true });
    tok.fitOnTexts(["Aab!", "😀"]);
    assert.deepEqual([...tok.wordIndex], [["a", 1], ["b", 2], ["!", 3], ["😀", 4]]);
    assert.deepEqual(tok.textsToSequences(["ba 😀"]), [[2, 1, 4]]);
    assert.deepEqual(tok.sequencesToTexts([[2, 1]]), ["b a"]);
  });
  it("Tokenizer accepts pre-tokenized texts (lists are lower-cased, not filtered)", () => {
    const tok = new Tokenizer();
    tok.fitOnTexts([["Hello,", "world"], "hello world"]);
    assert.deepEqual([...tok.wordIndex], [["world", 1], ["hello,", 2], ["hello", 3]]);
    assert.deepEqual(tok.textsToSequences([["WORLD", "x"]]), [[1]]);
  });
  it("Tokenizer refits cumulatively and re-ranks", () => {
    const tok = new Tokenizer();
    tok.fitOnTexts(["a b"]);
    tok.fitOnTexts(["b"]);
    assert.deepEqual([...tok.wordIndex], [["b", 1], ["a", 2]]);
    assert.equal(tok.documentCount, 2);
    assert.deepEqual(tok.textsToSequences(["a b"]), [[2, 1]]);
  });
  it("Tokenizer.fitOnSequences() counts documents per index", () => {
    const tok = new Tokenizer();
    tok.fitOnSequences([[1, 2, 2], [2], []]);
    assert.equal(tok.documentCount, 3);
    assert.deepEqual([...tok.indexDocs], [[1, 1], [2, 2]]);
  });
  it("Tokenizer.sequencesToMatrix() fills binary, count and freq rows", () => {
    const tok = new Tokenizer({ numWords: 4 });
    tok.fitOnTexts(["a b c"]);
    const seqs = [[1, 1, 3, 5], []];
    assert.deepEqual(tok.sequencesToMatrix(seqs, "binary"), [[0, 1, 0, 1], [0, 0, 0, 0]]);
    assert.deepEqual(tok.sequencesToMatrix(seqs, "count"), [[0, 2, 0, 1], [0, 0, 0, 0]]);
    // freq divides by the whole length, ids >= numWords included
    assert.deepEqual(tok.sequencesToMatrix(seqs, "freq"), [[0, 0.5, 0, 0.25], [0, 0, 0, 0]]);
  });
  it("Tokenizer.textsToMatrix() computes tf-idf as (1 + ln c) * ln(1 + N / (1 + df))", () => {
    const tok = new Tokenizer();
    tok.fitOnTexts(["a a b", "a c"]);
    const m = tok.textsToMatrix(["a a c zz"], "tfidf");
    assert.equal(m[0].length, 4); // wordIndex.size + 1
    assert.equal(m[0][0], 0);
    assert.ok(Math.abs(m[0][1] - (1 + Math.log(2)) * Math.log(1 + 2 / 3)) < 1e-12);
    assert.equal(m[0][2], 0);
    assert.ok(Math.abs(m[0][3] - Math.log(1 + 2 / 2)) < 1e-12);
  });
  it("Tokenizer.sequencesToMatrix() needs a width and fitted data for tfidf", () => {
    assert.throws(() => new Tokenizer().sequencesToMatrix([[1]]), /Specify a dimension/);
    assert.throws(() => new Tokenizer({ numWords: 3 }).sequencesToMatrix([[1]], "tfidf"), SeqlabError);
  });
  it("Tokenizer rejects unknown modes, non-string texts and bad ids with named arguments", () => {
    const tok = new Tokenizer();
    tok.fitOnTexts(["a"]);
    assert.throws(() => tok.textsToMatrix(["a"], "tf-idf" as "tfidf"), /`mode` must be one of "binary", "count", "freq", "tfidf". Received: mode="tf-idf"/);
    assert.throws(() => tok.fitOnTexts(["a", 3 as unknown as string]), /`texts\[1\]` must be a string/);
    assert.throws(() => tok.fitOnTexts("abc" as unknown as string[]), /`texts` must be an array/);
    assert.throws(() => tok.sequencesToTexts([[1, NaN]]), DataError);
    assert.throws(() => tok.sequencesToMatrix([[-1]]), /`sequences\[0\]\[0\]` must be a non-negative integer/);
    assert.throws(() => new Tokenizer({ numWords: -2 }), /`numWords` must be a non-negative integer. Received: numWords=-2/);
    assert.throws(() => new Tokenizer({ oovToken: "x" }).textsToSequences(["a"]), /fitOnTexts/);
  });
  it("Tokenizer.toJSON() writes Keras' to_json layout byte for byte", () => {
    const tok = new Tokenizer({ oovToken: "<OOV>" });
    tok.fitOnTexts(["the cat", "The dog é"]);
    const expected = String.raw`{"class_name": "Tokenizer", "config": {"num_words": null, "filters": "!\"#$%&()*+,-./:;<=>?@[\\]^_${"`"}{|}~\t\n", "lower": true, "split": " ", "char_level": false, "oov_token": "<OOV>", "document_count": 2, "word_counts": "{\"the\": 2, \"cat\": 1, \"dog\": 1, \"\\u00e9\": 1}", "word_docs": "{\"the\": 2, \"cat\": 1, \"dog\": 1, \"\\u00e9\": 1}", "index_docs": "{\"2\": 2, \"3\": 1, \"4\": 1, \"5\": 1}", "index_word": "{\"1\": \"<OOV>\", \"2\": \"the\", \"3\": \"cat\", \"4\": \"dog\", \"5\": \"\\u00e9\"}", "word_index": "{\"<OOV>\": 1, \"the\": 2, \"cat\": 3, \"dog\": 4, \"\\u00e9\": 5}"}}`;
    assert.equal(tok.toJSON(), expected);
  });
  it("Tokenizer.toJSON() escapes quotes, backslashes, control and non-ASCII characters as Python does", () => {
    const tok = new Tokenizer({ filters: "", lower: false });
    tok.fitOnTexts(['"q" back\\slash \x7f \u2028 😀 "q"']);
    const expected = String.raw`{"class_name": "Tokenizer", "config": {"num_words": null, "filters": "", "lower": false, "split": " ", "char_level": false, "oov_token": null, "document_count": 1, "word_counts": "{\"\\\"q\\\"\": 2, \"back\\\\slash\": 1, \"\\u007f\": 1, \"\\u2028\": 1, \"\\ud83d\\ude00\": 1}", "word_docs": "{\"\\\"q\\\"\": 1, \"back\\\\slash\": 1, \"\\u007f\": 1, \"\\u2028\": 1, \"\\ud83d\\ude00\": 1}", "index_docs": "{\"1\": 1, \"2\": 1, \"3\": 1, \"4\": 1, \"5\": 1}", "index_word": "{\"1\": \"\\\"q\\\"\", \"2\": \"back\\\\slash\", \"3\": \"\\u007f\", \"4\": \"\\u2028\", \"5\": \"\\ud83d\\ude00\"}", "word_index": "{\"\\\"q\\\"\": 1, \"back\\\\slash\": 2, \"\\u007f\": 3, \"\\u2028\": 4, \"\\ud83d\\ude00\": 5}"}}`;
    assert.equal(tok.toJSON(), expected);
    assert.deepEqual([...Tokenizer.fromJSON(expected).wordIndex], [...tok.wordIndex]);
  });
  it("Tokenizer.fromJSON() round-trips configuration, vocabularies and encodings", () => {
    const tok = new Tokenizer({ numWords: 5, oovToken: "<unk>", filters: "!", split: " ", lower: false });
    tok.fitOnTexts(["B a 1 1 10", "b é, 2 1"]);
    const again = Tokenizer.fromJSON(tok.toJSON());
    assert.equal(again.toJSON(), tok.toJSON());
    assert.deepEqual([...again.wordCounts], [...tok.wordCounts]); // "1" and "10" keep their place
    assert.deepEqual([...again.indexWord], [...tok.indexWord]);
    assert.deepEqual(again.textsToSequences(["1 b é, zz"]), tok.textsToSequences(["1 b é, zz"]));
    assert.deepEqual(again.textsToMatrix(["a 1"], "tfidf"), tok.textsToMatrix(["a 1"], "tfidf"));
    const fromObject = Tokenizer.fromJSON(JSON.parse(tok.toJSON()));
    assert.equal(fromObject.numWords, 5);
  });
  it("Tokenizer.fromJSON() rejects text that is not a tokenizer", () => {
    assert.throws(() => Tokenizer.fromJSON("{"), DataError);
    assert.throws(() => Tokenizer.fromJSON('{"config": {"word_index": "[1]"}}'), DataError);
  });
});
