/**
 * What the benchmarks share: their environment settings (lists and counts, with errors naming
 * the setting and what it accepts) and the median they report.
 *
 * @module
 */

/**
 * The median of `values` (the mean of the middle two for an even count).
 *
 * @example
 * ```ts
 * median([3, 1, 2]); // 2
 * ```
 */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * A comma-separated environment setting whose items must come from `all`; unset gives `all`.
 *
 * @throws Error naming the unknown items and the choices.
 * @example
 * ```ts
 * listSetting("SEQLAB_BENCH_CELLS", ["lstm", "gru", "simpleRNN"] as const); // all three unless set
 * ```
 */
export function listSetting<T extends string>(name: string, all: readonly T[]): T[] {
  const raw = process.env[name];
  if (!raw) return [...all];
  const wanted = raw.split(",").map((s) => s.trim());
  const bad = wanted.filter((s) => !all.includes(s as T));
  if (bad.length > 0) throw new Error(`${name}: unknown ${bad.join(", ")}; choose from ${all.join(", ")}`);
  return wanted as T[];
}

/**
 * An integer environment setting of at least `min` (default 1), `fallback` when unset.
 *
 * @param name The environment variable.
 * @param fallback Its value when unset (or empty).
 * @param min The least value accepted.
 * @param why Why `min` is the least, printed in the error (e.g. `"epoch 1 is warm-up"`).
 * @throws Error when it is set to anything but an integer of at least `min`.
 * @example
 * ```ts
 * intSetting("SEQLAB_BENCH_ROUNDS", 2); // 2 unless set
 * intSetting("SEQLAB_BENCH_EPOCHS", 3, 2, "epoch 1 is warm-up"); // 3 unless set; "1" throws
 * ```
 */
export function intSetting(name: string, fallback: number, min = 1, why?: string): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    const wanted = min === 1 ? "a positive integer" : `an integer of at least ${min}${why ? ` (${why})` : ""}`;
    throw new Error(`${name} must be ${wanted}: set it to ${min} or more, or unset it. Received: ${name}=${raw}`);
  }
  return n;
}
