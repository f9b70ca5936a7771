import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findKerasPython, KerasSide } from "../../../src/bench/_keras-side";
import { SeqlabSide } from "../../../src/bench/_seqlab-side";
import { QUICK_SIZES, writeVariantData } from "../../../src/bench/_variant-data";
import { CHARS, EMBEDDING_DIM, VARIANT_CELLS, VARIANT_KEYS, VARIANT_UNITS, VARIANTS, WORDS } from "../../../src/bench/_variant-models";
import type { VariantRow } from "../../../src/bench/rnn-variants.bench";
import { projectRoot } from "../../support/project";

const benchJs = path.join(projectRoot, "dist", "src", "bench", "index.js");

function bench(args: string[], env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const clean = { ...process.env };
  delete clean.SEQLAB_BENCH_BASELINE;
  delete clean.SEQLAB_BENCH_VARIANTS;
  delete clean.SEQLAB_BENCH_CELLS;
  const r = spawnSync(process.execPath, [benchJs, "rnn-variants", ...args], {
    encoding: "utf8",
    timeout: 600_000,
    env: { ...clean, SEQLAB_BENCH_PYTHON: "none", ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const positive = (v: unknown): boolean => typeof v === "number" && Number.isFinite(v) && v > 0;

describe("npm run bench -- rnn-variants", function () {
  this.timeout(600_000);

  it("--quick --json against a baseline checkout: a row per variant and cell, finite times and ratios, no leaked tensors", () => {
    // This checkout stands in for the baseline: the protocol is what is tested, not the speed.
    const r = bench(["--quick", "--json"], { SEQLAB_BENCH_BASELINE: projectRoot });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /rnn-variants: no Keras side: SEQLAB_BENCH_PYTHON=none is set\./);
    assert.match(r.stderr, /rnn-variants: baseline .+: tfjs 4\.22\.0, fused kernels on/);
    const rows = (JSON.parse(r.stdout) as { rows: VariantRow[] }).rows;
    assert.deepEqual(
      rows.map((row) => `${row.variant}/${row.cell}`),
      VARIANT_KEYS.flatMap((v) => ["LSTM", "GRU", "SimpleRNN"].map((c) => `${v}/${c}`)),
    );
    for (const row of rows) {
      const label = `${row.variant}/${row.cell}`;
      for (const field of ["seqlab_s", "baseline_s", "seqlab_cpu_s", "baseline_cpu_s", "baseline_ratio", "baseline_cpu_ratio"] as const) {
        assert.ok(positive(row[field]), `${label}: ${field} = ${String(row[field])}`);
      }
      assert.equal(row.keras_s, null, label);
      assert.equal(row.keras_ratio, null, label);
      assert.equal(row.seqlab_leaked_tensors, 0, `${label} leaked tensors`);
      assert.equal(row.baseline_leaked_tensors, 0, `${label} leaked tensors (baseline side)`);
      assert.ok(positive(row.seqlab_tfjs_ops_per_batch), label);
      // Same code on both sides: the same tfjs kernels per batch.
      assert.equal(row.baseline_tfjs_ops_per_batch, row.seqlab_tfjs_ops_per_batch, label);
      assert.match(row.workload, new RegExp(`^${VARIANTS[row.variant].data} \\[`));
    }
  });

  it("without a baseline or Keras it prints seqlab alone and says why", () => {
    const r = bench(["--quick"], { SEQLAB_BENCH_VARIANTS: "masking", SEQLAB_BENCH_CELLS: "gru" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /rnn-variants: no baseline: set SEQLAB_BENCH_BASELINE to another seqlab checkout/);
    assert.match(r.stdout, /rnn-variants: no Keras side: SEQLAB_BENCH_PYTHON=none is set\./);
    assert.match(r.stdout, /masking: GRU \(Embedding\(maskZero\) over post-padded ids/);
    assert.match(r.stdout, /Keras s\/epoch=- {2}seqlab s\/epoch=\d+(\.\d+)? {2}baseline s\/epoch=- /);
  });

  it("a baseline that is not an installed checkout is an error naming the fix", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-not-a-checkout-"));
    try {
      const r = bench(["--quick"], { SEQLAB_BENCH_BASELINE: dir, SEQLAB_BENCH_VARIANTS: "masking", SEQLAB_BENCH_CELLS: "gru" });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /SEQLAB_BENCH_BASELINE=.+ is not an installed seqlab checkout: its kernel-helpers are not built \(run `npm install` there\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an unknown variant in SEQLAB_BENCH_VARIANTS is an error listing the choices", () => {
    const r = bench(["--quick"], { SEQLAB_BENCH_VARIANTS: "masking,peephole" });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /SEQLAB_BENCH_VARIANTS: unknown peephole; choose from masking, stacked, bidirectional, returnSequences, classifier, charModel, forecaster/);
  });
});

describe("the variants worker (one checkout's side)", function () {
  this.timeout(600_000);
  let data: ReturnType<typeof writeVariantData>;

  before(() => {
    data = writeVariantData(["imdbPost", "charsEvery", "series"], QUICK_SIZES);
  });
  after(() => fs.rmSync(data.dir, { recursive: true, force: true }));

  it("trains fresh models repeatedly with finite losses and leaves no tensors behind", async () => {
    const side = new SeqlabSide("test side", projectRoot);
    try {
      for (const load of data.loads) await side.request(load);
      const start = Number((await side.request({ op: "memory" })).tensors);
      const fits: Array<Record<string, unknown>> = [];
      for (const variant of ["masking", "returnSequences", "forecaster", "masking"] as const) {
        for (const cell of VARIANT_CELLS) {
          fits.push(
            await side.request({ op: "fit", data: VARIANTS[variant].data, variant, cell, batch_size: VARIANTS[variant].batchSize, epochs: 2 }),
          );
        }
      }
      assert.equal(fits[0].first, true);
      for (const fit of fits.slice(1)) {
        assert.equal(fit.first, false);
        assert.equal(fit.leaked_tensors, 0);
        assert.equal((fit.epoch_seconds as number[]).length, 2);
        assert.ok((fit.epoch_cpu_seconds as number[]).every(positive));
        assert.ok(Number.isFinite(fit.loss) && (fit.loss as number) > 0, `loss ${String(fit.loss)}`);
        assert.deepEqual(fit.notices, []);
      }
      // The first model's one-time cache (the fused ops' shared empty tensor) and nothing else.
      const end = Number((await side.request({ op: "memory" })).tensors);
      assert.equal(end - start, Number(fits[0].leaked_tensors));
      assert.ok(end - start <= 1, `${end - start} tensors kept after ${fits.length} fits`);
      await assert.rejects(
        side.request({ op: "fit", data: "imdbPost", variant: "peephole", cell: "lstm", batch_size: 8, epochs: 2 }),
        /test side: Error: unknown variant peephole/,
      );
    } finally {
      side.close();
    }
  });

  it("its tfjs kernel count shows a fallback to tfjs' per-step recurrent code", async () => {
    const fused = new SeqlabSide("fused side", projectRoot);
    const saved = process.env.SEQLAB_FUSED;
    process.env.SEQLAB_FUSED = "0";
    const standard = new SeqlabSide("standard side", projectRoot);
    if (saved === undefined) delete process.env.SEQLAB_FUSED;
    else process.env.SEQLAB_FUSED = saved;
    try {
      assert.equal((await fused.request({ op: "hello" })).fused, true);
      const off = await standard.request({ op: "hello" });
      assert.equal(off.fused, false);
      assert.match(String(off.fused_reason), /SEQLAB_FUSED=0/);
      const load = data.loads.find((l) => l.name === "charsEvery")!;
      await fused.request(load);
      await standard.request(load);
      const request = { op: "profile", data: "charsEvery", variant: "returnSequences", cell: "lstm", batch_size: 32, batches: 2 };
      const a = Number((await fused.request(request)).tfjs_ops_per_batch);
      const b = Number((await standard.request(request)).tfjs_ops_per_batch);
      // 20 steps of tfjs' LSTM cell forward and backward: many kernels per step.
      assert.ok(b > a + 20 * 10, `fused ${a} vs standard ${b} tfjs kernels per batch`);
    } finally {
      fused.close();
      standard.close();
    }
  });
});

describe("the Keras side of rnn-variants", function () {
  this.timeout(900_000);

  it("trains every variant's Keras model (when a Python with Keras exists)", async function () {
    const saved = process.env.SEQLAB_BENCH_PYTHON;
    if (saved === "none") delete process.env.SEQLAB_BENCH_PYTHON;
    const found = findKerasPython(() => undefined);
    if (saved !== undefined) process.env.SEQLAB_BENCH_PYTHON = saved;
    if (!("python" in found)) this.skip();
    const python = (found as { python: string }).python;
    const data = writeVariantData([...new Set(VARIANT_KEYS.map((v) => VARIANTS[v].data))], QUICK_SIZES);
    const keras = new KerasSide(python);
    try {
      for (const load of data.loads) await keras.request(load);
      for (const variant of VARIANT_KEYS) {
        const spec = VARIANTS[variant];
        const reply = await keras.request({
          op: "fit_variant", data: spec.data, variant, cell: "gru", batch_size: spec.batchSize, epochs: 2,
          units: VARIANT_UNITS, words: WORDS, chars: CHARS, embedding_dim: EMBEDDING_DIM,
        });
        const seconds = reply.epoch_seconds as number[];
        assert.equal(seconds.length, 2, variant);
        assert.ok(seconds.every(positive), `${variant}: ${seconds.join(", ")}`);
      }
      await assert.rejects(
        keras.request({ op: "fit_variant", data: "series", variant: "peephole", cell: "gru", batch_size: 8, epochs: 1 }),
        /Keras side: ValueError: unknown variant peephole/,
      );
    } finally {
      keras.close();
      fs.rmSync(data.dir, { recursive: true, force: true });
    }
  });
});
