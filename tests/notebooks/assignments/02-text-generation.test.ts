import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { launchBrowser } from "../../support/browser";
import { books, buildCharLanguageModel, charVocabulary } from "kernel-helpers";
import { notebookResults, plotlyFigures, runNotebook, type ExecutedNotebook } from "../../support/notebook";
import { assertEveryTaskNotImplemented, assertFullAutogradedMarks, gradeAssignment, type GradedAssignment } from "./_graded";
import { artifactsDir, projectRoot } from "../../support/project";

const notebook = path.join(projectRoot, "notebooks", "assignments", "02-text-generation.ipynb");

// Quick-mode settings of the notebook's setup cell.
const MAX_CHARS = 100_000;
const SEQ_LENGTH = 100;
const EPOCHS = 5;
const GENERATE = 120;
const EXP_UNITS = 32;

const num = (s: string | undefined): number => Number(s);

describe("notebooks/assignments/02-text-generation.ipynb", function () {
  this.timeout(900_000);
  let run: ExecutedNotebook;
  let graded: GradedAssignment;

  // The quick-mode corpus and split, rebuilt here from the book with the preprocessing the notebook describes.
  const corpus = books
    .mobyDick()
    .chapters.filter((c) => c.number !== null)
    .map((c) => c.text)
    .join(" ")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, MAX_CHARS);
  const vocab = charVocabulary(corpus);
  const nTrain = Math.floor(0.9 * corpus.length);
  const heldOut = corpus.slice(nTrain);

  const samples = (): Array<{ temperature: number; text: string }> =>
    [...run.stdout.matchAll(/^T=([\d.]+): (".*")$/gm)].map((m) => ({ temperature: Number(m[1]), text: JSON.parse(m[2]!) as string }));
  const epochLines = (): RegExpMatchArray[] =>
    [...run.stdout.matchAll(/^epoch (\d+): training ([\d.]+) nats\/char, validation ([\d.]+) nats\/char = ([\d.]+) bits\/char; sample at T=0.5: (".*")$/gm)];
  const figure = (title: RegExp) => {
    const found = plotlyFigures(run).filter((f) => title.test(JSON.stringify(f.layout.title)));
    assert.equal(found.length, 1, `one figure titled ${title}`);
    return found[0]!;
  };

  before(async () => {
    graded = await gradeAssignment(notebook);
    run = graded.run;
  });
  const referenceNotebook = () => graded.reference.notebook!;

  it("runs in quick mode without errors or stderr output", () => {
    assert.equal(run.result.status, "ok", JSON.stringify(run.result.error));
    assert.equal(run.stderr, "");
    assert.match(run.stdout, /^mode: quick \(up to 100000 characters, 5 epoch\(s\), 64 units; experiment: 2 epoch\(s\) on 60000 characters\)$/m);
  });

  it("grades the release with the reference solutions pasted back at full autograded marks", () => {
    assertFullAutogradedMarks(graded.reference, 12);
  });

  it("grades the untouched release: every task fails with the stub's \"Not implemented\" and no other error", () => {
    assertEveryTaskNotImplemented(graded.untouched);
  });

  it("reads Moby Dick by default and prints the corpus, the same vocabulary charVocabulary gives here, and the tail split", () => {
    assert.match(run.stdout, /^Moby Dick; or The Whale by Herman Melville: \d+ characters, 135 numbered chapters of 139 parts$/m);
    assert.match(run.stdout, new RegExp(`^corpus: ${corpus.length} characters$`, "m"));
    const m = /^vocabulary: (\d+) characters: (".*")$/m.exec(run.stdout);
    assert.ok(m, run.stdout);
    assert.equal(num(m[1]), vocab.size);
    assert.equal(JSON.parse(m[2]!), vocab.tokens.join(""));
    assert.match(run.stdout, new RegExp(`^training: ${nTrain} characters, validation: ${corpus.length - nTrain} characters$`, "m"));
  });

  it("cuts non-overlapping sequences whose targets are the inputs shifted by one, starting the validation at the held-out tail", () => {
    const count = (n: number): number => Math.floor((n - SEQ_LENGTH - 1) / SEQ_LENGTH) + 1;
    assert.match(run.stdout, new RegExp(`^training: ${count(nTrain)} sequences of ${SEQ_LENGTH} in ${Math.ceil(count(nTrain) / 32)} batches$`, "m"));
    assert.match(run.stdout, new RegExp(`^validation: ${count(corpus.length - nTrain)} sequences of ${SEQ_LENGTH} in 1 batches$`, "m"));
    const input = /^input: {2}(".*")$/m.exec(run.stdout);
    const target = /^target: (".*")$/m.exec(run.stdout);
    assert.ok(input && target, run.stdout);
    assert.equal(JSON.parse(input[1]!), heldOut.slice(0, SEQ_LENGTH));
    assert.equal(JSON.parse(target[1]!), heldOut.slice(1, SEQ_LENGTH + 1));
  });

  it("prints every epoch's losses in nats and bits per character with a sample made of vocabulary characters", () => {
    const lines = epochLines();
    assert.deepEqual(lines.map((l) => num(l[1])), [1, 2, 3, 4, 5]);
    for (const l of lines) {
      assert.ok(Math.abs(num(l[4]) - num(l[3]) / Math.LN2) < 0.002, `${l[3]} nats/char is ${l[4]} bits/char`);
      const sample = JSON.parse(l[5]!) as string;
      assert.equal(sample.length, 80);
      for (const ch of sample) assert.ok(vocab.tokenToId.has(ch), `${JSON.stringify(ch)} is not in the vocabulary`);
    }
    const val = lines.map((l) => num(l[3]));
    assert.ok(val[val.length - 1]! < val[0]!, `the validation loss falls over the epochs: ${val.join(" -> ")}`);
  });

  it("plots the training and validation curves live, in nats and in bits, with the printed validation losses", () => {
    const fig = figure(/Character LSTM: training/);
    const traces = fig.data as unknown as Array<{ name: string; y: number[]; yaxis?: string }>;
    assert.deepEqual(traces.map((t) => [t.name, t.yaxis ?? "y"]), [["train", "y"], ["validation", "y"], ["train", "y2"], ["validation", "y2"]]);
    const printed = epochLines().map((l) => num(l[3]));
    traces[1]!.y.forEach((v, i) => assert.equal(v.toFixed(4), printed[i]!.toFixed(4)));
    traces[3]!.y.forEach((v, i) => assert.ok(Math.abs(v - traces[1]!.y[i]! / Math.LN2) < 1e-3, `bits ${v} vs nats ${traces[1]!.y[i]}`));
  });

  it("reports the best validation loss against the uniform guess and the letter-frequency baseline computed here", () => {
    assert.match(run.stdout, new RegExp(`^uniform guess: ${Math.log(vocab.size).toFixed(4)} nats/char = ${Math.log2(vocab.size).toFixed(3)} bits/char$`, "m"));
    const best = Math.min(...epochLines().map((l) => num(l[3])));
    const m = new RegExp(`^trained ${EPOCHS} epoch\\(s\\) in [\\d.]+ s: best validation loss ([\\d.]+) nats/char = ([\\d.]+) bits/char$`, "m").exec(run.stdout);
    assert.ok(m, run.stdout);
    assert.equal(m[1], best.toFixed(4));
    const counts = new Array<number>(vocab.size).fill(1);
    for (const id of vocab.encode(corpus.slice(0, nTrain))) counts[id]!++;
    const total = counts.reduce((a, b) => a + b, 0);
    const unigram = -Array.from(vocab.encode(heldOut)).reduce((a, id) => a + Math.log(counts[id]! / total), 0) / heldOut.length;
    assert.match(run.stdout, new RegExp(`^held-out loss, letter frequencies: ${unigram.toFixed(4)} nats/char = ${(unigram / Math.LN2).toFixed(3)} bits/char$`, "m"));
    assert.ok(best < Math.log(vocab.size), `the LSTM (${best}) beats the uniform guess`);
    const perEpoch = figure(/Held-out loss per epoch, in bits per character/).data as unknown as Array<{ name: string; y: number[] }>;
    assert.deepEqual(perEpoch.map((t) => t.name), ["validation (bits/char)", "letter frequencies (bits/char)"]);
    perEpoch[0]!.y.forEach((v, i) => assert.equal((v * Math.LN2).toFixed(4), num(epochLines()[i]![3]).toFixed(4)));
    for (const v of perEpoch[1]!.y) assert.ok(Math.abs(v - unigram / Math.LN2) < 1e-9);
  });

  it("generates samples at 0.2, 0.5 and 1.0 from the start of the held-out text, shown in a matching sample table", () => {
    const s = samples();
    assert.deepEqual(s.map((x) => x.temperature), [0.2, 0.5, 1]);
    for (const { temperature, text: t } of s) {
      assert.equal(t.length, GENERATE, `T=${temperature}: ${t.length} characters`);
      for (const ch of t) assert.ok(vocab.tokenToId.has(ch), `T=${temperature}: ${JSON.stringify(ch)} is not in the vocabulary`);
    }
    const seed = /^seed: (".*")$/m.exec(run.stdout);
    assert.ok(seed);
    assert.equal(JSON.parse(seed[1]!), heldOut.slice(0, SEQ_LENGTH));
    const table = figure(/samples by temperature/);
    const cells = (table.data[0] as unknown as { cells: { values: string[][] } }).cells.values;
    assert.deepEqual(cells[0]!.map(Number), [0.2, 0.5, 1]);
    assert.deepEqual(cells[cells.length - 1], s.map((x) => x.text));
  });

  it("measures each sample's words against the training text", () => {
    const lines = [...run.stdout.matchAll(/^T=([\d.]+): (\d+) words, (\d+)% found in the training text, (\d+) distinct$/gm)];
    assert.equal(lines.length, 3);
    const trainWords = new Set(corpus.slice(0, nTrain).split(/[^a-z']+/).filter((w) => w.length > 0));
    samples().forEach((sample, i) => {
      const words = sample.text.split(/[^a-z']+/).filter((w) => w.length > 0).slice(1, -1);
      const known = words.filter((w) => trainWords.has(w)).length;
      assert.equal(num(lines[i]![2]), words.length);
      assert.equal(num(lines[i]![3]), Math.round(words.length > 0 ? (100 * known) / words.length : 0));
      assert.equal(num(lines[i]![4]), new Set(words).size);
    });
  });

  it("runs the six experiments with the parameter counts of their models, in a computed table and a bar chart", () => {
    const configs = [
      { name: "LSTM (baseline)", cell: "lstm", units: EXP_UNITS, layers: 1, seqLength: SEQ_LENGTH, dropout: 0 },
      { name: "GRU", cell: "gru", units: EXP_UNITS, layers: 1, seqLength: SEQ_LENGTH, dropout: 0 },
      { name: `LSTM, ${2 * EXP_UNITS} units`, cell: "lstm", units: 2 * EXP_UNITS, layers: 1, seqLength: SEQ_LENGTH, dropout: 0 },
      { name: "LSTM, 2 layers", cell: "lstm", units: EXP_UNITS, layers: 2, seqLength: SEQ_LENGTH, dropout: 0 },
      { name: `LSTM, sequences of ${SEQ_LENGTH / 2}`, cell: "lstm", units: EXP_UNITS, layers: 1, seqLength: SEQ_LENGTH / 2, dropout: 0 },
      { name: "LSTM, dropout 0.2", cell: "lstm", units: EXP_UNITS, layers: 1, seqLength: SEQ_LENGTH, dropout: 0.2 },
    ] as const;
    const expected = configs.map((c) => {
      const m = buildCharLanguageModel({ ...c, vocabSize: vocab.size, returnSequences: true });
      const n = m.countParams();
      m.dispose();
      return n;
    });
    const lines = [...run.stdout.matchAll(/^(.+): validation ([\d.]+) nats\/char = ([\d.]+) bits\/char, (\d+) parameters, ([\d.]+) s$/gm)];
    assert.deepEqual(lines.map((l) => l[1]), configs.map((c) => c.name));
    assert.deepEqual(lines.map((l) => num(l[4])), expected);
    for (const l of lines) assert.ok(num(l[2]) < Math.log(vocab.size) && Math.abs(num(l[3]) - num(l[2]) / Math.LN2) < 0.002, l[0]);
    const table = run.bundles.find((b) => typeof b["text/html"] === "string" && (b["text/html"] as string).includes("vs baseline (bits/char)"));
    assert.ok(table, "no results table");
    const rows = [...(table["text/html"] as string).matchAll(/<tr><td>([^<]+)<\/td><td>([\d,]+)<\/td><td>([\d.]+)<\/td><td>([\d.]+)<\/td><td>([-+][\d.]+)<\/td>/g)];
    assert.deepEqual(rows.map((r) => r[1]), configs.map((c) => c.name));
    rows.forEach((r, i) => {
      assert.equal(num(r[2]!.replace(/,/g, "")), expected[i]);
      assert.equal(r[3], lines[i]![2]);
      assert.ok(Math.abs(num(r[5]) - (num(r[4]) - num(rows[0]![4]))) <= 0.0015, `${r[1]}: ${r[5]} vs baseline`);
    });
    const bars = figure(/Experiment: validation bits per character/).data as unknown as Array<{ name: string; x: string[]; y: number[] }>;
    assert.deepEqual(bars[0]!.x, configs.map((c) => c.name));
    bars[0]!.y.forEach((v, i) => assert.equal(v.toFixed(3), lines[i]![3]));
    const best = lines.reduce((a, b) => (num(b[2]) < num(a[2]) ? b : a));
    assert.match(run.stdout, new RegExp(`^best run: ${best[1]!.replace(/[()]/g, "\\$&")} \\(${best[3]} bits/char\\)$`, "m"));
    assert.match(run.stdout, new RegExp(`^LSTM vs GRU: ${lines[0]![3]} vs ${lines[1]![3]} bits/char; the (LSTM|GRU) is better by [\\d.]+$`, "m"));
  });

  it("emits its computed summary for `seqlab run --json`, matching what it printed, and frees its tensors", () => {
    const [results] = notebookResults(run);
    assert.ok(results, "no results bundle");
    assert.equal(results.title, "assignment 2: text generation");
    const m = results.metrics;
    assert.equal(m["text"], "Moby Dick; or The Whale");
    assert.equal(m["characters"], corpus.length);
    assert.equal((m["validation loss (nats/char)"] as number).toFixed(4), Math.min(...epochLines().map((l) => num(l[3]))).toFixed(4));
    assert.ok(Math.abs((m["validation loss (bits/char)"] as number) - (m["validation loss (nats/char)"] as number) / Math.LN2) < 1e-9);
    const wordLine = /^T=0.5: \d+ words, (\d+)% found/m.exec(run.stdout);
    assert.equal(m["real words at T=0.5 (%)"], num(wordLine?.[1]));
    assert.ok(typeof m["seconds"] === "number" && m["seconds"] > 0);
    assert.match(run.stdout, /^tensors still in memory: \d+$/m);
    const left = num(/^tensors still in memory: (\d+)$/m.exec(run.stdout)?.[1]);
    assert.ok(left <= 2, `${left} tensors left after the notebook disposed of its model`);
  });
  it("exports the graded notebook to HTML whose charts and tables render in Chromium with the network off", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-a2-export-"));
    try {
      const graded = path.join(dir, "02-text-generation.ipynb");
      fs.writeFileSync(graded, JSON.stringify(referenceNotebook()));
      const out = path.join(dir, "html");
      const exported = spawnSync(process.execPath, [path.join(projectRoot, "dist", "src", "cli.js"), "export", graded, "--out", out], { encoding: "utf8" });
      assert.equal(exported.status, 0, exported.stdout + exported.stderr);
      const b = await launchBrowser({ offline: true });
      try {
        await b.page.goto(`file://${path.join(out, "02-text-generation.html")}`);
        await b.page.waitForFunction(() => document.querySelectorAll(".js-plotly-plot .main-svg").length >= 5, undefined, { timeout: 60_000 });
        const shown = await b.page.evaluate(() =>
          Array.from(document.querySelectorAll(".js-plotly-plot")).map((el) => {
            const gd = el as HTMLElement & { data?: Array<{ x?: unknown[]; y?: unknown[]; type?: string }>; layout?: { title?: { text?: string } } };
            return { title: gd.layout?.title?.text ?? "", traces: (gd.data ?? []).map((t) => (t.y ?? t.x ?? []).length), drawn: el.querySelectorAll(".trace, .table").length };
          }),
        );
        const find = (re: RegExp) => shown.find((f) => re.test(f.title));
        assert.deepEqual(find(/^Character LSTM: training/)?.traces, [EPOCHS, EPOCHS, EPOCHS, EPOCHS], JSON.stringify(shown));
        assert.deepEqual(find(/^Held-out loss per epoch/)?.traces, [EPOCHS, EPOCHS]);
        assert.ok(find(/samples by temperature/), JSON.stringify(shown));
        assert.deepEqual(find(/^Experiment: validation bits per character/)?.traces, [6, 6]);
        for (const f of shown) assert.ok(f.drawn > 0, `${f.title}: nothing drawn`);
        const tables = await b.page.evaluate(() => Array.from(document.querySelectorAll("table")).map((t) => t.innerText));
        assert.ok(tables.some((t) => /vs baseline \(bits\/char\)/.test(t) && /LSTM, dropout 0\.2/.test(t)), "the experiment table is shown");
        assert.ok(tables.some((t) => /validation loss \(bits\/char\)/.test(t)), "the results summary is shown");
        fs.mkdirSync(artifactsDir, { recursive: true });
        await b.page.screenshot({ path: path.join(artifactsDir, "a2-export-offline.png"), fullPage: true });
        assert.deepEqual(b.consoleErrors, []);
      } finally {
        await b.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("notebooks/assignments/02-text-generation.ipynb on the student's own text (SEQLAB_TEXT_FILE)", function () {
  this.timeout(900_000);
  let dir = "";
  let book = "";
  let run: ExecutedNotebook;

  before(async () => {
    // A text as a student downloads it from Project Gutenberg: header and licence, CRLF line
    // ends, prose hard-wrapped at 70 columns, roman chapter headings (here: Moby Dick's
    // chapters 1-25, re-typeset that way).
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-a2-own-"));
    book = path.join(dir, "my-book.txt");
    const wrap = (p: string): string => p.replace(/(.{1,70})(\s+|$)/g, "$1\n").trimEnd();
    const chapters = books.mobyDick().chapters.filter((c) => c.number !== null && c.number <= 25);
    const roman = (n: number): string => ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][n % 10 === 0 ? 0 : n % 10]!;
    const numeral = (n: number): string => "X".repeat(Math.floor(n / 10)) + roman(n);
    const body = chapters.map((c) => `CHAPTER ${numeral(c.number!)}.\n\n${c.text.split(/\n\s*\n/).map(wrap).join("\n\n")}`).join("\n\n\n");
    const text = "The Project Gutenberg eBook of A Whaling Tale\n\nTitle: A Whaling Tale\n\nAuthor: A. Student\n\n" +
      "*** START OF THE PROJECT GUTENBERG EBOOK A WHALING TALE ***\n\n" + body + "\n\n*** END OF THE PROJECT GUTENBERG EBOOK A WHALING TALE ***\n\nLicence.\n";
    fs.writeFileSync(book, text.replace(/\n/g, "\r\n"));
    run = await runNotebook(notebook, { env: { SEQLAB_TEXT_FILE: book } });
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("trains on the file's chapters, passes every public test, and names the text in its plots and summary", () => {
    assert.equal(run.result.status, "ok", JSON.stringify(run.result.error));
    assert.equal(run.stderr, "");
    const own = books.fromFile(book);
    assert.match(run.stdout, new RegExp(`^A Whaling Tale by A\\. Student: ${own.text.length} characters, 25 numbered chapters of 25 parts$`, "m"));
    const corpus = own.chapters.map((c) => c.text).join(" ").toLowerCase().replace(/\s+/g, " ").trim().slice(0, MAX_CHARS);
    assert.ok(corpus.startsWith("call me ishmael. some years ago"), corpus.slice(0, 60));
    assert.match(run.stdout, new RegExp(`^corpus: ${corpus.length} characters$`, "m"));
    const checks = run.bundles.map((b) => String(b["text/plain"] ?? "")).filter((t) => /^[✔✘] t\d-/.test(t));
    assert.equal(checks.length, 5, checks.join("\n"));
    for (const c of checks) assert.match(c, /^✔ t\d-[a-z]+: passed/);
    assert.equal(epochCount(run), EPOCHS);
    assert.ok(plotlyFigures(run).some((f) => JSON.stringify(f.layout.title).includes("A Whaling Tale, character LSTM: samples by temperature")));
    assert.equal(notebookResults(run)[0]?.metrics["text"], "A Whaling Tale");
  });

  it("stops at the data cell with the fix when the file is not plain text", async () => {
    const pdf = path.join(dir, "book.pdf");
    fs.writeFileSync(pdf, Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.from([0, 159, 146, 150])]));
    const failed = await runNotebook(notebook, { env: { SEQLAB_TEXT_FILE: pdf } });
    assert.equal(failed.result.status, "failed");
    assert.equal(failed.result.error?.ename, "DataError");
    assert.match(failed.result.error?.evalue ?? "", /The book file is binary \(a NUL byte at byte 9\), not plain text: convert it first/);
    assert.doesNotMatch(failed.stdout, /^corpus:/m, "nothing ran after the data cell");
  });
});

function epochCount(r: ExecutedNotebook): number {
  return (r.stdout.match(/^epoch \d+: training [\d.]+ nats\/char, validation [\d.]+ nats\/char/gm) ?? []).length;
}
