/**
 * Shared helpers for the models tests: deterministic tensors, the standard-path switch,
 * comparisons, and running code with seqlab's helper patches uninstalled (tfjs' own code).
 */
import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs-node";
import { fusedOpsStatus, setFusedNoticeHandler } from "kernel-helpers";
import { helperPatches, type GlobalPatch } from "kernel-helpers/contract";
import { buildFusedOps } from "../../../src/setup/fused-ops";

/** Notices the fused layers emitted during the tests (kept quiet). */
export const notices: string[] = [];
setFusedNoticeHandler((m) => notices.push(m));

/** A deterministic tensor: sin(step * i + phase) * scale over the flat index i. */
export function wave(shape: number[], scale = 1, phase = 0, step = 0.7): tf.Tensor {
  return tf.tidy(() => {
    const n = shape.reduce((a, b) => a * b, 1);
    return tf.reshape(tf.mul(tf.sin(tf.add(tf.mul(tf.range(0, n), step), phase)), scale), shape);
  });
}

/** Runs `fn` with the fused kernels switched off (`SEQLAB_FUSED=0`): layers take the standard path. */
export function standardPath<T>(fn: () => T): T {
  const previous = process.env.SEQLAB_FUSED;
  process.env.SEQLAB_FUSED = "0";
  try {
    return fn();
  } finally {
    if (previous === undefined) delete process.env.SEQLAB_FUSED;
    else process.env.SEQLAB_FUSED = previous;
  }
}

/** Largest absolute difference between two tensors of the same shape. */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  if (a.shape.join(",") !== b.shape.join(",")) {
    throw new Error(`shapes differ: [${a.shape}] vs [${b.shape}]`);
  }
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** Gives every weight of `layer` deterministic values (distinct per weight). */
export function setWaveWeights(layer: tf.layers.Layer, scale = 0.5): void {
  const values = layer.getWeights().map((w, i) => wave(w.shape, scale, 0.37 * (i + 1)));
  layer.setWeights(values);
  tf.dispose(values);
}

/** Forward output and gradients (inputs first, then every trainable weight) of sum(y * c). */
export function outputAndGrads(
  run: (x: tf.Tensor) => tf.Tensor,
  x: tf.Tensor,
  weights: tf.Variable[],
): { y: tf.Tensor; grads: tf.Tensor[] } {
  const y = run(x);
  const c = wave(y.shape, 1, 0.5, 0.31);
  const loss = (xin: tf.Tensor) => tf.sum(tf.mul(run(xin), c));
  const dx = tf.grad(loss)(x);
  const { grads, value } = tf.variableGrads(() => loss(x) as tf.Scalar, weights);
  value.dispose();
  c.dispose();
  return { y, grads: [dx, ...weights.map((w) => grads[w.name])] };
}

/**
 * Makes sure the fused kernels are built and loaded (building them, as `seqlab setup` does,
 * when a fresh checkout has not run setup yet); throws with the reason when they cannot be.
 */
export function ensureFusedKernels(): void {
  if (fusedOpsStatus().available) return;
  const result = buildFusedOps(() => undefined);
  const status = fusedOpsStatus();
  if (!status.available) throw new Error(`fused kernels unavailable: ${status.reason} (${result.message})`);
}

/** The helper patch named `name` (throws when there is none). */
export function helperPatch(name: string): GlobalPatch {
  const found = helperPatches().find((p) => p.name === name);
  if (found === undefined) throw new Error(`no helper patch "${name}"`);
  return found;
}

/** Runs `fn` with the named helper patches uninstalled (tfjs' own code), then reinstalls them. */
export function withoutPatches<T>(names: string[], fn: () => T): T {
  const patches = names.map(helperPatch);
  patches.forEach((p) => p.uninstall());
  try {
    return fn();
  } finally {
    patches.forEach((p) => p.install());
  }
}

/** {@link withoutPatches} for an async `fn`: the patches stay uninstalled until it settles. */
export async function withoutPatchesAsync<T>(names: string[], fn: () => T | Promise<T>): Promise<T> {
  const patches = names.map(helperPatch);
  patches.forEach((p) => p.uninstall());
  try {
    return await fn();
  } finally {
    patches.forEach((p) => p.install());
  }
}

/** A loss function as tfjs-layers keeps it on a compiled model. */
export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** The loss functions a compiled model uses (a Sequential's inner model holds them). */
export function lossFunctions(model: tf.LayersModel): LossFn[] {
  const m = model as unknown as { model?: { lossFunctions: LossFn[] }; lossFunctions?: LossFn[] };
  return (m.lossFunctions ?? m.model!.lossFunctions);
}

/** Asserts equal values element by element (NaN equals NaN; 0 equals -0, whose sign tfjs' own ops do not keep either). */
export function assertSame(a: tf.Tensor, b: tf.Tensor, what: string): void {
  const x = a.dataSync();
  const y = b.dataSync();
  assert.equal(x.length, y.length);
  const i = x.findIndex((v, j) => !(v === y[j] || (Number.isNaN(v) && Number.isNaN(y[j]))));
  assert.equal(i, -1, `${what} differs at ${i}: ${x[i]} vs ${y[i]}`);
}
