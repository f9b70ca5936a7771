import { strict as assert } from "node:assert";
import * as path from "node:path";
import { Tokenizer, padSequences } from "kernel-helpers";
import { notebookResults, plotlyFigures, runNotebook, type ExecutedNotebook } from "../../support/notebook";
import { projectRoot } from "../../support/project";

const notebook = path.join(projectRoot, "notebooks", "lessons", "01-sequence-data.ipynb");

/** The notebook's way of printing a matrix: a title line, then one `  [a, b, c]` line per row. */
const rowsBlock = (title: string, rows: number[][]): string => [title, ...rows.map((r) => `  [${r.join(", ")}]`)].join("\n");

describe("notebooks/lessons/01-sequence-data.ipynb", function () {
  this.timeout(600_000);
  let run: ExecutedNotebook;

  before(async () => {
    run = await runNotebook(notebook, { quick: true });
  });

  it("runs through the seqlab kernel without errors or stderr", () => {
    assert.equal(run.result.status, "ok", JSON.stringify(run.result.error));
    assert.equal(run.stderr, "");
  });

  it("shows that a bag of words and a dense model cannot tell 'not good, bad' from 'not bad, good'", () => {
    // Both texts hold each of not/good/bad once: counts [0, 1, 1, 1] (column 0 is reserved).
    assert.match(run.stdout, /^bag of words of "not good, bad": \[0, 1, 1, 1\]$/m);
    assert.match(run.stdout, /^bag of words of "not bad, good": \[0, 1, 1, 1\]$/m);
    assert.match(run.stdout, /^identical inputs: true$/m);
    const probs = [...run.stdout.matchAll(/^P\(positive \| "[^"]+"\) = ([\d.]+)$/gm)].map((m) => m[1]);
    assert.equal(probs.length, 2);
    assert.equal(probs[0], probs[1]);
    // In order, the ids differ: not=1, good=2, bad=3 (ties ranked by first appearance).
    assert.ok(run.stdout.includes(rowsBlock("the same reviews as ordered sequences:", [[1, 2, 3], [1, 3, 2]])), run.stdout);
  });

  it("shows a dense layer rejecting a sequence of another length", () => {
    assert.match(run.stdout, /^a 5-word review into a dense layer built for 3 words: .*shape \[null,3\].*\[1,5\]/m);
  });

  it("prints the word index ranked by frequency with <OOV> at 1", () => {
    // the: 6, on: 3, then the count-2 words in order of first appearance, then the count-1 words.
    const expected = ["<OOV>", "the", "on", "cat", "sat", "mat", "dog", "a", "log", "and", "are", "friends", "is", "floor"];
    assert.match(run.stdout, /^14 entries in the word index/m);
    const printed = [...run.stdout.matchAll(/^ {2}(\S+) -> (\d+) \(count (\d+)\)$/gm)].map((m) => [m[1], Number(m[2]), Number(m[3])]);
    assert.deepEqual(
      printed.map((p) => [p[0], p[1]]),
      expected.map((w, i) => [w, i + 1]),
    );
    assert.deepEqual(printed[1], ["the", 2, 6]);
    assert.deepEqual(printed[2], ["on", 3, 3]);
  });

  it("encodes texts with numWords=10 mapping rare and unseen words to the OOV index", () => {
    assert.match(run.stdout, /^"The cat sat on the mat\." -> \[2, 4, 5, 3, 2, 6\]$/m);
    // and=10, are=11, friends=12 are >= numWords, so they become 1.
    assert.match(run.stdout, /^"A cat and a dog are friends!" -> \[8, 4, 1, 8, 7, 1, 1\]$/m);
    assert.match(run.stdout, /^"The bird sat on the mat" -> \[2, 1, 5, 3, 2, 6\]$/m);
    assert.match(run.stdout, /^decoded back: "the <OOV> sat on the mat"$/m);
  });

  it("prints padSequences results for pre/post padding and truncating", () => {
    const varied = [
      [2, 4, 5],
      [2, 7, 5, 3, 2, 6],
      [8, 4, 1, 8, 7, 1, 1, 3, 2, 1],
    ];
    // The ids come from the same tokenizer the notebook builds.
    const tokenizer = new Tokenizer({ numWords: 10, oovToken: "<OOV>" });
    tokenizer.fitOnTexts(["The cat sat on the mat.", "The dog sat on the log.", "A cat and a dog are friends!", "The mat is on the floor."]);
    assert.deepEqual(tokenizer.textsToSequences(["The cat sat.", "The dog sat on the mat.", "A cat and a dog are friends on the floor."]), varied);

    assert.ok(run.stdout.includes(rowsBlock("lengths 3, 6 and 10:", varied)));
    assert.ok(run.stdout.includes(rowsBlock("padSequences(varied) -> longest length, pre-padded:", padSequences(varied))));
    assert.ok(
      run.stdout.includes(
        rowsBlock("padSequences(varied, {maxlen: 6}):", [
          [0, 0, 0, 2, 4, 5],
          [2, 7, 5, 3, 2, 6],
          [7, 1, 1, 3, 2, 1],
        ]),
      ),
      run.stdout,
    );
    assert.ok(
      run.stdout.includes(
        rowsBlock('padSequences(varied, {maxlen: 6, padding: "post"}):', [
          [2, 4, 5, 0, 0, 0],
          [2, 7, 5, 3, 2, 6],
          [7, 1, 1, 3, 2, 1],
        ]),
      ),
    );
    assert.ok(
      run.stdout.includes(
        rowsBlock('padSequences(varied, {maxlen: 6, truncating: "post"}):', [
          [0, 0, 0, 2, 4, 5],
          [2, 7, 5, 3, 2, 6],
          [8, 4, 1, 8, 7, 1],
        ]),
      ),
    );
  });

  it("builds pre-padded n-gram input/target pairs and next-token windows", () => {
    // Two 6-word sentences give 5 prefixes each, padded to the longest prefix (5).
    assert.match(run.stdout, /^10 training pairs, inputs padded to 5:$/m);
    assert.match(run.stdout, /^ {2}\[0, 0, 0, 0, 2\] -> 4 {3}\(· · · · the -> cat\)$/m);
    assert.match(run.stdout, /^ {2}\[2, 4, 5, 3, 2\] -> 6 {3}\(the cat sat on the -> mat\)$/m);
    assert.match(run.stdout, /^ {2}\[2, 7, 5, 3, 2\] -> 9 {3}\(the dog sat on the -> log\)$/m);
    // 6 + 6 + 7 + 6 = 25 ids; windows of 4 with a next id: 25 - 4 = 21, in batches of 5: 5.
    assert.match(run.stdout, /^a stream of 25 ids gives 21 windows of 4 -> next id, in 5 batches$/m);
    assert.match(run.stdout, /^ {2}\[2, 4, 5, 3\] -> 2 {3}\(the cat sat on -> the\)$/m);
    assert.match(run.stdout, /^ {2}\[2, 6, 2, 7\] -> 5 {3}\(the mat the dog -> sat\)$/m);
  });

  it("shows no figures and leaves no tensors behind", () => {
    assert.equal(plotlyFigures(run).length, 0);
    assert.match(run.stdout, /^tensors still in memory: 0$/m);
  });

  it("explains embeddings: a [10, 4] table whose lookup equals one-hot x table, same word same vector, padding masked", () => {
    assert.match(run.stdout, /^embedding table: \[10,4\] = 40 weights \(numWords x outputDim\)$/m);
    assert.match(run.stdout, /^"The cat sat on the mat\." -> ids \[2, 4, 5, 3, 2, 6\] -> vectors \[1,6,4\]$/m);
    assert.match(run.stdout, /^lookup vs one-hot x table: max difference 0$/m);
    assert.match(run.stdout, /^"the" at positions 1 and 5 gets the same vector: true$/m);
    // "The cat sat." = [2, 4, 5], pre-padded to 6: the three zeros are masked.
    assert.match(run.stdout, /^mask of \[0, 0, 0, 2, 4, 5\]: \[false, false, false, true, true, true\]$/m);
    const row = /^"the" -> \[([^\]]+)\]$/m.exec(run.stdout);
    assert.ok(row, run.stdout);
    for (const v of row[1]!.split(", ").map(Number)) assert.ok(Math.abs(v) <= 0.05, `initial embedding value ${v} outside [-0.05, 0.05]`);
  });

  it("emits its computed summary for seqlab run --json", () => {
    const [r] = notebookResults(run);
    assert.ok(r);
    assert.deepEqual(r.metrics, {
      "bag of words identical for opposite reviews": true,
      "word index entries": 14,
      "n-gram training pairs": 10,
      "next-token windows": 21,
      "embedding weights": 40,
      "embedding lookup vs one-hot max difference": 0,
    });
  });
});
