/**
 * Loads seqlab's compiled recurrent kernels (`native/*_ops.cc`) into the running
 * TensorFlow and runs TensorFlow ops by name through tfjs-node's backend.
 *
 * The library is built by `seqlab setup` (see `src/setup/fused-ops.ts`) into
 * `kernel-helpers/models/native/build/` (`NATIVE_BUILD_DIR` of `contract/native-build.ts`), or
 * into the folder `SEQLAB_FUSED_BUILD_DIR` names, read when the library is first loaded.
 * When it is missing, fails to load, the backend is not `tensorflow`, or `SEQLAB_FUSED=0` is
 * set (checked at every call, so it can be toggled), {@link fusedOpsStatus} says why and the fused layers run as the standard tfjs-layers ones.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-node";
import { LOADER_ADDON_NAME, OPS_LIBRARY_NAME, nativeBuildDir } from "../contract/native-build";

/** Whether the fused kernels can run, and why not. */
export interface FusedOpsStatus {
  /** True when the op library is loaded and the backend is `tensorflow`. */
  available: boolean;
  /** Why the fused kernels are unavailable (empty when available). */
  reason: string;
  /** The op library loaded into this process (absolute path), when available. */
  library?: string;
}

/** A scalar op attribute: an int, a bool or a string. */
export interface OpAttr {
  /** The attribute's name in the op definition, e.g. `"activation"`. */
  name: string;
  /** An int attribute (number), a bool attribute or a string attribute. */
  value: number | boolean | string;
}

interface Binding {
  TF_ATTR_INT: number;
  TF_ATTR_BOOL: number;
  TF_ATTR_STRING: number;
}
interface NodeBackendLike {
  binding: Binding;
  executeMultipleOutputs(name: string, attrs: unknown[], inputs: tf.Tensor[], n: number): tf.Tensor[];
}

let loaded: { status: FusedOpsStatus; backend: NodeBackendLike | null } | null = null;

function tryLoad(lib: string): { status: FusedOpsStatus; backend: NodeBackendLike | null } {
  const addon = path.join(path.dirname(lib), LOADER_ADDON_NAME);
  if (!fs.existsSync(lib) || !fs.existsSync(addon)) {
    return {
      status: {
        available: false,
        reason: "the fused recurrent kernels are not built (run `npm run seqlab -- setup`, which needs g++)",
      },
      backend: null,
    };
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const kernelBackend = require("@tensorflow/tfjs-node/dist/nodejs_kernel_backend") as {
      nodeBackend(): NodeBackendLike;
    };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loader = require(addon) as { loadLibrary(p: string): boolean };
    loader.loadLibrary(lib);
    return { status: { available: true, reason: "", library: lib }, backend: kernelBackend.nodeBackend() };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { status: { available: false, reason: `the fused kernels failed to load: ${message}` }, backend: null };
  }
}

/**
 * Reports whether the fused recurrent kernels can run in this process (loading them on first
 * call).
 *
 * @returns `{available, reason, library}`; `reason` explains a `false`; `library` is the op
 *   library loaded (from `SEQLAB_FUSED_BUILD_DIR` when set).
 * @example
 * ```ts
 * import { fusedOpsStatus } from "kernel-helpers";
 * fusedOpsStatus().available; // true
 * fusedOpsStatus().library?.endsWith("seqlab_rnn_ops.so"); // true
 * ```
 */
export function fusedOpsStatus(): FusedOpsStatus {
  if (process.env.SEQLAB_FUSED === "0") return { available: false, reason: "SEQLAB_FUSED=0 is set" };
  if (tf.getBackend() !== "tensorflow") {
    return { available: false, reason: `the tfjs backend is "${tf.getBackend()}", not "tensorflow"` };
  }
  if (loaded === null) {
    const lib = path.join(nativeBuildDir(), OPS_LIBRARY_NAME);
    const attempt = tryLoad(lib);
    // A library that is not built yet may be built later in this process (setup): look again then.
    if (attempt.status.available || attempt.backend !== null || fs.existsSync(lib)) {
      loaded = attempt;
    }
    return attempt.status;
  }
  return loaded.status;
}

/**
 * Runs a TensorFlow op by name with int/bool attributes and float inputs.
 *
 * @param name Op name, e.g. `"SeqlabLstm"`.
 * @param attrs Scalar attributes.
 * @param inputs Input tensors (float32).
 * @param numOutputs How many outputs the op has.
 * @returns The op's outputs, new tensors owned by the caller.
 * @throws Error when the kernels are unavailable.
 */
export function runOp(name: string, attrs: OpAttr[], inputs: tf.Tensor[], numOutputs: number): tf.Tensor[] {
  const status = fusedOpsStatus();
  if (!status.available || loaded?.backend == null) throw new Error(`Cannot run ${name}: ${status.reason}`);
  const backend = loaded.backend;
  const opAttrs = attrs.map((a) => ({
    name: a.name,
    type:
      typeof a.value === "boolean"
        ? backend.binding.TF_ATTR_BOOL
        : typeof a.value === "string"
          ? backend.binding.TF_ATTR_STRING
          : backend.binding.TF_ATTR_INT,
    value: a.value,
  }));
  return backend.executeMultipleOutputs(name, opAttrs, inputs, numOutputs);
}

/**
 * A check that some kernels of the op library can run: `probe` runs them once on tiny inputs
 * (inside `tf.tidy`); the answer is kept for the process, and the check is false whenever the
 * library is unavailable (`SEQLAB_FUSED=0` is read at every call). A library built before
 * those kernels existed fails the probe until `seqlab setup` rebuilds it.
 *
 * @param probe Runs the kernels; throws when they are missing.
 * @returns The check.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-node";
 * const canSoftmaxGrad = kernelProbe(() => runOp("SeqlabSoftmaxGrad", [{ name: "k", value: 1 }], [tf.ones([1]), tf.ones([1])], 1));
 * canSoftmaxGrad(); // true
 * ```
 */
export function kernelProbe(probe: () => void): () => boolean {
  let probed: boolean | null = null;
  return () => {
    if (!fusedOpsStatus().available) return false;
    if (probed === null) {
      try {
        tf.tidy(probe);
        probed = true;
      } catch {
        probed = false;
      }
    }
    return probed;
  };
}
