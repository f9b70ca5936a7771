/**
 * The Keras side of the recurrent benchmark: finds (or, on request, creates) a Python with
 * Keras 3 and TensorFlow, and drives `keras-rnn.py` in it over JSON lines.
 *
 * Which Python:
 * - `SEQLAB_BENCH_PYTHON=<python>`: that interpreter;
 * - `SEQLAB_BENCH_PYTHON=none`: no Keras side;
 * - `SEQLAB_BENCH_PYTHON=venv`: a scratch venv in the seqlab cache folder
 *   (`<cache>/bench-keras-venv`), created with `tensorflow-cpu` 2.21.0 if missing (about a
 *   minute with the pip flags below);
 * - unset: that scratch venv if it exists, else the project's `.venv` if it has Keras; else no
 *   Keras side (the benchmark prints seqlab's numbers alone and says how to get Keras').
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheDir, projectRoot, venvDir } from "../setup/paths";
import { JsonLinesProcess, type SideReply } from "./_json-lines-process";

/**
 * The TensorFlow wheel the scratch venv gets (the one tfjs-node runs here).
 *
 * @example
 * ```ts
 * KERAS_VENV_PACKAGE.startsWith("tensorflow-cpu=="); // true
 * ```
 */
export const KERAS_VENV_PACKAGE = "tensorflow-cpu==2.21.0";

/**
 * Where the scratch venv lives (in seqlab's cache folder).
 *
 * @example
 * ```ts
 * path.basename(kerasVenvDir()); // "bench-keras-venv"
 * ```
 */
export function kerasVenvDir(): string {
  return path.join(cacheDir(), "bench-keras-venv");
}

function hasKeras(python: string): boolean {
  if (!fs.existsSync(python)) return false;
  const r = spawnSync(python, ["-c", "import keras, tensorflow"], { stdio: "ignore", timeout: 120_000 });
  return r.status === 0;
}

function createVenv(log: (line: string) => void): string {
  const dir = kerasVenvDir();
  const python = path.join(dir, "bin", "python");
  if (hasKeras(python)) return python;
  log(`rnn: creating ${dir} with ${KERAS_VENV_PACKAGE} (about a minute)`);
  const steps: Array<[string, string[]]> = [
    ["python3", ["-m", "venv", dir]],
    [python, ["-m", "pip", "install", "--retries", "0", "--timeout", "5", KERAS_VENV_PACKAGE]],
  ];
  for (const [cmd, args] of steps) {
    const r = spawnSync(cmd, args, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8", timeout: 1_200_000 });
    if (r.status !== 0) throw new Error(`\`${cmd} ${args.join(" ")}\` failed: ${(r.stderr ?? "").slice(-500)}`);
  }
  return python;
}

/**
 * The Python to run Keras with, or why there is none.
 *
 * @param log Progress printer.
 * @returns `{python}` or `{reason}`.
 * @example
 * ```ts
 * process.env.SEQLAB_BENCH_PYTHON = "none";
 * findKerasPython(console.log); // { reason: "SEQLAB_BENCH_PYTHON=none is set" }
 * ```
 */
export function findKerasPython(log: (line: string) => void): { python: string } | { reason: string } {
  const wanted = process.env.SEQLAB_BENCH_PYTHON;
  if (wanted === "none") return { reason: "SEQLAB_BENCH_PYTHON=none is set" };
  if (wanted === "venv") return { python: createVenv(log) };
  if (wanted) {
    return hasKeras(wanted) ? { python: wanted } : { reason: `SEQLAB_BENCH_PYTHON=${wanted} cannot import keras and tensorflow` };
  }
  for (const python of [path.join(kerasVenvDir(), "bin", "python"), path.join(venvDir, "bin", "python")]) {
    if (hasKeras(python)) return { python };
  }
  return {
    reason:
      "no Python with Keras and TensorFlow: set SEQLAB_BENCH_PYTHON to one, or SEQLAB_BENCH_PYTHON=venv to create a scratch venv",
  };
}

/**
 * One answer of the Python side.
 *
 * @example
 * ```ts
 * const reply: KerasReply = { ok: true, tensorflow: "2.21.0" };
 * reply.ok; // true
 * ```
 */
export type KerasReply = SideReply;

/**
 * A running `keras-rnn.py`: one request at a time.
 *
 * @example
 * ```ts
 * const found = findKerasPython(console.log);
 * if ("python" in found) {
 *   const side = new KerasSide(found.python);
 *   (await side.request({ op: "hello" })).ok; // true
 *   side.close();
 * }
 * ```
 */
export class KerasSide extends JsonLinesProcess {
  /**
   * @param python The interpreter (see {@link findKerasPython}).
   */
  constructor(python: string) {
    const script = path.join(projectRoot, "src", "bench", "keras-rnn.py");
    super("Keras side", python, [script], { ...process.env, TF_CPP_MIN_LOG_LEVEL: "2" });
  }
}
