import { strict as assert } from "node:assert";
import { padSequences, ShapeError, TextVectorization, InvalidArgumentError } from "kernel-helpers";
import type { PadSequencesOptions, SequenceStep, TextVectorizationConfig, TextVectorizationOutputMode } from "kernel-helpers";
import fixture from "./fixtures/keras-text-cases.json";

// Every expected value below was written by Keras itself: fixtures/make-keras-text-cases.py.
const sequences = fixture.sequences as Record<string, SequenceStep[][]>;

describe("padSequences against Keras' pad_sequences", () => {
  for (const name of Object.keys(sequences)) {
    const cases = fixture.padSequences.filter((c) => c.sequences === name);
    it(`padSequences(${name}) matches Keras in all ${cases.length} maxlen/padding/truncating/dtype/value cases`, () => {
      assert.ok(cases.length > 0);
      for (const c of cases) {
        const o = c.options;
        const options: PadSequencesOptions = {
          maxlen: o.maxlen,
          padding: o.padding as "pre" | "post",
          truncating: o.truncating as "pre" | "post",
          dtype: o.dtype as "int32" | "float32",
          value: o.value,
        };
        assert.deepEqual(padSequences(sequences[name], options), c.expected, JSON.stringify(o));
      }
    });
  }
  for (const r of fixture.ragged) {
    it(`padSequences() rejects steps of another shape as Keras does: ${JSON.stringify(r.sequences)}`, () => {
      assert.ok(r.error, "Keras raised");
      assert.throws(() => padSequences(r.sequences), (e: Error) => e instanceof ShapeError && /shape of the first non-empty sequence's steps, \(2,\)/.test(e.message));
    });
  }
});

describe("TextVectorization padToMaxTokens against Keras", () => {
  for (const c of fixture.textVectorization) {
    it(`TextVectorization(${JSON.stringify(c.args)}) gives Keras' vocabulary and rows`, () => {
      const tv = new TextVectorization({ ...c.args, outputMode: c.args.outputMode as TextVectorizationOutputMode });
      tv.adapt(fixture.texts);
      assert.deepEqual(tv.getVocabulary(), c.vocabulary);
      const rows = tv.apply(fixture.queries);
      assert.equal(rows[0].length, c.expected[0].length);
      rows.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - c.expected[i][j]) < 1e-6, `row ${i} column ${j}: ${v} vs ${c.expected[i][j]}`)));
      const t = tv.applyTensor(fixture.queries);
      assert.deepEqual(t.shape, [3, c.expected[0].length]);
      t.dispose();
    });
  }
  it("TextVectorization rejects padToMaxTokens without maxTokens, as Keras does", () => {
    assert.match(fixture.errors.padWithoutMaxTokens ?? "", /must set `max_tokens`/);
    assert.throws(() => new TextVectorization({ outputMode: "count", padToMaxTokens: true }), /If `padToMaxTokens` is true, `maxTokens` must be set/);
    assert.throws(() => new TextVectorization({ padToMaxTokens: "yes" as unknown as boolean }), InvalidArgumentError);
  });
});

describe("TextVectorization config round trip", () => {
  it("TextVectorization.fromConfig() reads Keras' own get_config() and encodes as Keras does", () => {
    const config = fixture.config.config as unknown as TextVectorizationConfig;
    const tv = TextVectorization.fromConfig(config);
    assert.deepEqual(tv.apply(fixture.queries), fixture.config.expected);
    assert.deepEqual(tv.getVocabulary(false), config.vocabulary);
  });
  it("TextVectorization.getConfig() has Keras' keys (except name, trainable, dtype) with Keras' values", () => {
    const keras = fixture.config.config as Record<string, unknown>;
    const tv = new TextVectorization({ maxTokens: 10, outputSequenceLength: 5, ngrams: 2 });
    tv.adapt(fixture.texts);
    const ours = tv.getConfig() as unknown as Record<string, unknown>;
    const kerasKeys = Object.keys(keras).filter((k) => !["name", "trainable"].includes(k)).sort();
    assert.deepEqual(Object.keys(ours).sort(), kerasKeys);
    for (const k of kerasKeys) assert.deepEqual(ours[k], keras[k], k);
    assert.deepEqual(TextVectorization.fromConfig(tv.getConfig()).apply(fixture.queries), fixture.config.original);
  });
  it("TextVectorization tf-idf config carries the idf weights through a round trip (Keras' values)", () => {
    const tv = TextVectorization.fromConfig(fixture.configTfIdf.config as unknown as TextVectorizationConfig);
    const near = (a: number[][], b: number[][]) => a.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - b[i][j]) < 1e-6, `${i},${j}`)));
    near(tv.apply(fixture.queries), fixture.configTfIdf.expected);
    const adapted = new TextVectorization({ maxTokens: 6, outputMode: "tf_idf", padToMaxTokens: true });
    adapted.adapt(fixture.texts);
    near(adapted.apply(fixture.queries), fixture.configTfIdf.adapted);
    near(TextVectorization.fromConfig(adapted.getConfig()).apply(fixture.queries), fixture.configTfIdf.adapted);
  });
  it("TextVectorization takes vocabulary and idfWeights in its constructor, as Keras does", () => {
    const keras = fixture.configTfIdf.config;
    const tv = new TextVectorization({ maxTokens: 6, outputMode: "tf_idf", padToMaxTokens: true, vocabulary: keras.vocabulary, idfWeights: keras.idf_weights });
    tv.apply(fixture.queries).forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - fixture.configTfIdf.expected[i][j]) < 1e-6)));
    assert.throws(() => new TextVectorization({ outputMode: "tf_idf", vocabulary: ["a"] }), /`idfWeights` must be given/);
  });
  it("TextVectorization.fromConfig() rejects sparse or ragged output and a bad vocabulary", () => {
    const base = fixture.config.config as unknown as TextVectorizationConfig;
    assert.throws(() => TextVectorization.fromConfig({ ...base, sparse: true }), /`sparse` and `ragged` outputs are not supported/);
    assert.throws(() => TextVectorization.fromConfig({ ...base, vocabulary: ["a", "a"] }), /must not repeat a token/);
    assert.throws(() => TextVectorization.fromConfig({ ...base, vocabulary: ["a", "[UNK]"] }), /special tokens/);
    assert.throws(() => TextVectorization.fromConfig({ ...base, vocabulary: "abcdefghijk".split("") }), /larger than `maxTokens`/);
  });
});
