/**
 * Text pipeline benchmark: tokenizing and encoding the 50,000 IMDB reviews with
 * `TextVectorization` and the legacy `Tokenizer`, padding them, and windowing Moby Dick.
 * When a Python with Keras is found (`$SEQLAB_BENCH_PYTHON`, else the project's `.venv`),
 * Keras' `TextVectorization` and `pad_sequences` run on the same reviews, interleaved with
 * ours, and the rows carry the speed ratio.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { TextVectorization, Tokenizer, padSequences, charVocabulary, nextTokenWindows, imdb, books } from "kernel-helpers";
import { median } from "./_settings";
import type { BenchContext, BenchRow, Benchmark } from "./types";

const KERAS_SCRIPT = `
import json, os, sys, time
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
from keras.layers import TextVectorization
from keras.utils import pad_sequences
texts = json.load(open(sys.argv[1]))
t = time.perf_counter()
tv = TextVectorization(max_tokens=20000, output_sequence_length=200)
tv.adapt(texts)
x = tv(texts)
encode = time.perf_counter() - t
seqs = [list(range(min(len(s.split()), 400))) for s in texts]
t = time.perf_counter()
pad_sequences(seqs, maxlen=200)
pad = time.perf_counter() - t
print(json.dumps({"encode": encode, "pad": pad}))
`;

function findKerasPython(): string | null {
  const candidates = [process.env.SEQLAB_BENCH_PYTHON, path.resolve(__dirname, "..", "..", ".venv", "bin", "python")];
  for (const py of candidates) {
    if (!py || !fs.existsSync(py)) continue;
    const probe = spawnSync(py, ["-c", "import keras"], { encoding: "utf8" });
    if (probe.status === 0) return py;
  }
  return null;
}

function seconds(f: () => void): number {
  const t = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/**
 * The `text` benchmark (see the module notes): text preprocessing throughput (against Keras when available).
 *
 * @example
 * ```ts
 * import bench from "./text.bench";
 * bench.name; // "text"
 * const rows = await bench.run({ quick: true, log: console.log });
 * rows.every((r) => r.bench === "text"); // true
 * ```
 */
const bench: Benchmark = {
  name: "text",
  description: "IMDB reviews/s through TextVectorization and Tokenizer, padSequences, Moby Dick windows (vs Keras when available)",
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const reps = ctx.quick ? 1 : 3;
    const all = imdb.loadTexts();
    let texts = all.train.texts.concat(all.test.texts);
    if (ctx.quick) texts = texts.slice(0, 5000);
    const n = texts.length;
    ctx.log(`text: ${n} reviews, ${reps} repetition(s)`);

    const python = findKerasPython();
    let textsFile: string | null = null;
    if (python) {
      textsFile = path.join(fs.mkdtempSync(path.join(require("node:os").tmpdir(), "seqlab-bench-")), "texts.json");
      fs.writeFileSync(textsFile, JSON.stringify(texts));
    } else ctx.log("text: no Python with Keras found (set SEQLAB_BENCH_PYTHON); measuring seqlab only");

    const ours = { tv: [] as number[], tok: [] as number[], pad: [] as number[] };
    const keras = { tv: [] as number[], pad: [] as number[] };
    let heapMB = 0;
    let seqs: number[][] = [];
    for (let r = 0; r < reps; r++) {
      let encoded: number[][] = [];
      ours.tv.push(
        seconds(() => {
          const tv = new TextVectorization({ maxTokens: 20000, outputSequenceLength: 200 });
          tv.adapt(texts);
          encoded = tv.apply(texts);
        }),
      );
      heapMB = Math.max(heapMB, process.memoryUsage().heapUsed / 1e6); // texts + encoded rows
      if (encoded.length !== n) throw new Error("TextVectorization returned the wrong number of rows");
      encoded = [];
      ours.tok.push(
        seconds(() => {
          const tok = new Tokenizer({ numWords: 20000 });
          tok.fitOnTexts(texts);
          seqs = tok.textsToSequences(texts);
        }),
      );
      const lens = texts.map((s) => Array.from({ length: Math.min(s.split(" ").length, 400) }, (_, i) => i));
      ours.pad.push(seconds(() => padSequences(lens, { maxlen: 200 })));
      if (python && textsFile) {
        const out = spawnSync(python, ["-c", KERAS_SCRIPT, textsFile], { encoding: "utf8", maxBuffer: 1 << 24 });
        if (out.status === 0) {
          const k = JSON.parse(out.stdout.trim().split("\n").pop()!) as { encode: number; pad: number };
          keras.tv.push(k.encode);
          keras.pad.push(k.pad);
        } else ctx.log(`text: Keras run failed: ${out.stderr.split("\n").slice(-3).join(" ")}`);
      }
    }
    if (textsFile) fs.rmSync(path.dirname(textsFile), { recursive: true, force: true });

    const rows: BenchRow[] = [];
    const tvRow: Record<string, number | string> = {
      "seqlab reviews/s": Math.round(n / median(ours.tv)),
      "seqlab s": +median(ours.tv).toFixed(3),
      "heap used MB": Math.round(heapMB),
    };
    if (keras.tv.length) {
      tvRow["keras reviews/s"] = Math.round(n / median(keras.tv));
      tvRow["speedup x"] = +(median(keras.tv) / median(ours.tv)).toFixed(2);
    }
    rows.push({ bench: "text", case: `TextVectorization adapt+apply, ${n} IMDB reviews, maxTokens 20000, length 200`, metrics: tvRow });
    rows.push({
      bench: "text",
      case: `Tokenizer fitOnTexts+textsToSequences, ${n} IMDB reviews`,
      metrics: { "seqlab reviews/s": Math.round(n / median(ours.tok)), "seqlab s": +median(ours.tok).toFixed(3), tokens: seqs.reduce((a, s) => a + s.length, 0) },
    });
    const padRow: Record<string, number | string> = {
      "seqlab sequences/s": Math.round(n / median(ours.pad)),
      "seqlab s": +median(ours.pad).toFixed(3),
    };
    if (keras.pad.length) {
      padRow["keras sequences/s"] = Math.round(n / median(keras.pad));
      padRow["speedup x"] = +(median(keras.pad) / median(ours.pad)).toFixed(2);
    }
    rows.push({ bench: "text", case: `padSequences maxlen 200, ${n} sequences`, metrics: padRow });

    const book = books.mobyDick().text;
    const vocab = charVocabulary(book);
    const ids = vocab.encode(book);
    let windows = 0;
    let peak = 0;
    const t = seconds(() => {
      const w = nextTokenWindows(ids, { seqLength: 100, step: 3, batchSize: 128, shuffle: true, seed: 1 });
      let b = 0;
      for (const batch of w) {
        windows += batch.ys.length;
        if (++b % 100 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
        if (ctx.quick && b >= 200) break;
      }
    });
    rows.push({
      bench: "text",
      case: `nextTokenWindows Moby Dick (${ids.length} chars), seqLength 100, step 3, batch 128`,
      metrics: { "windows/s": Math.round(windows / t), windows, "heap used MB": Math.round(peak / 1e6) },
    });
    return rows;
  },
};

export default bench;
