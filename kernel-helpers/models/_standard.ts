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

type LayersNamespace = Record<"lstm" | "gru" | "simpleRNN", unknown>;
const layersNamespace = tf.layers as unknown as LayersNamespace;

/** tfjs-layers' own factories `tf.layers.lstm`, `gru` and `simpleRNN`, before seqlab replaces them. */
export const STANDARD_FACTORIES: LayersNamespace = {
  lstm: layersNamespace.lstm,
  gru: layersNamespace.gru,
  simpleRNN: layersNamespace.simpleRNN,
};

/**
 * Points `tf.layers.lstm`, `gru` and `simpleRNN` at the given factories.
 *
 * @param factories The factories to install.
 * @returns The ones they replace.
 */
export function setLayerFactories(factories: LayersNamespace): LayersNamespace {
  const previous = { lstm: layersNamespace.lstm, gru: layersNamespace.gru, simpleRNN: layersNamespace.simpleRNN };
  layersNamespace.lstm = factories.lstm;
  layersNamespace.gru = factories.gru;
  layersNamespace.simpleRNN = factories.simpleRNN;
  return previous;
}

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
 * Runs `fn` with tfjs-layers' stock recurrent layers: `tf.layers.lstm`, `gru` and `simpleRNN`
 * are the stock factories and the stock `LSTM`, `GRU` and `SimpleRNN` classes are registered
 * for deserialization; seqlab's fused ones come back afterwards (after the promise settles
 * when `fn` returns one). Use it to build a stock `tf.layers.bidirectional` wrapper (which
 * recreates its inner layers from their config) or to load a saved model with the standard
 * layers.
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
  const previousFactories = setLayerFactories(STANDARD_FACTORIES);
  const restore = (): void => {
    setRegistered(previous.map(([n, e]) => [n, e[0]]));
    setLayerFactories(previousFactories);
  };
  let result: T;
  try {
    result = fn();
  } catch (err) {
    restore();
    throw err;
  }
  if (result instanceof Promise) return result.finally(restore) as T;
  restore();
  return result;
}
