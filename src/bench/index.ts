#!/usr/bin/env node
/**
 * `npm run bench`: runs every `src/bench/<topic>.bench.ts` (or those named) and prints each
 * case's metrics, ratios included. Benchmarks are not tests: nothing here passes or fails.
 *
 * Usage: `npm run bench -- [topic...] [--quick] [--json]`.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { Benchmark, BenchRow } from "./types";

/**
 * Every benchmark module next to this file, by topic name.
 *
 * @param dir The folder of the built `*.bench.js` modules.
 * @returns Topic name → module file, sorted by file name.
 * @example
 * ```ts
 * [...discoverBenchmarks().keys()]; // ["grade", "kernel", "kernels", "live", "rnn-variants", "rnn", "text", "windows"]
 * ```
 */
export function discoverBenchmarks(dir: string = __dirname): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of fs.readdirSync(dir).sort()) {
    const m = /^(.+)\.bench\.js$/.exec(file);
    if (m) found.set(m[1]!, path.join(dir, file));
  }
  return found;
}

/**
 * Formats a metric value: numbers with up to 4 significant digits (1000 and above: no decimals).
 *
 * @example
 * ```ts
 * formatMetric(1234.5); // "1235"
 * formatMetric(0.123456); // "0.1235"
 * formatMetric("-"); // "-"
 * ```
 */
export function formatMetric(value: number | string): string {
  if (typeof value === "string") return value;
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 1000 ? value.toFixed(0) : Number(value.toPrecision(4)).toString();
}

/**
 * Formats rows as `case  metric=value ...` lines grouped by benchmark.
 *
 * @example
 * ```ts
 * formatRows([{ bench: "text", case: "padSequences", metrics: { "seqlab s": 0.0123456, "speedup x": 3 } }]);
 * // "\n== text\n  padSequences\n      seqlab s=0.01235  speedup x=3"
 * ```
 */
export function formatRows(rows: readonly BenchRow[]): string {
  const lines: string[] = [];
  let current = "";
  for (const row of rows) {
    if (row.bench !== current) {
      current = row.bench;
      lines.push(`\n== ${current}`);
    }
    const metrics = Object.entries(row.metrics).map(([k, v]) => `${k}=${formatMetric(v)}`).join("  ");
    lines.push(`  ${row.case}\n      ${metrics}`);
  }
  return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
  process.env.TF_CPP_MIN_LOG_LEVEL ??= "2";
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { quick: { type: "boolean", default: false }, json: { type: "boolean", default: false } },
  });
  const all = discoverBenchmarks();
  const names = positionals.length > 0 ? positionals : [...all.keys()];
  const unknown = names.filter((n) => !all.has(n));
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(", ")}. Available: ${[...all.keys()].join(", ")}`);
    return 2;
  }
  const log = (line: string): void => {
    (values.json ? process.stderr : process.stdout).write(`${line}\n`);
  };
  const rows: BenchRow[] = [];
  for (const name of names) {
    const mod = (await import(all.get(name)!)) as { default: Benchmark };
    const bench = mod.default;
    log(`[bench] ${bench.name}: ${bench.description}`);
    const started = Date.now();
    const got = await bench.run({ quick: values.quick ?? false, log });
    rows.push(...got);
    if (!values.json) log(formatRows(got));
    log(`[bench] ${bench.name} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  if (values.json) process.stdout.write(JSON.stringify({ rows }, null, 2) + "\n");
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.stack : String(err));
      process.exit(1);
    },
  );
}
