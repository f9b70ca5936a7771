/**
 * Where seqlab's fused recurrent kernels live: the C++ sources in kernel-helpers, and the
 * folder `seqlab setup` compiles them into, from which the helpers load them.
 *
 * Two settings change that for building and testing another CPU target:
 * `SEQLAB_FUSED_BUILD_DIR` (the folder the library is built into and loaded from, default
 * {@link NATIVE_BUILD_DIR}) and `SEQLAB_FUSED_MARCH` (the compiler's `-march`, default `native`).
 *
 * @module
 */
import * as path from "node:path";
import { InvalidArgumentError } from "../errors";

/** The kernel-helpers package folder (this file is `dist/contract/native-build.js` in it). */
const PACKAGE_DIR = path.resolve(__dirname, "..", "..");

/**
 * Folder holding the C++ sources of the fused ops (`*_ops.cc`) and their loader addon.
 *
 * @example
 * ```ts
 * import { NATIVE_SOURCE_DIR } from "kernel-helpers/contract";
 * NATIVE_SOURCE_DIR.endsWith("native"); // true
 * ```
 */
export const NATIVE_SOURCE_DIR: string = path.join(PACKAGE_DIR, "models", "native");

/**
 * Folder the compiled op library and loader addon go into (not in git).
 *
 * @example
 * ```ts
 * import { NATIVE_BUILD_DIR, OPS_LIBRARY_NAME } from "kernel-helpers/contract";
 * const library = `${NATIVE_BUILD_DIR}/${OPS_LIBRARY_NAME}`;
 * ```
 */
export const NATIVE_BUILD_DIR: string = path.join(NATIVE_SOURCE_DIR, "build");

/**
 * The folder the op library is built into and loaded from: `SEQLAB_FUSED_BUILD_DIR` (resolved
 * against the working directory) when set and not empty, else {@link NATIVE_BUILD_DIR}.
 *
 * @param env The environment to read (default `process.env`).
 * @returns An absolute folder path.
 * @example
 * ```ts
 * import { NATIVE_BUILD_DIR, nativeBuildDir } from "kernel-helpers/contract";
 * nativeBuildDir({}) === NATIVE_BUILD_DIR; // true
 * nativeBuildDir({ SEQLAB_FUSED_BUILD_DIR: "build-avx2" }); // the absolute path of ./build-avx2
 * ```
 */
export function nativeBuildDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.SEQLAB_FUSED_BUILD_DIR;
  return dir === undefined || dir === "" ? NATIVE_BUILD_DIR : path.resolve(dir);
}

/**
 * The `-march` the op library is compiled for: `SEQLAB_FUSED_MARCH` when set and not empty,
 * else `native` (the CPU that builds it).
 *
 * @param env The environment to read (default `process.env`).
 * @returns A `-march` value of letters, digits, `-`, `_` and `.` only.
 * @throws InvalidArgumentError when the value holds any other character.
 * @example
 * ```ts
 * import { nativeMarch } from "kernel-helpers/contract";
 * nativeMarch({}); // "native"
 * nativeMarch({ SEQLAB_FUSED_MARCH: "haswell" }); // "haswell"
 * ```
 */
export function nativeMarch(env: NodeJS.ProcessEnv = process.env): string {
  const march = env.SEQLAB_FUSED_MARCH;
  if (march === undefined || march === "") return "native";
  if (!/^[A-Za-z0-9._-]+$/.test(march)) {
    throw new InvalidArgumentError(
      "SEQLAB_FUSED_MARCH must be a compiler -march value of letters, digits, `-`, `_` and `.` only " +
        `(e.g. native, haswell, x86-64-v3); unset it to build for this CPU. Received: SEQLAB_FUSED_MARCH=${JSON.stringify(march)}`,
    );
  }
  return march;
}

/** File name of the compiled op library. */
export const OPS_LIBRARY_NAME = "seqlab_rnn_ops.so";

/** File name of the Node-API addon that calls `TF_LoadLibrary`. */
export const LOADER_ADDON_NAME = "tf_load_library.node";
