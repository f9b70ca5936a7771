/**
 * Shared parts of the builders: validation, Keras' recurrent-layer defaults, and the stack of
 * (optionally bidirectional) recurrent layers in the fused or standard implementation.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { assertOneOf, assertPositiveInteger, describeValue, InvalidArgumentError } from "../errors";
import { FusedGRU, FusedLSTM, FusedSimpleRNN } from "./fused-layers";
import { duringCall } from "../contract/global-patches";
import { QUIET_ORTHOGONAL_PATCH, type RecurrentImpl, withStandardRecurrentLayers } from "./_recurrent-patches";
import { StandardGRU, StandardLSTM, StandardSimpleRNN } from "./_standard";

export type { RecurrentImpl };
/** The recurrent cell a builder uses. */
export type RecurrentCellType = "simpleRNN" | "lstm" | "gru";

/** The cell names builders accept. */
export const CELL_TYPES: readonly RecurrentCellType[] = ["simpleRNN", "lstm", "gru"];
const IMPLS: readonly RecurrentImpl[] = ["fused", "standard"];

/**
 * Validates the options every builder shares.
 *
 * @param cell The cell name.
 * @param units Units per recurrent layer.
 * @param layers Number of recurrent layers.
 * @param impl The implementation.
 * @throws {InvalidArgumentError} On a bad value.
 */
export function validateStackArgs(cell: unknown, units: unknown, layers: unknown, impl: unknown): void {
  assertOneOf(cell, CELL_TYPES, "cell");
  assertPositiveInteger(units, "units");
  assertPositiveInteger(layers, "layers");
  assertOneOf(impl, IMPLS, "impl");
}

/** How to build the recurrent stack. */
export interface StackOptions {
  cell: RecurrentCellType;
  units: number;
  layers: number;
  bidirectional: boolean;
  dropout: number;
  recurrentDropout: number;
  /** Whether the last layer returns the whole sequence. */
  lastReturnsSequences: boolean;
  impl: RecurrentImpl;
  /** Input shape of the first layer when it is the model's first layer. */
  inputShape?: tf.Shape;
}

// Keras' recurrent defaults, written out because tfjs-layers' differ
// (tfjs: recurrentActivation hardSigmoid, kernelInitializer glorotNormal, unitForgetBias off).
function kerasDefaults(cell: RecurrentCellType): Record<string, unknown> {
  const base: Record<string, unknown> = {
    activation: "tanh",
    kernelInitializer: "glorotUniform",
    recurrentInitializer: "orthogonal",
    biasInitializer: "zeros",
  };
  if (cell !== "simpleRNN") base.recurrentActivation = "sigmoid";
  if (cell === "lstm") base.unitForgetBias = true;
  return base;
}

function makeLayer(cell: RecurrentCellType, impl: RecurrentImpl, config: Record<string, unknown>): tf.layers.Layer {
  const args = { ...kerasDefaults(cell), ...config } as never;
  if (impl === "standard") {
    if (cell === "lstm") return new StandardLSTM(args);
    if (cell === "gru") return new StandardGRU(args);
    return new StandardSimpleRNN(args);
  }
  if (cell === "lstm") return new FusedLSTM(args);
  if (cell === "gru") return new FusedGRU(args);
  return new FusedSimpleRNN(args);
}

/**
 * Builds the recurrent layers of a model.
 *
 * @param opts What to build.
 * @returns The layers, in order.
 */
export function recurrentStack(opts: StackOptions): tf.layers.Layer[] {
  const out: tf.layers.Layer[] = [];
  for (let i = 0; i < opts.layers; i++) {
    const returnSequences = i < opts.layers - 1 || opts.lastReturnsSequences;
    const config: Record<string, unknown> = {
      units: opts.units,
      returnSequences,
      dropout: opts.dropout,
      recurrentDropout: opts.recurrentDropout,
    };
    const first = i === 0 && opts.inputShape !== undefined;
    if (opts.bidirectional) {
      const build = (): tf.layers.Layer =>
        tf.layers.bidirectional({
          layer: makeLayer(opts.cell, opts.impl, config) as never,
          mergeMode: "concat",
          ...(first ? { inputShape: opts.inputShape } : {}),
        });
      // The wrapper recreates its layers from their config: keep "standard" standard
      // (withStandardRecurrentLayers changes nothing outside this call).
      out.push(opts.impl === "standard" ? withStandardRecurrentLayers(build) : build());
    } else {
      out.push(makeLayer(opts.cell, opts.impl, first ? { ...config, inputShape: opts.inputShape } : config));
    }
  }
  return out;
}

/**
 * Runs `fn` with tfjs' "Orthogonal initializer is being called on a matrix with more than 2000
 * elements" notice filtered out of `console.warn` (the call-scoped global patch
 * `console.warn orthogonal notice`, see `_recurrent-patches.ts`).
 *
 * @param fn The model construction (synchronous).
 * @returns What `fn` returns.
 */
export function quietOrthogonal<T>(fn: () => T): T {
  return duringCall(QUIET_ORTHOGONAL_PATCH, fn);
}
