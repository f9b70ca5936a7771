import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs-node";
import seedrandom from "seedrandom";
import {
  bitsPerCharacter,
  buildCharLanguageModel,
  charVocabulary,
  sampleEveryEpoch,
  sequenceWindows,
  InvalidArgumentError,
} from "kernel-helpers";

describe("bitsPerCharacter", () => {
  it("bitsPerCharacter() is -log2 of the probability of the target, per step, for [batch] and [batch, steps] targets", () => {
    const inputs = [tf.tensor1d([0, 1]), tf.tensor2d([[0.5, 0.5], [0.75, 0.25]]), tf.tensor2d([[2, 0]]), tf.tensor3d([[[0.25, 0.25, 0.5], [0.125, 0.5, 0.375]]])] as const;
    const before = tf.memory().numTensors;
    const flat = bitsPerCharacter(inputs[0], inputs[1]);
    assert.deepEqual(flat.shape, [2]);
    const [a, b] = flat.arraySync() as number[];
    assert.ok(Math.abs(a! - 1) < 1e-5 && Math.abs(b! - 2) < 1e-5, `${a} ${b}`);
    const seq = bitsPerCharacter(inputs[2], inputs[3]);
    assert.deepEqual(seq.shape, [1, 2]);
    const [[c, d]] = seq.arraySync() as number[][];
    assert.ok(Math.abs(c! - 1) < 1e-5 && Math.abs(d! - 3) < 1e-5, `${c} ${d}`);
    tf.dispose([flat, seq]);
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([...inputs]);
  });
});

describe("sampleEveryEpoch", function () {
  this.timeout(120_000);
  before(async () => {
    // tfjs keeps a few scalars of its own after the first fit in a process (cached constants):
    // train one throwaway model first so that the count below sees only what the test leaves.
    const warm = buildCharLanguageModel({ cell: "gru", vocabSize: 3, units: 2, seqLength: 4, returnSequences: true });
    await warm.fitDataset(sequenceWindows([0, 1, 2, 0, 1, 2, 0, 1, 2], { seqLength: 4 }).toDataset(), { epochs: 1, verbose: 0 });
    warm.dispose();
  });
  it("sampleEveryEpoch() prints each epoch's losses in nats and bits per character and a sample from the vocabulary", async () => {
    const before = tf.memory().numTensors;
    const text = "the whale, the white whale. ".repeat(40);
    const vocab = charVocabulary(text);
    const ids = vocab.encode(text);
    const model = buildCharLanguageModel({ cell: "gru", vocabSize: vocab.size, units: 16, seqLength: 20, returnSequences: true, learningRate: 0.01 });
    const lines: string[] = [];
    const cb = sampleEveryEpoch(vocab, { seed: text.slice(0, 20), length: 30, temperature: 0.5, rng: seedrandom("1"), print: (l) => lines.push(l) });
    const windows = sequenceWindows(ids, { seqLength: 20, batchSize: 8 });
    const val = sequenceWindows(ids.slice(0, 300), { seqLength: 20, batchSize: 8 });
    const history = await model.fitDataset(windows.toDataset(), { epochs: 3, verbose: 0, validationData: val.toDataset(), callbacks: [cb] });
    assert.equal(lines.length, 3);
    assert.deepEqual(cb.records.map((r) => r.epoch), [1, 2, 3]);
    const valLoss = history.history["val_loss"] as number[];
    cb.records.forEach((r, i) => {
      assert.equal(r.loss, history.history["loss"]![i]);
      assert.equal(r.valLoss, valLoss[i]);
      assert.equal(r.sample.length, 30);
      for (const ch of r.sample) assert.ok(vocab.tokenToId.has(ch), JSON.stringify(ch));
      const m = /^epoch (\d): training ([\d.]+) nats\/char, validation ([\d.]+) nats\/char = ([\d.]+) bits\/char; sample at T=0.5: (".*")$/.exec(lines[i]!);
      assert.ok(m, lines[i]);
      assert.equal(Number(m[1]), i + 1);
      assert.equal(m[3], valLoss[i]!.toFixed(4));
      assert.equal(m[4], (valLoss[i]! / Math.LN2).toFixed(3));
      assert.equal(JSON.parse(m[5]!), r.sample);
    });
    const bits = history.history["val_bitsPerCharacter"] as number[];
    bits.forEach((b, i) => assert.ok(Math.abs(b - valLoss[i]! / Math.LN2) < 1e-3, `val bits ${b} vs val loss ${valLoss[i]} nats`));
    assert.ok(valLoss[2]! < valLoss[0]!, `validation loss ${valLoss.join(" -> ")}`);
    model.dispose();
    assert.equal(tf.memory().numTensors, before, "the callback, the datasets and the model leave no tensors");
  });
  it("sampleEveryEpoch() rejects an empty seed and a bad length or temperature", () => {
    const vocab = charVocabulary("ab");
    assert.throws(() => sampleEveryEpoch(vocab, { seed: "" }), InvalidArgumentError);
    assert.throws(() => sampleEveryEpoch(vocab, { seed: "ab", length: 0 }), /length=0/);
    assert.throws(() => sampleEveryEpoch(vocab, { seed: "ab", temperature: -1 }), /temperature=-1/);
  });
});
