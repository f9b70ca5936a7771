/**
 * The Node side of `npm run bench -- rnn-variants`: trains the variant models
 * (`_variant-models.ts`) with the `@tensorflow/tfjs-node` and built `kernel-helpers` of the
 * seqlab checkout given as its argument, so the current code and a baseline checkout run the
 * same models, each in its own process, in interleaved rounds.
 *
 * `node dist/src/bench/_variant-worker.js <checkout>`; protocol: one JSON request per stdin
 * line, one JSON answer per stdout line (anything else printed goes to stderr):
 *
 * - `{"op": "hello"}` → `{"ok": true, "tfjs": "4.22.0", "fused": true, "fused_reason": null}`;
 * - `{"op": "load", "name", "x", "x_shape", "x_dtype", "y", "y_shape"}` → `{"ok": true}` (raw
 *   little-endian arrays, see `_variant-data.ts`);
 * - `{"op": "fit", "data", "variant", "cell", "batch_size", "epochs"}` → `{"ok": true,
 *   "epoch_seconds": [..], "epoch_cpu_seconds": [..], "loss": 0.69, "leaked_tensors": 0,
 *   "first": true, "notices": [..]}`: a fresh model trained for `epochs` epochs (wall seconds and
 *   CPU seconds of the process per epoch), the last epoch's loss, `tf.memory().numTensors` after
 *   disposing the model minus before building it (`first`: this was the process' first model,
 *   whose count includes one-time caches such as the fused ops' shared empty tensor), and the
 *   fused layers' fallback notices it printed;
 * - `{"op": "profile", "data", "variant", "cell", "batch_size", "batches"}` → `{"ok": true,
 *   "tfjs_ops_per_batch": 61, "leaked_tensors": 0}`: tfjs kernels per batch of a warm `fit`
 *   (`tf.profile`; the fused ops run outside tfjs' registry and are not counted, so a variant
 *   that falls back to tfjs' per-step recurrent code shows hundreds more).
 *
 * It may only use APIs present in every checkout it runs: see `_variant-models.ts`.
 *
 * @module
 */
import { createRequire } from "node:module";
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import type * as TF from "@tensorflow/tfjs-node";
import type * as Helpers from "kernel-helpers";
import { buildVariant, disposeVariant, VariantCell, VariantKey, VariantLib, VARIANTS } from "./_variant-models";

type Request = Record<string, unknown>;
type Lib = VariantLib & { helpers: VariantLib["helpers"] & Pick<typeof Helpers, "fusedOpsStatus" | "setFusedNoticeHandler"> };

interface Loaded {
  x: TF.Tensor;
  y: TF.Tensor;
}

function loadLib(root: string): Lib {
  const req = createRequire(path.join(path.resolve(root), "package.json"));
  const tf = req("@tensorflow/tfjs-node") as typeof TF;
  const helpers = req("kernel-helpers") as typeof Helpers;
  return { tf, helpers };
}

function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

class Worker {
  private readonly data = new Map<string, Loaded>();
  private notices: string[] = [];
  private models = 0;

  constructor(private readonly lib: Lib) {
    lib.helpers.setFusedNoticeHandler((message) => {
      this.notices.push(message);
    });
  }

  hello(): Request {
    const status = this.lib.helpers.fusedOpsStatus();
    return { ok: true, tfjs: this.lib.tf.version.tfjs, fused: status.available, fused_reason: status.reason ?? null };
  }

  load(req: Request): Request {
    const { tf } = this.lib;
    const read = (file: string, dtype: "int32" | "float32"): Int32Array | Float32Array => {
      const bytes = fs.readFileSync(file);
      const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      return dtype === "int32" ? new Int32Array(copy) : new Float32Array(copy);
    };
    const xDtype = req.x_dtype === "int32" ? "int32" : "float32";
    const old = this.data.get(String(req.name));
    if (old) tf.dispose([old.x, old.y]);
    this.data.set(String(req.name), {
      x: tf.tensor(read(String(req.x), xDtype), req.x_shape as number[], xDtype),
      y: tf.tensor(read(String(req.y), "float32"), req.y_shape as number[], "float32"),
    });
    return { ok: true };
  }

  private build(req: Request): { model: TF.LayersModel; data: Loaded } {
    this.models++;
    const key = req.variant as VariantKey;
    if (!(key in VARIANTS)) throw new Error(`unknown variant ${String(key)}`);
    const data = this.data.get(VARIANTS[key].data);
    if (!data) throw new Error(`dataset ${VARIANTS[key].data} is not loaded`);
    const dims = { steps: data.x.shape[1] ?? 1, features: data.x.shape[2] ?? 1 };
    // tfjs warns that the orthogonal initializer is slow on every build: not what is measured.
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (!(typeof args[0] === "string" && args[0].startsWith("Orthogonal initializer"))) warn(...args);
    };
    try {
      return { model: buildVariant(this.lib, key, req.cell as VariantCell, dims), data };
    } finally {
      console.warn = warn;
    }
  }

  async fit(req: Request): Promise<Request> {
    const { tf } = this.lib;
    const before = tf.memory().numTensors;
    this.notices = [];
    const { model, data } = this.build(req);
    const first = this.models === 1;
    const seconds: number[] = [];
    const cpuSeconds: number[] = [];
    let start = 0n;
    let cpuStart = 0;
    const history = await model.fit(data.x, data.y, {
      batchSize: Number(req.batch_size),
      epochs: Number(req.epochs),
      verbose: 0,
      callbacks: {
        onEpochBegin: async () => {
          start = process.hrtime.bigint();
          cpuStart = cpuNow();
        },
        onEpochEnd: async () => {
          seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
          cpuSeconds.push(cpuNow() - cpuStart);
        },
      },
    });
    disposeVariant(model);
    const losses = history.history.loss as number[];
    return {
      ok: true,
      epoch_seconds: seconds,
      epoch_cpu_seconds: cpuSeconds,
      loss: losses[losses.length - 1],
      leaked_tensors: tf.memory().numTensors - before,
      first,
      notices: this.notices,
    };
  }

  async profile(req: Request): Promise<Request> {
    const { tf } = this.lib;
    const before = tf.memory().numTensors;
    const { model, data } = this.build(req);
    const first = this.models === 1;
    const batchSize = Number(req.batch_size);
    const batches = Math.max(1, Math.min(Number(req.batches), Math.floor(data.x.shape[0] / batchSize)));
    const x = tf.slice(data.x, 0, batches * batchSize);
    const y = tf.slice(data.y, 0, batches * batchSize);
    const fit = async (): Promise<void> => void (await model.fit(x, y, { batchSize, epochs: 1, verbose: 0 }));
    await fit(); // warm-up: weights, optimizer state, the ops' first calls
    const info = await tf.profile(fit);
    tf.dispose([x, y]);
    disposeVariant(model);
    return { ok: true, tfjs_ops_per_batch: info.kernels.length / batches, leaked_tensors: tf.memory().numTensors - before, first };
  }

  async handle(req: Request): Promise<Request> {
    switch (req.op) {
      case "hello":
        return this.hello();
      case "load":
        return this.load(req);
      case "fit":
        return this.fit(req);
      case "profile":
        return this.profile(req);
      case "memory":
        return { ok: true, tensors: this.lib.tf.memory().numTensors };
      default:
        return { ok: false, error: `unknown op ${String(req.op)}` };
    }
  }
}

async function main(root: string): Promise<void> {
  // stdout carries the answers: everything the libraries print goes to stderr.
  console.log = console.error;
  console.info = console.error;
  const worker = new Worker(loadLib(root));
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (!line.trim()) continue;
    let answer: Request;
    try {
      answer = await worker.handle(JSON.parse(line) as Request);
    } catch (err) {
      answer = { ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    }
    process.stdout.write(JSON.stringify(answer) + "\n");
  }
}

if (require.main === module) {
  const root = process.argv[2];
  if (!root) {
    console.error("usage: node _variant-worker.js <seqlab checkout>");
    process.exit(2);
  }
  main(root).catch((err: unknown) => {
    console.error(err instanceof Error ? err.stack : String(err));
    process.exit(1);
  });
}
