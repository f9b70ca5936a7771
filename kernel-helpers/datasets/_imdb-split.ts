/**
 * Internal: the fixed train/test split of the 50,000 reviews and the seeded shuffle.
 *
 * @module
 */
import seedrandom from "seedrandom";

/**
 * Review indices of each split. Within each label, reviews in package order alternate:
 * the 1st, 3rd, 5th, ... go to train and the 2nd, 4th, ... to test, giving 12,500 of each
 * label per split. Each split is then shuffled (Fisher-Yates with `seedrandom(String(seed))`,
 * train first, then test, one generator).
 */
export function imdbSplit(labels: Uint8Array, seed: number | string): { train: Int32Array; test: Int32Array } {
  const train: number[] = [];
  const test: number[] = [];
  const seen = [0, 0];
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    (seen[l] % 2 === 0 ? train : test).push(i);
    seen[l]++;
  }
  const rng = seedrandom(String(seed));
  const shuffle = (a: number[]): Int32Array => {
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return Int32Array.from(a);
  };
  return { train: shuffle(train), test: shuffle(test) };
}
