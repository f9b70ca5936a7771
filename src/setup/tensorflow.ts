/**
 * Makes `@tensorflow/tfjs-node` load with the native `tensorflow` backend.
 *
 * tfjs-node's own install script downloads libtensorflow and a prebuilt addon. Where that
 * download is unreachable, the TensorFlow C libraries and headers are taken from the
 * `tensorflow-cpu` wheel on PyPI (fetched once into the cache) and the addon is compiled
 * locally with node-gyp.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheDir, projectRoot, tfjsNodeDir } from "./paths";
import { runCommand, SetupError } from "./run";

/** The `tensorflow-cpu` release whose C libraries replace libtensorflow's download. */
export const TENSORFLOW_WHEEL_VERSION = "2.21.0";

/** What a fresh Node process reports after `require("@tensorflow/tfjs-node")`. */
export interface TensorflowProbe {
  /** `true` when the module loaded and the backend is `tensorflow`. */
  ok: boolean;
  /** The active tfjs backend, e.g. `"tensorflow"`. */
  backend?: string;
  /** The TensorFlow C library version, e.g. `"2.21.0"`. */
  tfVersion?: string;
  /** The tfjs-node package version. */
  tfjsNodeVersion?: string;
  /** Why loading failed, when it did. */
  error?: string;
}

const PROBE_SCRIPT = `
try {
  const tf = require("@tensorflow/tfjs-node");
  const backend = tf.getBackend();
  let tfVersion;
  try { tfVersion = tf.backend().binding.TF_Version; } catch (e) {}
  process.stdout.write(JSON.stringify({ ok: backend === "tensorflow", backend, tfVersion, tfjsNodeVersion: tf.version["tfjs-node"] }));
} catch (e) {
  process.stdout.write(JSON.stringify({ ok: false, error: String(e && e.message || e).split("\\n")[0] }));
}`;

/**
 * Loads tfjs-node in a child process (a failed native load can't be undone in this one).
 *
 * @returns What the child saw.
 */
export function probeTensorflow(): TensorflowProbe {
  const result = runCommand(process.execPath, ["-e", PROBE_SCRIPT], {
    cwd: projectRoot,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "3" },
    timeoutMs: 120_000,
  });
  try {
    return JSON.parse(result.stdout) as TensorflowProbe;
  } catch {
    return { ok: false, error: (result.stderr || result.stdout || "no output").trim().split("\n").slice(-1)[0] };
  }
}

/** Environment for node-gyp: Node's headers from this installation, never a download. */
export function nodeGypEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  const bin = path.join(projectRoot, "node_modules", ".bin");
  env.PATH = `${bin}${path.delimiter}${env.PATH ?? ""}`;
  if (!env.npm_config_nodedir) {
    const prefix = path.resolve(path.dirname(process.execPath), "..");
    if (fs.existsSync(path.join(prefix, "include", "node", "node.h"))) env.npm_config_nodedir = prefix;
  }
  return env;
}

/** Where the wheel and the files taken out of it are cached. */
export function tensorflowCacheDir(): string {
  return path.join(cacheDir(), `tensorflow-${TENSORFLOW_WHEEL_VERSION}`);
}

/**
 * Returns the cached `tensorflow-cpu` wheel, downloading it with pip the first time.
 *
 * @param log Progress printer.
 * @returns The wheel's path.
 * @throws {SetupError} When pip cannot fetch it.
 */
export function ensureWheel(log: (line: string) => void): string {
  const wheelDir = path.join(cacheDir(), "wheels");
  const find = (): string | undefined =>
    fs.existsSync(wheelDir)
      ? fs
          .readdirSync(wheelDir)
          .filter((f) => f.startsWith(`tensorflow_cpu-${TENSORFLOW_WHEEL_VERSION}-`) && f.endsWith(".whl"))
          .map((f) => path.join(wheelDir, f))[0]
      : undefined;
  const cached = find();
  if (cached) {
    log(`using cached wheel ${path.basename(cached)}`);
    return cached;
  }
  fs.mkdirSync(wheelDir, { recursive: true });
  log(`downloading tensorflow-cpu==${TENSORFLOW_WHEEL_VERSION} (about 275 MB, once) into ${wheelDir}`);
  const result = runCommand(
    "python3",
    ["-m", "pip", "download", "--no-deps", "--retries", "0", "--timeout", "15",
      `tensorflow-cpu==${TENSORFLOW_WHEEL_VERSION}`, "-d", wheelDir],
    { inherit: true },
  );
  const wheel = find();
  if (result.status !== 0 || !wheel) {
    throw new SetupError(
      `pip could not download tensorflow-cpu==${TENSORFLOW_WHEEL_VERSION}. ` +
        "Check that python3 and pip reach a package index (pip config list), or place the wheel in " +
        `${wheelDir} and run \`npm run seqlab -- setup\` again.`,
    );
  }
  return wheel;
}

const EXTRACT_SCRIPT = `
import sys, zipfile, os
wheel, dest = sys.argv[1], sys.argv[2]
wanted = ("tensorflow/libtensorflow_cc.so.2", "tensorflow/libtensorflow_framework.so.2")
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        name = info.filename
        if name in wanted or (name.startswith("tensorflow/include/") and not name.endswith("/")):
            z.extract(info, dest)
`;

/**
 * Takes the C libraries and headers out of the wheel into the cache (once).
 *
 * @returns The folder holding `tensorflow/libtensorflow_cc.so.2` and `tensorflow/include/`.
 */
export function ensureExtracted(wheel: string, log: (line: string) => void): string {
  const dest = path.join(tensorflowCacheDir(), "extracted");
  const marker = path.join(dest, ".complete");
  if (fs.existsSync(marker)) {
    log("using cached TensorFlow libraries and headers");
    return dest;
  }
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });
  log("extracting libtensorflow_cc, libtensorflow_framework and the C headers from the wheel");
  const result = runCommand("python3", ["-c", EXTRACT_SCRIPT, wheel, dest]);
  if (result.status !== 0) {
    throw new SetupError(
      `could not unpack ${wheel}: ${result.stderr.trim().split("\n").slice(-1)[0] ?? ""}. ` +
        "Free some disk space (about 1.2 GB is needed) or delete the wheel so it is downloaded again.",
    );
  }
  fs.writeFileSync(marker, new Date().toISOString());
  return dest;
}

/** Hard-links `src` to `dest` (same file system, no extra space), copying where it can't. */
function linkOrCopy(src: string, dest: string): void {
  fs.rmSync(dest, { force: true });
  try {
    fs.linkSync(src, dest);
  } catch {
    fs.copyFileSync(src, dest);
  }
}

/** Mirrors the folder tree `src` into `dest` with {@link linkOrCopy} for every file. */
function linkTree(src: string, dest: string): void {
  fs.mkdirSync(dest, { recursive: true });
  for (const entry of fs.readdirSync(src, { withFileTypes: true })) {
    const from = path.join(src, entry.name);
    const to = path.join(dest, entry.name);
    if (entry.isDirectory()) linkTree(from, to);
    else if (entry.isFile()) linkOrCopy(from, to);
  }
}

/**
 * Lays the libraries out under tfjs-node's `deps/` with the names its build and its
 * addon's loader look for.
 */
export function installDeps(extracted: string, pkgDir: string): void {
  const lib = path.join(pkgDir, "deps", "lib");
  const include = path.join(pkgDir, "deps", "include");
  fs.rmSync(path.join(pkgDir, "deps"), { recursive: true, force: true });
  fs.mkdirSync(lib, { recursive: true });
  linkOrCopy(path.join(extracted, "tensorflow", "libtensorflow_cc.so.2"), path.join(lib, "libtensorflow.so.2"));
  linkOrCopy(
    path.join(extracted, "tensorflow", "libtensorflow_framework.so.2"),
    path.join(lib, "libtensorflow_framework.so.2"),
  );
  const links: Array<[string, string]> = [
    ["libtensorflow.so", "libtensorflow.so.2"],
    ["libtensorflow.so.2.9.1", "libtensorflow.so.2"],
    ["libtensorflow_cc.so.2", "libtensorflow.so.2"],
    ["libtensorflow_framework.so", "libtensorflow_framework.so.2"],
    ["libtensorflow_framework.so.2.9.1", "libtensorflow_framework.so.2"],
  ];
  for (const [name, target] of links) fs.symlinkSync(target, path.join(lib, name));
  linkTree(path.join(extracted, "tensorflow", "include"), include);
}

/**
 * Ensures tfjs-node loads with the `tensorflow` backend; idempotent and fast when it does.
 *
 * @param log Progress printer.
 * @returns The final probe.
 * @throws {SetupError} With the remedy, when no route works.
 */
export function ensureTensorflow(log: (line: string) => void): TensorflowProbe {
  const first = probeTensorflow();
  if (first.ok) {
    log(`tfjs-node ${first.tfjsNodeVersion} already loads: backend ${first.backend}, TensorFlow ${first.tfVersion}`);
    return first;
  }
  const pkgDir = tfjsNodeDir();
  const env = nodeGypEnv();
  if (process.env.SEQLAB_TF_FROM_WHEEL !== "1") {
    log("trying tfjs-node's own download of libtensorflow 2.9.1 and its prebuilt addon");
    const own = runCommand(process.execPath, [path.join("scripts", "install.js")], { cwd: pkgDir, env, timeoutMs: 300_000 });
    const afterOwn = own.status === 0 ? probeTensorflow() : { ok: false };
    if (afterOwn.ok) {
      log(`tfjs-node's download worked: TensorFlow ${(afterOwn as TensorflowProbe).tfVersion}`);
      return afterOwn as TensorflowProbe;
    }
    log("that download is unreachable here; using the TensorFlow libraries from the tensorflow-cpu wheel instead");
  }
  assertCompiler();
  const wheel = ensureWheel(log);
  const extracted = ensureExtracted(wheel, log);
  installDeps(extracted, pkgDir);
  log("compiling the tfjs-node addon against TensorFlow " + TENSORFLOW_WHEEL_VERSION + " (about 20 s)");
  const build = runCommand(process.execPath, [path.join("scripts", "install.js")], { cwd: pkgDir, env });
  const last = probeTensorflow();
  if (!last.ok) {
    const detail = (build.stderr || build.stdout).trim().split("\n").slice(-5).join("\n");
    throw new SetupError(
      `tfjs-node still does not load (${last.error ?? `backend ${last.backend}`}).\n${detail}\n` +
        "Check that g++ and make are installed (apt-get install g++ make) and run `npm run seqlab -- setup` again.",
    );
  }
  log(`tfjs-node loads: backend ${last.backend}, TensorFlow ${last.tfVersion}`);
  return last;
}

/**
 * Throws a clear error when the C++ toolchain node-gyp needs is missing.
 *
 * @throws {SetupError} Naming the packages to install.
 */
export function assertCompiler(): void {
  for (const tool of ["g++", "make"]) {
    const r = runCommand(tool, ["--version"]);
    if (r.error || r.status !== 0) {
      throw new SetupError(
        `\`${tool}\` was not found; it is needed to compile TensorFlow's Node addon. ` +
          "Install a compiler (Debian/Ubuntu: `sudo apt-get install g++ make`) and run `npm install` again.",
      );
    }
  }
}
