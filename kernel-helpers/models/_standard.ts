/**
 * tfjs-layers' own recurrent classes, captured from the serialization registry before seqlab
 * registers its fused classes under the same names.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import type { GRU, GRUCell, LSTM, SimpleRNN } from "@tensorflow/tfjs-layers/dist/layers/recurrent";

type Registry = Record<string, [unknown, unknown]>;

function registry(): Registry {
  return tf.serialization.SerializationMap.getMap().classNameMap as unknown as Registry;
}

function capture<T>(name: string): T {
  const entry = registry()[name];
  if (entry === undefined) throw new Error(`tfjs-layers has no registered class "${name}"`);
  return entry[0] as T;
}

/** The stock tfjs-layers `LSTM` class. */
export const StandardLSTM = capture<typeof LSTM>("LSTM");
/** The stock tfjs-layers `GRU` class. */
export const StandardGRU = capture<typeof GRU>("GRU");
/** The stock tfjs-layers `GRUCell` class. */
export const StandardGRUCell = capture<typeof GRUCell>("GRUCell");
/** The stock tfjs-layers `SimpleRNN` class. */
export const StandardSimpleRNN = capture<typeof SimpleRNN>("SimpleRNN");

const STANDARD: Array<[string, unknown]> = [
  ["LSTM", StandardLSTM],
  ["GRU", StandardGRU],
  ["SimpleRNN", StandardSimpleRNN],
];

function setRegistered(classes: Array<[string, unknown]>): Array<[string, [unknown, unknown]]> {
  const map = registry();
  const previous: Array<[string, [unknown, unknown]]> = classes.map(([name]) => [name, map[name]]);
  for (const [name, cls] of classes) {
    map[name] = [cls, (cls as { fromConfig: unknown }).fromConfig];
  }
  return previous;
}

/**
 * Runs `fn` with tfjs-layers' stock `LSTM`, `GRU` and `SimpleRNN` classes registered for
 * deserialization, then restores seqlab's fused ones (after the promise settles when `fn`
 * returns one). Use it to build a stock `tf.layers.bidirectional` wrapper (which recreates its
 * inner layers from their config) or to load a saved model with the standard layers.
 *
 * @param fn The code to run.
 * @returns What `fn` returns.
 * @throws Whatever `fn` throws (the registry is restored first).
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-node";
 * import { withStandardRecurrentLayers } from "kernel-helpers";
 * const bi = withStandardRecurrentLayers(() =>
 *   tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 8 }) }));
 * ```
 */
export function withStandardRecurrentLayers<T>(fn: () => T): T {
  const previous = setRegistered(STANDARD);
  let result: T;
  try {
    result = fn();
  } catch (err) {
    setRegistered(previous.map(([n, e]) => [n, e[0]]));
    throw err;
  }
  if (result instanceof Promise) {
    return result.finally(() => setRegistered(previous.map(([n, e]) => [n, e[0]]))) as T;
  }
  setRegistered(previous.map(([n, e]) => [n, e[0]]));
  return result;
}
