/**
 * The helpers' global patches, which put seqlab's fused recurrent layers behind tfjs' names,
 * and {@link withStandardRecurrentLayers}, which gets the stock ones back for one piece of
 * code (and the async work it starts) without touching global state.
 *
 * - `tf.layers recurrent factories`: `tf.layers.lstm`, `gru` and `simpleRNN` build the fused
 *   layers, so students' `tf.layers.lstm(...)` runs fused unchanged.
 * - `tfjs recurrent class registry`: the serialization registry's `"LSTM"`, `"GRU"` and
 *   `"SimpleRNN"` entries build the fused layers, so `tf.loadLayersModel` and the
 *   `Bidirectional` wrapper (which rebuilds its inner layer from its config) give fused layers.
 * - `console.warn orthogonal notice` (scope: call): during a builder call, drops tfjs'
 *   "Orthogonal initializer is being called on a matrix with more than 2000 elements" notice.
 * - `tfjs Adam update`, `tfjs Embedding lookup`, `tfjs binaryCrossentropy loss` and `tfjs Dense
 *   layer`: one fused kernel per Adam update, per Embedding lookup and gradient, per binary
 *   cross-entropy loss and gradient, and per small Dense layer's call and gradient, same
 *   results (see `_training-patches.ts`); `tfjs sparseCategoricalCrossentropy loss` likewise
 *   for that loss (`_sparse-ce-patch.ts`), and `tfjs softmax gradient` for softmax's gradient
 *   (`_softmax-grad-patch.ts`).
 *
 * The installed factories and registry entries ask {@link currentRecurrentImpl} at each call:
 * inside {@link withStandardRecurrentLayers} (an `AsyncLocalStorage` context) they build the
 * stock layers, everywhere else the fused ones. Installing is explicit (the kernel installs
 * every patch through `src/kernel/global-patches.ts`); importing `kernel-helpers` (or
 * `kernel-helpers/models`) also installs the two process-wide ones, so plain Node scripts and
 * tests get fused layers behind `tf.layers.*` as in the kernel.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { definePatch, type GlobalPatch } from "../contract/global-patches";
import { FusedGRU, FusedLSTM, FusedSimpleRNN, gru, lstm, simpleRNN } from "./fused-layers";
import { ADAM_PATCH, BCE_LOSS_PATCH, DENSE_PATCH, EMBEDDING_PATCH } from "./_training-patches";
import { SPARSE_CE_LOSS_PATCH } from "./_sparse-ce-patch";
import { SOFTMAX_GRAD_PATCH } from "./_softmax-grad-patch";
import {
  classRegistry,
  type FactoryName,
  type LayerFactory,
  layersNamespace,
  STANDARD_FACTORIES,
  StandardGRU,
  StandardLSTM,
  StandardSimpleRNN,
} from "./_standard";

/** `"fused"`: seqlab's fused layers; `"standard"`: tfjs-layers' own. */
export type RecurrentImpl = "fused" | "standard";

const implementation = new AsyncLocalStorage<RecurrentImpl>();

/**
 * The recurrent implementation `tf.layers.lstm`/`gru`/`simpleRNN` and model loading use here
 * and now: `"standard"` inside {@link withStandardRecurrentLayers}, else `"fused"`.
 *
 * @returns The implementation of the current (async) context.
 */
export function currentRecurrentImpl(): RecurrentImpl {
  return implementation.getStore() ?? "fused";
}

/**
 * Runs `fn` with tfjs-layers' stock recurrent layers: inside it, and in all async work it
 * starts (awaits, timers, promises), `tf.layers.lstm`, `gru` and `simpleRNN` build the stock
 * layers and saved `"LSTM"`/`"GRU"`/`"SimpleRNN"` layers load as the stock classes. Code
 * running concurrently elsewhere (another cell, a timer started before) keeps the fused
 * layers: nothing global changes. Use it to build a stock `tf.layers.bidirectional` wrapper
 * or to load a saved model with the standard layers.
 *
 * @param fn The code to run (synchronous or async).
 * @returns What `fn` returns.
 * @throws Whatever `fn` throws.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-node";
 * import { withStandardRecurrentLayers, FusedLSTM } from "kernel-helpers";
 * const bi = withStandardRecurrentLayers(() =>
 *   tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 8 }) as tf.RNN }));
 * tf.layers.lstm({ units: 8 }) instanceof FusedLSTM; // true
 * ```
 */
export function withStandardRecurrentLayers<T>(fn: () => T): T {
  return implementation.run("standard", fn);
}

const FUSED: Record<FactoryName, LayerFactory> = { lstm, gru, simpleRNN } as Record<FactoryName, LayerFactory>;

function dispatchingFactory(name: FactoryName): LayerFactory {
  return (args) => (currentRecurrentImpl() === "standard" ? STANDARD_FACTORIES[name] : FUSED[name])(args);
}

/** The `tf.layers.lstm/gru/simpleRNN` patch (see the module notes). */
export const FACTORIES_PATCH: GlobalPatch = definePatch({
  name: "tf.layers recurrent factories",
  target: "tf.layers.lstm, tf.layers.gru, tf.layers.simpleRNN",
  purpose: "students' tf.layers.lstm/gru/simpleRNN build seqlab's fused layers",
  owner: "kernel-helpers",
  scope: "process",
  apply() {
    const names: FactoryName[] = ["lstm", "gru", "simpleRNN"];
    const previous = names.map((n) => [n, layersNamespace[n]] as const);
    for (const n of names) layersNamespace[n] = dispatchingFactory(n);
    return () => {
      for (const [n, f] of previous) layersNamespace[n] = f;
    };
  },
});

type FromConfig = (cls: unknown, config: unknown, ...rest: unknown[]) => unknown;
interface Deserializable {
  fromConfig: FromConfig;
}

function dispatchingEntry(fused: unknown, standard: unknown): [unknown, FromConfig] {
  const fromConfig: FromConfig = (_cls, config, ...rest) => {
    const cls = (currentRecurrentImpl() === "standard" ? standard : fused) as Deserializable;
    return cls.fromConfig(cls, config, ...rest);
  };
  return [fused, fromConfig];
}

/** The serialization-registry patch (see the module notes). */
export const REGISTRY_PATCH: GlobalPatch = definePatch({
  name: "tfjs recurrent class registry",
  target: 'tf.serialization registry entries "LSTM", "GRU", "SimpleRNN"',
  purpose: "saved models and Bidirectional wrappers rebuild recurrent layers as seqlab's fused layers",
  owner: "kernel-helpers",
  scope: "process",
  apply() {
    const entries: Array<[string, unknown, unknown]> = [
      ["LSTM", FusedLSTM, StandardLSTM],
      ["GRU", FusedGRU, StandardGRU],
      ["SimpleRNN", FusedSimpleRNN, StandardSimpleRNN],
    ];
    const map = classRegistry();
    const previous = entries.map(([name]) => [name, map[name]] as const);
    for (const [name, fused, standard] of entries) map[name] = dispatchingEntry(fused, standard);
    return () => {
      for (const [name, entry] of previous) {
        if (entry === undefined) delete map[name];
        else map[name] = entry;
      }
    };
  },
});

const ORTHOGONAL_NOTICE = "Orthogonal initializer is being called";

/**
 * The `console.warn` filter around builder calls: tfjs prints "Orthogonal initializer is being
 * called on a matrix with more than 2000 elements" on every build with Keras' default
 * recurrent initializer and 32+ units, which says nothing actionable.
 */
export const QUIET_ORTHOGONAL_PATCH: GlobalPatch = definePatch({
  name: "console.warn orthogonal notice",
  target: "console.warn",
  purpose: "builders hide tfjs' unactionable 'Orthogonal initializer ... 2000 elements' notice",
  owner: "kernel-helpers",
  scope: "call",
  apply() {
    const original = console.warn;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === "string" && args[0].startsWith(ORTHOGONAL_NOTICE)) return;
      original(...args);
    };
    return () => {
      console.warn = original;
    };
  },
});

/**
 * The helpers' global patches, in install order (the training-step ones are in
 * `_training-patches.ts`).
 */
export const HELPER_PATCHES: readonly GlobalPatch[] = [
  FACTORIES_PATCH,
  REGISTRY_PATCH,
  ADAM_PATCH,
  EMBEDDING_PATCH,
  SPARSE_CE_LOSS_PATCH,
  SOFTMAX_GRAD_PATCH,
  BCE_LOSS_PATCH,
  DENSE_PATCH,
  QUIET_ORTHOGONAL_PATCH,
];
