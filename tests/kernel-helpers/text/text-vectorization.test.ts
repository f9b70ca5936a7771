import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs-node";
import { TextVectorization, InvalidArgumentError, SeqlabError } from "kernel-helpers";

// Expected values below were produced by Keras 3.15 TextVectorization on the same inputs.
describe("TextVectorization", () => {
  it("TextVectorization lower-cases ASCII only, strips Keras' punctuation and splits on ASCII whitespace", () => {
    const tv = new TextVectorization();
    tv.adapt(["ÉCOLE École b a c a\u00a0x\u2003y\x0bz\x1cq\x85r", "b Straße ΣΑΣ"]);
    assert.deepEqual(tv.getVocabulary(), ["", "[UNK]", "École", "b", "ΣΑΣ", "z\x1cq\x85r", "straße", "c", "a\u00a0x\u2003y", "a"]);
    assert.deepEqual(tv.apply(["b a zz"]), [[3, 9, 1]]);
  });
  it("TextVectorization breaks count ties by token, high to low", () => {
    const tv = new TextVectorization({ ngrams: 2, maxTokens: 6 });
    tv.adapt(["the cat sat", "the cat"]);
    assert.deepEqual(tv.getVocabulary(), ["", "[UNK]", "the cat", "the", "cat", "sat"]);
    assert.deepEqual(tv.apply(["the cat x"]), [[3, 4, 1, 2, 1]]);
  });
  it("TextVectorization pads and truncates at the end to outputSequenceLength", () => {
    const tv = new TextVectorization({ outputSequenceLength: 3 });
    tv.adapt(["a b c d e"]);
    assert.deepEqual(tv.apply(["a b c d e", "e", ""]), [[6, 5, 4], [2, 0, 0], [0, 0, 0]]);
  });
  it("TextVectorization pads to the longest text without outputSequenceLength", () => {
    const tv = new TextVectorization();
    tv.adapt(["x y"]);
    assert.deepEqual(tv.apply(["x", "y x q"]), [[3, 0, 0], [2, 3, 1]]);
    assert.deepEqual(tv.apply(["", "  "]), [[], []]);
  });
  it("TextVectorization ngrams tuples give only those widths", () => {
    const tv = new TextVectorization({ ngrams: [2, 3], outputSequenceLength: 4 });
    tv.adapt(["a b c d"]);
    assert.deepEqual(tv.getVocabulary(), ["", "[UNK]", "c d", "b c d", "b c", "a b c", "a b"]);
    assert.deepEqual(tv.apply(["a b c d", "a"]), [[6, 4, 2, 5], [0, 0, 0, 0]]);
  });
  it("TextVectorization multi_hot and count put OOV in column 0 and count maxTokens with it", () => {
    const mh = new TextVectorization({ outputMode: "multi_hot", maxTokens: 2 });
    mh.adapt(["a b b"]);
    assert.deepEqual(mh.getVocabulary(), ["[UNK]", "b"]);
    assert.deepEqual(mh.apply(["a b"]), [[1, 1]]);
    const ct = new TextVectorization({ outputMode: "count", maxTokens: 3 });
    ct.adapt(["a b b c c c"]);
    assert.deepEqual(ct.apply(["c b a a"]), [[2, 1, 1]]);
  });
  it("TextVectorization tf_idf weighs counts by ln(1 + N / (1 + df)) with the mean idf for OOV", () => {
    const tv = new TextVectorization({ outputMode: "tf_idf" });
    tv.adapt(["a b c", "a a d", ""]);
    assert.deepEqual(tv.getVocabulary(), ["[UNK]", "a", "d", "c", "b"]);
    const expected = [[0.8605048656463623, 1.3862943649291992, 0, 0, 0.9162907600402832], [0, 0, 0, 0, 0]];
    const got = tv.apply(["a a zz b", ""]);
    got.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - expected[i][j]) < 1e-6, `${i},${j}: ${v}`)));
  });
  it("TextVectorization character split keeps spaces and code points", () => {
    const tv = new TextVectorization({ split: "character" });
    tv.adapt(["ab😀 a"]);
    assert.deepEqual(tv.getVocabulary(), ["", "[UNK]", "a", "😀", "b", " "]);
  });
  it("TextVectorization without split keeps whole texts and maps \"\" to padding", () => {
    const tv = new TextVectorization({ split: null, standardize: null });
    tv.adapt(["", "x", "[UNK]", "x"]);
    assert.deepEqual(tv.getVocabulary(), ["", "[UNK]", "x"]);
    assert.deepEqual(tv.apply(["", "y", "x"]), [[0], [1], [2]]);
  });
  it("TextVectorization strip_punctuation keeps case and removes the apostrophe and backslash", () => {
    const tv = new TextVectorization({ standardize: "strip_punctuation" });
    tv.adapt(["Don't STOP-me \\ x"]);
    assert.deepEqual(tv.getVocabulary(), ["", "[UNK]", "x", "STOPme", "Dont"]);
  });
  it("TextVectorization accepts standardize and split functions", () => {
    const tv = new TextVectorization({ standardize: (s) => s.toUpperCase(), split: (s) => s.split(",") });
    tv.adapt(["a,b,a"]);
    assert.deepEqual(tv.getVocabulary(), ["", "[UNK]", "A", "B"]);
  });
  it("TextVectorization.adapt() replaces the previous vocabulary", () => {
    const tv = new TextVectorization();
    tv.adapt(["x"]);
    tv.adapt(["y"]);
    assert.deepEqual(tv.getVocabulary(), ["", "[UNK]", "y"]);
    assert.deepEqual(tv.getVocabulary(false), ["y"]);
    assert.equal(tv.vocabularySize(), 3);
  });
  it("TextVectorization.applyTensor() returns int32 or float32 tensors and leaks nothing", () => {
    const tv = new TextVectorization({ outputSequenceLength: 2 });
    tv.adapt(["a b"]);
    const before = tf.memory().numTensors;
    const t = tv.call(["b", "a b c"]);
    assert.equal(t.dtype, "int32");
    assert.deepEqual(t.arraySync(), [[2, 0], [3, 2]]);
    t.dispose();
    const c = new TextVectorization({ outputMode: "count" });
    c.adapt(["a"]);
    const u = c.applyTensor(["a a"]);
    assert.equal(u.dtype, "float32");
    assert.deepEqual(u.arraySync(), [[0, 2]]);
    u.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
  it("TextVectorization validates its options and input", () => {
    assert.throws(() => new TextVectorization({ maxTokens: 1 }), /`maxTokens` must be an integer greater than 1.*Received: maxTokens=1/);
    assert.throws(() => new TextVectorization({ outputMode: "binary" as "int" }), /`outputMode` must be one of/);
    assert.throws(() => new TextVectorization({ outputMode: "count", outputSequenceLength: 3 }), InvalidArgumentError);
    assert.throws(() => new TextVectorization({ ngrams: 0 }), /`ngrams`/);
    assert.throws(() => new TextVectorization({ standardize: "upper" as "lower" }), /`standardize`/);
    assert.throws(() => new TextVectorization().apply(["a"]), SeqlabError);
    const tv = new TextVectorization();
    assert.throws(() => tv.adapt([1 as unknown as string]), /`texts\[0\]` must be a string/);
  });
});

describe("TextVectorization without learned tokens", () => {
  it("TextVectorization fails like Keras when nothing can be learned", () => {
    assert.throws(() => new TextVectorization({ maxTokens: 2 }).adapt(["a b"]), /`maxTokens` leaves no room/);
    assert.throws(() => new TextVectorization({ outputMode: "tf_idf" }).adapt([""]), /at least one token/);
    const tv = new TextVectorization();
    tv.adapt(["", " ."]);
    assert.deepEqual(tv.getVocabulary(), ["", "[UNK]"]);
    assert.throws(() => tv.apply(["a"]), /no learned tokens/);
    const mh = new TextVectorization({ outputMode: "multi_hot", maxTokens: 2 });
    mh.adapt(["a"]);
    assert.deepEqual(mh.apply(["a"]), [[0, 1]]);
  });
});
