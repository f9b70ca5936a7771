/**
 * Compiles seqlab's fused recurrent kernels (`kernel-helpers/models/native/`): a TensorFlow
 * custom-op library and the small Node-API addon that loads it into tfjs-node's TensorFlow.
 *
 * Both are compiled with `g++` against the TensorFlow headers and libraries inside the
 * installed `@tensorflow/tfjs-node` package (`deps/include`, `deps/lib`) and Node's own headers,
 * into `kernel-helpers/models/native/build/` with `-march=native`. `SEQLAB_FUSED_BUILD_DIR` and
 * `SEQLAB_FUSED_MARCH` build into another folder for another CPU target (e.g. `haswell` for AVX2
 * without AVX-512); the helpers load from the same folder. Without a compiler (or headers) the
 * step reports a notice and the layers run as the standard tfjs-layers ones.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  LOADER_ADDON_NAME,
  NATIVE_BUILD_DIR,
  NATIVE_SOURCE_DIR,
  OPS_LIBRARY_NAME,
  nativeBuildDir,
  nativeMarch,
} from "kernel-helpers/contract";
import { projectRoot, tfjsNodeDir } from "./paths";
import { runCommand } from "./run";

/** The outcome of {@link buildFusedOps}. */
export interface FusedOpsBuildResult {
  /** True when both native parts are built and up to date. */
  ok: boolean;
  /** One line for the user: what was built, or why the fused layers are unavailable. */
  message: string;
}

/** Options of {@link buildFusedOps} (for tests; the defaults are what setup uses). */
export interface FusedOpsBuildOptions {
  /** Where the built files go. @default `SEQLAB_FUSED_BUILD_DIR`, else fusedBuildDir */
  buildDir?: string;
  /**
   * The `-march` to compile for (letters, digits, `-`, `_`, `.`). Only `native` falls back to a
   * portable build when the compiler rejects it. @default `SEQLAB_FUSED_MARCH`, else "native"
   */
  march?: string;
  /**
   * Which op sources go into the op library (a subset of {@link fusedOpSources}, e.g. only the
   * recurrent ones for a quicker build). @default fusedOpSources
   */
  sources?: readonly string[];
  /** The C++ compiler to run. @default "g++" */
  compiler?: string;
}

/** Where the native sources live (the contract's `NATIVE_SOURCE_DIR`). */
export const fusedSourceDir: string = NATIVE_SOURCE_DIR;
/** Where the built library and addon go, gitignored (the contract's `NATIVE_BUILD_DIR`, where the helpers load them from). */
export const fusedBuildDir: string = NATIVE_BUILD_DIR;

/** Every source of the op library: the recurrent cells, then Adam, Dense and the losses. */
export const fusedOpSources: readonly string[] = [
  "lstm_ops.cc",
  "gru_ops.cc",
  "simple_rnn_ops.cc",
  "train_ops.cc",
  "dense_ops.cc",
  "loss_ops.cc",
];

interface Target {
  /** Sources compiled together, relative to the native folder. */
  sources: string[];
  /** Headers they include (for staleness). */
  headers: string[];
  output: string;
  /** Compiler flags (before the source). */
  flags: (inc: string, nodeInclude: string) => string[];
  /** Linker flags (after the source, so the libraries are kept). */
  libs: (lib: string) => string[];
}

const COMMON = [
  "-std=c++17",
  "-O3",
  "-shared",
  "-fPIC",
  "-D_GLIBCXX_USE_CXX11_ABI=1",
  "-Wno-deprecated-declarations",
  "-Wno-interference-size",
];

const TARGETS: Target[] = [
  {
    sources: [...fusedOpSources],
    headers: ["seqlab_rnn_common.h"],
    output: OPS_LIBRARY_NAME,
    flags: (inc) => [...COMMON, `-I${inc}`],
    libs: (lib) => [`-L${lib}`, "-l:libtensorflow_framework.so.2", `-Wl,-rpath,${lib}`],
  },
  {
    sources: ["tf_load_library.cc"],
    headers: [],
    output: LOADER_ADDON_NAME,
    flags: (inc, nodeInclude) => [...COMMON, "-DNODE_GYP_MODULE_NAME=tf_load_library", `-I${nodeInclude}`, `-I${inc}`],
    libs: (lib) => [`-L${lib}`, "-l:libtensorflow.so.2", `-Wl,-rpath,${lib}`],
  },
];

function mtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

// What a build was made with, kept next to it so that another -march or source list rebuilds it.
function flagsStamp(march: string, sources: readonly string[]): string {
  return `-march=${march} ${sources.join(" ")}\n`;
}

function readStamp(output: string, setupDefault: string): string {
  try {
    return fs.readFileSync(`${output}.flags`, "utf8");
  } catch {
    // Built before stamps existed: by setup's defaults.
    return setupDefault;
  }
}

function nodeIncludeDir(): string | null {
  const prefix = path.resolve(path.dirname(process.execPath), "..");
  const candidates = [path.join(prefix, "include", "node")];
  if (process.env.npm_config_nodedir) candidates.push(path.join(process.env.npm_config_nodedir, "include", "node"));
  for (const dir of candidates) if (fs.existsSync(path.join(dir, "node_api.h"))) return dir;
  return null;
}

// Compiles one target into a temporary file, then renames it into place.
function compile(
  target: Target,
  dirs: { inc: string; lib: string; nodeInclude: string; buildDir: string; compiler: string; march: string },
  log: (l: string) => void,
): string | null {
  const { inc, lib, nodeInclude, buildDir, compiler, march } = dirs;
  const out = path.join(buildDir, target.output);
  const tmp = `${out}.tmp-${process.pid}`;
  const base = [
    ...target.flags(inc, nodeInclude),
    ...target.sources.map((f) => path.join(fusedSourceDir, f)),
    ...target.libs(lib),
    "-o",
    tmp,
  ];
  // Built on the machine that runs it, so tune for its CPU; retry portable if that fails. Another
  // target was asked for on purpose: no fallback, so a test never runs a build it did not ask for.
  const attempts = march === "native" ? [["-march=native"], []] : [[`-march=${march}`]];
  for (const extra of attempts) {
    log(`fused ops: compiling ${target.output}${extra.length ? ` (${extra[0]})` : ""}`);
    // Eigen-heavy sources: a minute on an idle 2-core machine, several on a busy one.
    const r = runCommand(compiler, [...extra, ...base], { timeoutMs: 1_200_000 });
    if (r.error) {
      const timedOut = (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT";
      return timedOut ? `\`${compiler}\` took more than 20 minutes on ${target.output}` : `\`${compiler}\` could not be run`;
    }
    if (r.status === 0) {
      fs.renameSync(tmp, out);
      fs.writeFileSync(`${out}.flags`, flagsStamp(march, target.sources));
      return null;
    }
    fs.rmSync(tmp, { force: true });
    if (extra === attempts[attempts.length - 1]) {
      const firstError = r.stderr.split("\n").find((l) => l.includes("error")) ?? r.stderr.slice(0, 300);
      return `${compiler} failed on ${target.output}: ${firstError.trim()}`;
    }
  }
  return "unreachable";
}

/**
 * Builds the fused recurrent kernels if they are missing, older than their sources (or than
 * TensorFlow's library) or built with another `-march` or source list. Idempotent and never
 * throws.
 *
 * @param log Receives progress lines.
 * @param options Build folder, `-march`, op sources and compiler (defaults:
 *   `SEQLAB_FUSED_BUILD_DIR` or `fusedBuildDir`, `SEQLAB_FUSED_MARCH` or `native`, all, `g++`).
 * @returns `{ok, message}`: `ok:false` means the layers will run as the standard ones, and
 *   `message` says why and what to install.
 * @example
 * ```ts
 * const { ok, message } = buildFusedOps((line) => console.log(line));
 * ```
 */
export function buildFusedOps(log: (line: string) => void, options: FusedOpsBuildOptions = {}): FusedOpsBuildResult {
  const fallback = "seqlab's recurrent layers will run as the standard (slower) tfjs-layers ones";
  const compiler = options.compiler ?? "g++";
  try {
    const buildDir = options.buildDir ?? nativeBuildDir();
    const march = nativeMarch({ SEQLAB_FUSED_MARCH: options.march ?? nativeMarch() });
    const sources = options.sources ?? fusedOpSources;
    const unknown = sources.filter((f) => !fusedOpSources.includes(f));
    if (unknown.length > 0 || sources.length === 0) {
      return {
        ok: false,
        message: `the op library's sources must be some of ${fusedOpSources.join(", ")}. Received: sources=${JSON.stringify(sources)}; ${fallback}.`,
      };
    }
    const targets = TARGETS.map((t) => (t.output === OPS_LIBRARY_NAME ? { ...t, sources: [...sources] } : t));
    let pkg: string;
    try {
      pkg = tfjsNodeDir();
    } catch {
      return { ok: false, message: `@tensorflow/tfjs-node is not installed; ${fallback}.` };
    }
    const inc = path.join(pkg, "deps", "include");
    const lib = path.join(pkg, "deps", "lib");
    const stale = targets.filter((target, i) => {
      const output = path.join(buildDir, target.output);
      const out = mtime(output);
      const inputs = [...target.sources, ...target.headers].map((f) => mtime(path.join(fusedSourceDir, f)));
      const current = out > Math.max(...inputs) && out > mtime(path.join(lib, "libtensorflow_framework.so.2"));
      const setupDefault = flagsStamp("native", TARGETS[i].sources);
      return !current || readStamp(output, setupDefault) !== flagsStamp(march, target.sources);
    });
    if (stale.length === 0) return { ok: true, message: "fused recurrent kernels up to date" };
    if (!fs.existsSync(path.join(inc, "tensorflow", "core", "framework", "op_kernel.h"))) {
      return {
        ok: false,
        message: `TensorFlow's C++ headers are missing from ${path.relative(projectRoot, inc)}; ${fallback}.`,
      };
    }
    const nodeInclude = nodeIncludeDir();
    if (nodeInclude === null) {
      return { ok: false, message: `Node's headers (include/node/node_api.h) were not found; ${fallback}.` };
    }
    const probe = runCommand(compiler, ["--version"]);
    if (probe.error || probe.status !== 0) {
      return {
        ok: false,
        message: `No C++ compiler (\`${compiler}\`) found; ${fallback}. Install one (Debian/Ubuntu: \`sudo apt-get install g++\`) and run \`npm run seqlab -- setup\` again.`,
      };
    }
    fs.mkdirSync(buildDir, { recursive: true });
    for (const target of stale) {
      const error = compile(target, { inc, lib, nodeInclude, buildDir, compiler, march }, log);
      if (error !== null) return { ok: false, message: `${error}; ${fallback}.` };
    }
    return { ok: true, message: "fused recurrent kernels built" };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, message: `building the fused kernels failed (${message}); ${fallback}.` };
  }
}
