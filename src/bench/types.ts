/**
 * The contract between `npm run bench` and each benchmark module.
 *
 * A benchmark is a file `src/bench/<topic>.bench.ts` whose default export is a
 * {@link Benchmark}. The runner (`src/bench/index.ts`) finds every such file, runs them in
 * name order (or those named on the command line), prints each row's metrics with their
 * ratios, and with `--json` prints all rows as one JSON document.
 *
 * @module
 */

/**
 * What the runner passes to every benchmark.
 *
 * @example
 * ```ts
 * const ctx: BenchContext = { quick: true, log: (line) => console.error(line) };
 * ctx.quick; // true
 * ```
 */
export interface BenchContext {
  /** `--quick`: shrink workloads (fewer repeats, smaller data) for a smoke run. */
  quick: boolean;
  /** Progress printer (stderr when `--json`, so stdout stays valid JSON). */
  log: (line: string) => void;
}

/**
 * One measured case: a name and its numbers, e.g. `{ "seqlab s/epoch": 0.2, "ratio": 12.5 }`.
 *
 * @example
 * ```ts
 * const row: BenchRow = { bench: "text", case: "padSequences", metrics: { "seqlab s": 0.2, "speedup x": 3 } };
 * row.metrics["speedup x"]; // 3
 * ```
 */
export interface BenchRow {
  /** The benchmark's topic, e.g. `"text"`. */
  bench: string;
  /** The case, e.g. `"LSTM synthetic x[2000,50,8]"`. */
  case: string;
  /** Measured values; a ratio is a plain number named `... ratio` or `...x`. */
  metrics: Record<string, number | string>;
}

/**
 * A benchmark module's default export.
 *
 * @example
 * ```ts
 * const noop: Benchmark = { name: "noop", description: "nothing", run: async () => [] };
 * (await noop.run({ quick: true, log: console.log })).length; // 0
 * ```
 */
export interface Benchmark {
  /** Short topic name, e.g. `"text"`, `"windows"`, `"rnn"`. */
  name: string;
  /** One line saying what it measures. */
  description: string;
  /** Runs the benchmark and returns its rows. Measure competitors interleaved, report medians. */
  run(ctx: BenchContext): Promise<BenchRow[]>;
}
