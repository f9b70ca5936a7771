/**
 * tfjs-layers' own recurrent classes and factories, captured when this module loads, before
 * seqlab's patches (`_recurrent-patches.ts`) put the fused ones behind the same names.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import type { GRU, GRUCell, LSTM, SimpleRNN } from "@tensorflow/tfjs-layers/dist/layers/recurrent";

/** tfjs' serialization registry: class name → [class, fromConfig]. */
export type ClassRegistry = Record<string, [unknown, unknown]>;

/**
 * The serialization registry tfjs-layers deserializes layers from.
 *
 * @returns tfjs' own map (mutable).
 */
export function classRegistry(): ClassRegistry {
  return tf.serialization.SerializationMap.getMap().classNameMap as unknown as ClassRegistry;
}

function capture<T>(name: string): T {
  const entry = classRegistry()[name];
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

/** The recurrent factory names of `tf.layers`. */
export type FactoryName = "lstm" | "gru" | "simpleRNN";
/** A `tf.layers` recurrent factory. */
export type LayerFactory = (args: never) => tf.layers.Layer;

/** `tf.layers` as a mutable record of its recurrent factories. */
export const layersNamespace = tf.layers as unknown as Record<FactoryName, LayerFactory>;

/** tfjs-layers' own factories `tf.layers.lstm`, `gru` and `simpleRNN`. */
export const STANDARD_FACTORIES: Readonly<Record<FactoryName, LayerFactory>> = {
  lstm: layersNamespace.lstm,
  gru: layersNamespace.gru,
  simpleRNN: layersNamespace.simpleRNN,
};
