/**
 * `seed(n)`: repeatable randomness in a notebook kernel, so a re-run (or a re-grade) of the
 * same cells trains the same model.
 *
 * Where the randomness of tfjs-node comes from (4.22): weight initialisers
 * (`tf.randomUniform`, `tf.randomNormal`, `tf.truncatedNormal`), dropout masks and
 * `model.fit`'s per-epoch shuffle are computed in JavaScript, seeded from `Math.random()` when
 * no seed is passed; kernel-helpers' shuffles and samplers (`nextTokenWindows`,
 * `TimeseriesGenerator`, `sampleWithTemperature`, `generateText`) also fall back to
 * `Math.random`. `seed(n)` therefore replaces `Math.random` with a `seedrandom` generator
 * started from `n`: everything above draws the same numbers in the same order after it.
 *
 * What can still vary between two seeded runs:
 * - float sums computed by TensorFlow's native kernels on several threads (matrix products,
 *   reductions) may be added in a different order, so losses and weights can differ in the
 *   last bits and drift apart a little over many steps; compare results with a tolerance, or
 *   by what they mean (a model beats a baseline), never by exact floats;
 * - `tf.multinomial` runs TensorFlow's own random op; pass it a `seed` argument;
 * - anything that draws a different number of random values (e.g. a different batch size or
 *   an extra cell calling `Math.random`) shifts every later draw.
 *
 * @module
 */
import seedrandom from "seedrandom";
import { InvalidArgumentError, describeValue } from "../errors";

/** The `Math.random` the process started with, restored by {@link unseed}. */
const nativeRandom: () => number = Math.random;

/** The seed in effect, or `null` when `Math.random` is the native one. */
let current: number | null = null;

/**
 * Makes weight initialisation, shuffling, dropout and sampling repeatable from here on.
 *
 * The environment variable `SEQLAB_SEED` (set by `seqlab grade` to the assignment's seed) wins
 * over `n`, so a graded run uses the assignment's seed whatever the notebook passes.
 *
 * @param n A non-negative integer seed.
 * @returns The seed now in effect.
 * @throws {InvalidArgumentError} When `n` (or `SEQLAB_SEED`) is not a non-negative integer.
 * @example
 * ```ts
 * seed(42);
 * const a = tf.randomNormal([3]).arraySync();
 * seed(42);
 * const b = tf.randomNormal([3]).arraySync(); // the same numbers as a
 * ```
 */
export function seed(n: number): number {
  const fromEnv = process.env.SEQLAB_SEED;
  const value = fromEnv !== undefined && fromEnv !== "" ? Number(fromEnv) : n;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    const shown = fromEnv !== undefined && fromEnv !== "" ? `SEQLAB_SEED=${describeValue(fromEnv)}` : `n=${describeValue(n)}`;
    throw new InvalidArgumentError(`\`seed\` must be a non-negative integer. Received: ${shown}`);
  }
  const rng = seedrandom(`seqlab-seed:${value}`);
  Math.random = () => rng();
  current = value;
  return value;
}

/**
 * Gives `Math.random` back its native, unseeded generator.
 *
 * @example
 * ```ts
 * seed(1);
 * unseed();
 * currentSeed(); // null
 * ```
 */
export function unseed(): void {
  Math.random = nativeRandom;
  current = null;
}

/**
 * The seed set by the last {@link seed} call.
 *
 * @returns The seed, or `null` when unseeded.
 * @example
 * ```ts
 * seed(7);
 * currentSeed(); // 7
 * ```
 */
export function currentSeed(): number | null {
  return current;
}
