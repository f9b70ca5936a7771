/**
 * `sampleWithTemperature`: draw the next token from a probability vector.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { DataError, InvalidArgumentError, describeValue } from "../errors";

/**
 * A source of uniform numbers in [0, 1), like `Math.random` or a `seedrandom` generator.
 *
 * @example
 * ```ts
 * import seedrandom from "seedrandom";
 * const probs = [0.1, 0.6, 0.3];
 * sampleWithTemperature(probs, 0.8, seedrandom("42"));
 * ```
 */
export type SamplingRng = () => number;

/**
 * Samples an index from `probs` reshaped by a temperature, as in Keras' text generation
 * example: `p_i ∝ exp(ln(probs_i) / temperature)`. Temperature 1 samples `probs` as is,
 * below 1 sharpens towards the most likely token, above 1 flattens; temperature 0 returns
 * the argmax (first one on ties).
 *
 * @param probs Non-negative weights with a positive sum (a softmax output); a 1-D tensor is
 *   read, not disposed.
 * @param temperature A finite number `>= 0`.
 * @param rng Uniform random source (default `Math.random`); pass `seedrandom("42")` for
 *   reproducible draws.
 * @returns The sampled index.
 * @throws {InvalidArgumentError} When `probs` is empty or not numeric, or `temperature` is negative or not finite.
 * @throws {DataError} When a probability is negative or NaN, or all are zero.
 * @example
 * ```ts
 * import seedrandom from "seedrandom";
 * sampleWithTemperature([0.1, 0.7, 0.2], 0);   // 1
 * sampleWithTemperature([0.1, 0.7, 0.2], 1.2, seedrandom("1")); // 0, 1 or 2
 * ```
 */
export function sampleWithTemperature(probs: ArrayLike<number> | tf.Tensor, temperature: number, rng: SamplingRng = Math.random): number {
  let p: ArrayLike<number>;
  if (probs instanceof tf.Tensor) {
    if (probs.rank !== 1) {
      throw new InvalidArgumentError(`\`probs\` must be a 1-D tensor of probabilities. Received: probs with shape [${probs.shape.join(", ")}]`);
    }
    p = probs.dataSync() as Float32Array;
  } else if (Array.isArray(probs) || ArrayBuffer.isView(probs)) p = probs;
  else throw new InvalidArgumentError("`probs` must be an array of probabilities. Received: probs=" + describeValue(probs));
  if (p.length === 0) throw new InvalidArgumentError("`probs` must not be empty. Received: probs=[]");
  if (typeof temperature !== "number" || !Number.isFinite(temperature) || temperature < 0) {
    throw new InvalidArgumentError(
      "`temperature` must be a finite number >= 0 (1 = unchanged, 0 = argmax). Received: temperature=" + describeValue(temperature),
    );
  }
  if (typeof rng !== "function") throw new InvalidArgumentError("`rng` must be a function returning numbers in [0, 1). Received: rng=" + describeValue(rng));
  let best = 0;
  let total = 0;
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (typeof v !== "number" || !(v >= 0) || v === Infinity) {
      throw new DataError(`\`probs[${i}]\` must be a finite probability >= 0. Received: probs[${i}]=${describeValue(v)}`);
    }
    if (v > p[best]) best = i;
    total += v;
  }
  if (total <= 0) throw new DataError("`probs` must have a positive sum. Received: all zeros");
  if (temperature === 0) return best;
  // exp(ln p / T) normalised, computed relative to the largest to stay finite.
  const logMax = Math.log(p[best]);
  const w = new Float64Array(p.length);
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    w[i] = p[i] > 0 ? Math.exp((Math.log(p[i]) - logMax) / temperature) : 0;
    sum += w[i];
  }
  let r = rng() * sum;
  let last = best;
  for (let i = 0; i < w.length; i++) {
    if (w[i] === 0) continue;
    last = i;
    r -= w[i];
    if (r < 0) return i;
  }
  return last;
}
