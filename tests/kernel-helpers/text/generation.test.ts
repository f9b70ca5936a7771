import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs-node";
import seedrandom from "seedrandom";
import {
  charVocabulary,
  nextTokenWindows,
  sampleWithTemperature,
  generateText,
  DataError,
  InvalidArgumentError,
  ShapeError,
} from "kernel-helpers";

describe("charVocabulary", () => {
  it("charVocabulary() sorts distinct code points and encodes/decodes", () => {
    const v = charVocabulary("hello 😀");
    assert.deepEqual(v.tokens, [" ", "e", "h", "l", "o", "😀"]);
    assert.equal(v.size, 6);
    assert.deepEqual(Array.from(v.encode("hole😀")), [2, 4, 3, 1, 5]);
    assert.equal(v.decode([2, 1, 3, 3, 4]), "hello");
  });
  it("charVocabulary() rejects empty text and unknown characters or ids", () => {
    assert.throws(() => charVocabulary(""), InvalidArgumentError);
    const v = charVocabulary("ab");
    assert.throws(() => v.encode("abc"), /not in the vocabulary.*"c"/);
    assert.throws(() => v.decode([2]), DataError);
  });
});

describe("nextTokenWindows", () => {
  it("nextTokenWindows() yields Keras-style windows with their next token", () => {
    const w = nextTokenWindows([0, 1, 2, 3, 4, 5, 6], { seqLength: 3, step: 2, batchSize: 2 });
    assert.equal(w.numWindows, 2);
    assert.equal(w.numBatches, 1);
    assert.deepEqual([...w], [{ xs: [[0, 1, 2], [2, 3, 4]], ys: [3, 5] }]);
  });
  it("nextTokenWindows() keeps a smaller last batch and can be iterated again", () => {
    const w = nextTokenWindows([0, 1, 2, 3, 4], { seqLength: 2, batchSize: 2 });
    const first = [...w];
    assert.deepEqual(first.map((b) => b.ys), [[2, 3], [4]]);
    assert.deepEqual([...w], first);
  });
  it("nextTokenWindows() shuffles deterministically for a seed, differently each pass", () => {
    const ids = Array.from({ length: 40 }, (_, i) => i);
    const a = nextTokenWindows(ids, { seqLength: 3, batchSize: 50, shuffle: true, seed: 7 });
    const b = nextTokenWindows(ids, { seqLength: 3, batchSize: 50, shuffle: true, seed: 7 });
    const a1 = [...a][0].ys;
    assert.deepEqual(a1, [...b][0].ys);
    assert.deepEqual([...a1].sort((x, y) => x - y), ids.slice(3));
    assert.notDeepEqual([...a][0].ys, a1);
  });
  it("nextTokenWindows() windows a whole book lazily", () => {
    const ids = new Int32Array(1_200_000).map((_, i) => i % 50);
    const w = nextTokenWindows(ids, { seqLength: 100, step: 3, batchSize: 128 });
    assert.equal(w.numWindows, Math.floor((1_200_000 - 101) / 3) + 1);
    const it = w[Symbol.iterator]();
    const b = it.next().value as { xs: number[][]; ys: number[] };
    assert.equal(b.xs.length, 128);
    assert.deepEqual(b.xs[1].slice(0, 3), [3, 4, 5]);
    assert.equal(b.ys[1], 103 % 50);
  });
  it("nextTokenWindows().toDataset() gives id or one-hot tensors", async () => {
    const w = nextTokenWindows([0, 1, 2, 0, 1], { seqLength: 2, batchSize: 4 });
    const before = tf.memory().numTensors;
    const [batch] = (await w.toDataset().toArray()) as Array<{ xs: tf.Tensor; ys: tf.Tensor }>;
    assert.deepEqual(batch.xs.shape, [3, 2]);
    assert.equal(batch.xs.dtype, "int32");
    assert.deepEqual(Array.from(batch.ys.dataSync()), [2, 0, 1]);
    tf.dispose([batch.xs, batch.ys]);
    const [hot] = (await w.toDataset({ depth: 3 }).toArray()) as Array<{ xs: tf.Tensor; ys: tf.Tensor }>;
    assert.deepEqual(hot.xs.shape, [3, 2, 3]);
    assert.deepEqual(hot.ys.arraySync(), [[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
    tf.dispose([hot.xs, hot.ys]);
    assert.equal(tf.memory().numTensors, before);
  });
  it("nextTokenWindows() rejects bad ids and options", () => {
    assert.throws(() => nextTokenWindows([0, -1, 2], { seqLength: 1 }), /`ids\[1\]` must be a non-negative integer/);
    assert.throws(() => nextTokenWindows([0, NaN, 2], { seqLength: 1 }), DataError);
    assert.throws(() => nextTokenWindows([0, 1], { seqLength: 2 }), /longer than `seqLength`/);
    assert.throws(() => nextTokenWindows([0, 1, 2], { seqLength: 0 }), /`seqLength` must be a positive integer/);
    assert.throws(() => nextTokenWindows([0, 1, 2], { seqLength: 1, step: 1.5 }), /`step`/);
  });
});

describe("sampleWithTemperature", () => {
  it("sampleWithTemperature() with temperature 0 is the argmax", () => {
    assert.equal(sampleWithTemperature([0.1, 0.7, 0.2], 0), 1);
  });
  it("sampleWithTemperature() follows the reshaped distribution", () => {
    const rng = seedrandom("1");
    const counts = [0, 0];
    for (let i = 0; i < 4000; i++) counts[sampleWithTemperature([0.2, 0.8], 0.5, rng)]++;
    // p ∝ p^(1/T): 0.04 : 0.64 → 1/17 for index 0
    assert.ok(Math.abs(counts[0] / 4000 - 1 / 17) < 0.015, String(counts));
  });
  it("sampleWithTemperature() is reproducible with a seeded rng and never picks zero probabilities", () => {
    const draw = (): number[] => {
      const rng = seedrandom("x");
      return Array.from({ length: 20 }, () => sampleWithTemperature([0, 0.5, 0.5, 0], 1.5, rng));
    };
    const a = draw();
    assert.deepEqual(a, draw());
    assert.ok(a.every((i) => i === 1 || i === 2));
    assert.ok(a.includes(1) && a.includes(2));
  });
  it("sampleWithTemperature() reads 1-D tensors without disposing them", () => {
    const t = tf.tensor1d([0, 1]);
    assert.equal(sampleWithTemperature(t, 1), 1);
    assert.equal(t.isDisposed, false);
    t.dispose();
  });
  it("sampleWithTemperature() validates probabilities and temperature", () => {
    assert.throws(() => sampleWithTemperature([], 1), /`probs` must not be empty/);
    assert.throws(() => sampleWithTemperature([0.5, -0.1], 1), /`probs\[1\]` must be a finite probability/);
    assert.throws(() => sampleWithTemperature([0.5, NaN], 1), DataError);
    assert.throws(() => sampleWithTemperature([0, 0], 1), /positive sum/);
    assert.throws(() => sampleWithTemperature([1], -1), /`temperature` must be a finite number >= 0/);
  });
});

describe("generateText", () => {
  function tinyModel(vocab: number, seqLength: number, oneHot = false): tf.LayersModel {
    const m = tf.sequential();
    if (oneHot) m.add(tf.layers.flatten({ inputShape: [seqLength, vocab] }));
    else {
      m.add(tf.layers.embedding({ inputDim: vocab, outputDim: 4, inputLength: seqLength, embeddingsInitializer: "ones" }));
      m.add(tf.layers.flatten());
    }
    // All-zero weights: the softmax is uniform, with bias favouring token 1.
    m.add(tf.layers.dense({ units: vocab, activation: "softmax", kernelInitializer: "zeros", biasInitializer: tf.initializers.constant({ value: 0 }) }));
    const dense = m.layers[m.layers.length - 1];
    const [k, b] = dense.getWeights();
    const bias = tf.tensor1d(Array.from({ length: vocab }, (_, i) => (i === 1 ? 50 : 0)));
    dense.setWeights([k, bias]);
    bias.dispose();
    return m;
  }
  it("generateText() appends `length` tokens to the seed and leaks no tensors", () => {
    const vocab = charVocabulary("abc");
    const model = tinyModel(vocab.size, 3);
    const before = tf.memory().numTensors;
    const out = generateText(model, vocab, { seed: "cab", length: 4, temperature: 0.5, rng: seedrandom("s") });
    assert.equal(out, "cabbbbb");
    assert.equal(tf.memory().numTensors, before);
    model.dispose();
  });
  it("generateText() feeds one-hot models", () => {
    const vocab = charVocabulary("abc");
    const model = tinyModel(vocab.size, 2, true);
    assert.equal(generateText(model, vocab, { seed: "ca", length: 2, temperature: 0 }), "cabb");
    model.dispose();
  });
  it("generateText() rejects short seeds and mismatched vocabularies", () => {
    const vocab = charVocabulary("abc");
    const model = tinyModel(vocab.size, 3);
    assert.throws(() => generateText(model, vocab, { seed: "ab", length: 1 }), /at least 3 tokens/);
    assert.throws(() => generateText(model, charVocabulary("abcd"), { seed: "abc", length: 1 }), ShapeError);
    assert.throws(() => generateText(model, vocab, { seed: "abc", length: -1 }), /`length`/);
    model.dispose();
  });
});
