import { strict as assert } from "node:assert";
import * as path from "node:path";
import { books, charVocabulary } from "kernel-helpers";
import { plotlyFigures, type ExecutedNotebook } from "../../support/notebook";
import { assertEveryTaskNotImplemented, assertFullAutogradedMarks, gradeAssignment, type GradedAssignment } from "./_graded";
import { projectRoot } from "../../support/project";

const notebook = path.join(projectRoot, "notebooks", "assignments", "02-text-generation.ipynb");

const QUICK_CHARS = 20_000;
const SEQ_LENGTH = 40;
const GENERATE = 120;

describe("notebooks/assignments/02-text-generation.ipynb", function () {
  this.timeout(900_000);
  let run: ExecutedNotebook;
  let graded: GradedAssignment;

  // The quick-mode corpus, rebuilt here from the book with the preprocessing the notebook describes.
  const corpus = books
    .mobyDick()
    .chapters.filter((c) => c.number !== null)
    .map((c) => c.text)
    .join(" ")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .slice(0, QUICK_CHARS);
  const vocab = charVocabulary(corpus);

  const samples = (): Array<{ temperature: number; text: string }> =>
    [...run.stdout.matchAll(/^T=([\d.]+): (".*")$/gm)].map((m) => ({ temperature: Number(m[1]), text: JSON.parse(m[2]!) as string }));

  before(async () => {
    graded = await gradeAssignment(notebook);
    run = graded.run;
  });

  it("runs in quick mode without errors or stderr output", () => {
    assert.equal(run.result.status, "ok", JSON.stringify(run.result.error));
    assert.equal(run.stderr, "");
    assert.match(run.stdout, /^mode: quick \(20000 characters, 1 epoch\(s\), 64 units\)$/m);
  });

  it("grades the release with the reference solutions pasted back at full autograded marks", () => {
    assertFullAutogradedMarks(graded.reference, 8);
  });

  it("grades the untouched release: every task fails with the stub's \"Not implemented\" and no other error", () => {
    assertEveryTaskNotImplemented(graded.untouched);
  });

  it("prints the corpus size and the same character vocabulary charVocabulary gives here", () => {
    assert.match(run.stdout, new RegExp(`^corpus: ${corpus.length} characters$`, "m"));
    const m = /^vocabulary: (\d+) characters: (".*")$/m.exec(run.stdout);
    assert.ok(m, run.stdout);
    assert.equal(Number(m[1]), vocab.size);
    assert.equal(JSON.parse(m[2]!), vocab.tokens.join(""));
  });

  it("cuts floor((n - seqLength - 1) / step) + 1 windows, whose example is a real slice of the corpus", () => {
    const expected = Math.floor((corpus.length - SEQ_LENGTH - 1) / 3) + 1;
    assert.match(run.stdout, new RegExp(`^windows: ${expected} in ${Math.ceil(expected / 128)} batches of up to 128$`, "m"));
    const m = /^example: (".*") -> (".*")$/m.exec(run.stdout);
    assert.ok(m, run.stdout);
    const window = JSON.parse(m[1]!) as string;
    const next = JSON.parse(m[2]!) as string;
    assert.equal(window.length, SEQ_LENGTH);
    assert.equal(next.length, 1);
    const at = corpus.indexOf(window + next);
    assert.ok(at >= 0 && at % 3 === 0, "the example is a window starting at a multiple of the step");
  });

  it("trains with a live chart and reports losses against the uniform guess", () => {
    const uniform = /^uniform guess: loss ([\d.]+)$/m.exec(run.stdout);
    assert.ok(uniform, run.stdout);
    assert.equal(uniform[1], Math.log(vocab.size).toFixed(4));
    const m = /^trained 1 epoch\(s\) in [\d.]+ s: loss ([\d.]+) -> ([\d.]+)$/m.exec(run.stdout);
    assert.ok(m, run.stdout);
    assert.ok(Number.isFinite(Number(m[1])) && Number(m[1]) > 0);
    assert.equal(m[1], m[2], "one epoch: first and last loss are the same value");
    assert.equal(plotlyFigures(run).filter((f) => JSON.stringify(f.layout.title).includes("Character LSTM: training")).length, 1);
  });

  it("generates samples at 0.2, 0.5 and 1.0 of the requested length, from vocabulary characters only", () => {
    const s = samples();
    assert.deepEqual(s.map((x) => x.temperature), [0.2, 0.5, 1]);
    for (const { temperature, text: t } of s) {
      assert.equal(t.length, GENERATE, `T=${temperature}: ${t.length} characters`);
      for (const ch of t) assert.ok(vocab.tokenToId.has(ch), `T=${temperature}: ${JSON.stringify(ch)} is not in the vocabulary`);
    }
    const seed = /^seed: (".*")$/m.exec(run.stdout);
    assert.ok(seed);
    assert.equal(JSON.parse(seed[1]!), corpus.slice(0, SEQ_LENGTH));
  });

  it("shows the samples in a sample table that matches the printed text", () => {
    const s = samples();
    const table = plotlyFigures(run).find((f) => JSON.stringify(f.layout.title).includes("samples by temperature"));
    assert.ok(table, "no sample table");
    const cells = (table.data[0] as unknown as { cells: { values: string[][] } }).cells.values;
    assert.deepEqual(cells[0]!.map(Number), [0.2, 0.5, 1]);
    assert.deepEqual(cells[cells.length - 1], s.map((x) => x.text));
  });

  it("measures each sample's words against the corpus", () => {
    const lines = [...run.stdout.matchAll(/^T=([\d.]+): (\d+) words, (\d+)% found in the corpus, (\d+) distinct$/gm)];
    assert.equal(lines.length, 3);
    const corpusWords = new Set(corpus.split(/[^a-z']+/).filter((w) => w.length > 0));
    samples().forEach((sample, i) => {
      const words = sample.text.split(/[^a-z']+/).filter((w) => w.length > 0).slice(1, -1);
      const known = words.filter((w) => corpusWords.has(w)).length;
      assert.equal(Number(lines[i]![2]), words.length);
      assert.equal(Number(lines[i]![3]), Math.round(words.length > 0 ? (100 * known) / words.length : 0));
      assert.equal(Number(lines[i]![4]), new Set(words).size);
    });
  });
});
