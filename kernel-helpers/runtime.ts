/**
 * Facts about where the notebook runs: the TensorFlow backend and quick mode.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";

/** What {@link backendInfo} reports. */
export interface BackendInfo {
  /** The active tfjs backend; `"tensorflow"` means native TensorFlow. */
  backend: string;
  /** The TensorFlow C library version, e.g. `"2.21.0"` (empty when not native). */
  tensorflow: string;
  /** The `@tensorflow/tfjs-node` package version. */
  tfjsNode: string;
}

/**
 * Reports the tfjs backend and the TensorFlow version behind it.
 *
 * @returns Backend name and versions.
 * @example
 * ```ts
 * backendInfo(); // { backend: "tensorflow", tensorflow: "2.21.0", tfjsNode: "4.22.0" }
 * ```
 */
export function backendInfo(): BackendInfo {
  const backend = tf.getBackend();
  let tensorflow = "";
  try {
    const b = tf.backend() as unknown as { binding?: { TF_Version?: string } };
    tensorflow = b.binding?.TF_Version ?? "";
  } catch {
    tensorflow = "";
  }
  return { backend, tensorflow, tfjsNode: tf.version["tfjs-node"] ?? "" };
}

/**
 * Whether quick mode is on (`SEQLAB_QUICK=1`, set by `npm run course` and the tests):
 * notebooks then shrink data and epochs so they run in seconds.
 *
 * @returns `true` in quick mode.
 * @example
 * ```ts
 * const epochs = quickMode() ? 2 : 30;
 * ```
 */
export function quickMode(): boolean {
  return process.env.SEQLAB_QUICK === "1";
}
