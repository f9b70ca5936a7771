/**
 * Internal: seeded random numbers for shuffling (deterministic for a given seed).
 *
 * @module
 */
import seedrandom from "seedrandom";
import { InvalidArgumentError, describeValue } from "../errors";

/** A source of uniform floats in [0, 1). */
export type Rng = () => number;

/**
 * Makes a random source: deterministic when `seed` is given, fresh otherwise.
 *
 * @param seed An integer seed, or undefined for a random one.
 * @param name The argument's name for error messages.
 * @returns The generator.
 * @throws {InvalidArgumentError} When `seed` is not an integer.
 */
export function makeRng(seed: number | undefined, name = "seed"): Rng {
  if (seed === undefined || seed === null) return seedrandom(String(Math.random()));
  if (typeof seed !== "number" || !Number.isInteger(seed)) {
    throw new InvalidArgumentError(`\`${name}\` must be an integer. Received: ${name}=${describeValue(seed)}`);
  }
  return seedrandom(`seqlab:${seed}`);
}

/** A uniform integer in [low, high). */
export function randomInt(rng: Rng, low: number, high: number): number {
  return low + Math.floor(rng() * (high - low));
}

/** Fisher–Yates shuffle in place. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(arr: T, rng: Rng): T {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = arr[i];
    arr[i] = arr[j];
    arr[j] = t;
  }
  return arr;
}

/** A random permutation of 0..n-1. */
export function permutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return shuffleInPlace(p, rng);
}
