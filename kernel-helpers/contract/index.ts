/**
 * The contract between the seqlab kernel and kernel-helpers, in one place both import: the
 * `globalThis` keys and types of the display sink, the interrupt signal and the cell scope,
 * the MIME types both use, the watchdog's shared-memory slots, where the native fused ops are
 * built, and the registry of global patches. Neither side declares these keys itself.
 *
 * Importing this module changes nothing and loads no TensorFlow (the watchdog worker thread
 * imports it); {@link helperPatches} loads the helpers' model code on first call.
 *
 * @module
 */
import type { GlobalPatch } from "./global-patches";

export * from "./display-sink";
export * from "./interrupt-signal";
export * from "./cell-scope";
export * from "./mime-types";
export * from "./watchdog-slots";
export * from "./native-build";
export * from "./global-patches";

/**
 * The helpers' global patches, in install order: the fused layers behind
 * `tf.layers.lstm/gru/simpleRNN` and behind the `"LSTM"`/`"GRU"`/`"SimpleRNN"` registry
 * entries and the fused Adam update, Embedding lookup and binary cross-entropy (process-wide),
 * and the `console.warn` filter builders use (call-scoped).
 * Loads TensorFlow and the model code on first call; installs nothing.
 *
 * @returns The patches.
 * @example
 * ```ts
 * import { helperPatches, installPatches } from "kernel-helpers/contract";
 * installPatches(helperPatches());
 * helperPatches().map((p) => p.name); // ["tf.layers recurrent factories", "tfjs recurrent class registry", "tfjs Adam update", "tfjs Embedding lookup", "tfjs sparseCategoricalCrossentropy loss", "tfjs softmax gradient", "tfjs binaryCrossentropy loss", "tfjs Dense layer", "console.warn orthogonal notice"]
 * ```
 */
export function helperPatches(): readonly GlobalPatch[] {
  // Required lazily so that importing the contract stays free of TensorFlow.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const models = require("../models/_recurrent-patches") as { HELPER_PATCHES: readonly GlobalPatch[] };
  return models.HELPER_PATCHES;
}
