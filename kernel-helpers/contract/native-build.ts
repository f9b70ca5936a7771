/**
 * Where seqlab's fused recurrent kernels live: the C++ sources in kernel-helpers, and the
 * folder `seqlab setup` compiles them into, from which the helpers load them.
 *
 * @module
 */
import * as path from "node:path";

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

/** File name of the compiled op library. */
export const OPS_LIBRARY_NAME = "seqlab_rnn_ops.so";

/** File name of the Node-API addon that calls `TF_LoadLibrary`. */
export const LOADER_ADDON_NAME = "tf_load_library.node";
