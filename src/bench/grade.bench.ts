/**
 * Grading throughput: submissions per minute graded locally (`seqlab grade --jobs 1`, `--jobs 2`)
 * and on a Redis queue with one and two `seqlab worker` processes on this machine, and the
 * fixed cost every submission pays (kernel start, first TypeScript compile, importing
 * TensorFlow and kernel-helpers). The class is the tiny two-task assignment of the queue tests,
 * all correct submissions, so the fixed cost dominates as it does in quick mode. The fixed-cost
 * parts are differences of medians (a kernel that loads TensorFlow as it starts leaves `imports`
 * near 0; with `--quick` there is one repeat and a part can come out slightly negative). The queue
 * rows need `redis-server` on PATH (they are skipped, and say so, without it).
 *
 * @module
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { Notebook } from "../notebooks/grade/assignment";
import { gradeClass } from "../notebooks/grade/grade-class";
import { gradeSubmission } from "../notebooks/grade/grade-submission";
import { gradeOnQueue } from "../notebooks/queue/instructor";
import { releaseNotebook } from "../notebooks/release";
import { projectRoot } from "../setup/paths";
import { median } from "./_settings";
import type { Benchmark, BenchRow } from "./types";

const tinySource = path.join(projectRoot, "tests", "fixtures", "queue", "tiny.ipynb");
const cli = path.join(projectRoot, "dist", "src", "cli.js");

/** Writes `n` correct submissions of the tiny assignment into a new folder. */
function writeClass(n: number): { dir: string; files: string[] } {
  const { notebook } = releaseNotebook(JSON.parse(fs.readFileSync(tinySource, "utf8")), tinySource);
  const answers: Record<string, string> = { "task1-code": "function add(a: number, b: number): number {\n  return a + b;\n}", "task2-code": "const total = 55;" };
  for (const cell of notebook.cells) {
    const a = answers[cell.metadata.nbgrader?.grade_id ?? ""];
    if (a !== undefined) cell.source = a;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-bench-grade-"));
  const files = Array.from({ length: n }, (_, i) => {
    const f = path.join(dir, `student-${String(i).padStart(3, "0")}.ipynb`);
    fs.writeFileSync(f, JSON.stringify(notebook));
    return f;
  });
  return { dir, files };
}

/** A one-cell source (a markdown cell when `code` is null): grading it costs the fixed cost up to that cell. */
function probeSource(code: string | null): Notebook {
  const base = JSON.parse(fs.readFileSync(tinySource, "utf8")) as Notebook;
  const metadata = { nbgrader: { schema_version: 3 as const, grade_id: "probe", grade: false, solution: false, locked: true } };
  const cell: Notebook["cells"][number] = code === null ? { cell_type: "markdown", source: "No code.", metadata } : { cell_type: "code", source: code, metadata, outputs: [], execution_count: null };
  return { ...base, cells: [cell] };
}

/** Starts redis-server on a free loopback port; null when it is not installed. */
async function startRedis(): Promise<{ url: string; proc: ChildProcess } | null> {
  if (spawnSync("redis-server", ["--version"]).status !== 0) return null;
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const proc = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const c: net.Socket = net.connect(port, "127.0.0.1", () => {
        c.end();
        resolve(true);
      });
      c.once("error", () => resolve(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `redis://127.0.0.1:${port}`, proc };
}

/**
 * The `grade` benchmark (see the module notes): grading throughput locally and on a queue, and the fixed cost per submission.
 *
 * @example
 * ```ts
 * import bench from "./grade.bench";
 * bench.name; // "grade"
 * const rows = await bench.run({ quick: true, log: console.log });
 * rows.every((r) => r.bench === "grade"); // true
 * ```
 */
const bench: Benchmark = {
  name: "grade",
  description: "grading throughput (submissions/min) locally with --jobs and on a queue with 1 and 2 workers; fixed cost per submission",
  async run(ctx): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const repeats = ctx.quick ? 1 : 3;
    // Fixed cost: an empty notebook (kernel start and shutdown), one trivial cell (+ first
    // compile), one import cell (+ TensorFlow and kernel-helpers), interleaved, medians.
    const probes: Array<[string, string | null]> = [
      ["kernel start", null],
      ["first cell", "const one: number = 1;"],
      ["imports", 'import { checkTask } from "kernel-helpers";\nconst one: number = 1;'],
    ];
    const times = new Map<string, number[]>(probes.map(([k]) => [k, []]));
    for (let r = 0; r < repeats; r++) {
      for (const [name, code] of probes) {
        const t0 = Date.now();
        const result = await gradeSubmission({ source: probeSource(code), submissionBytes: JSON.stringify(probeSource(code)), student: "probe" });
        if (result.status !== "graded") throw new Error(`the ${name} probe did not run: ${result.message}`);
        times.get(name)!.push((Date.now() - t0) / 1000);
      }
    }
    const [start, first, imports] = probes.map(([k]) => median(times.get(k)!));
    rows.push({
      bench: "grade",
      case: "fixed cost per submission (tiny notebook, median)",
      metrics: { "kernel start s": start!, "compile s": first! - start!, "imports s": imports! - first!, "total s": imports! },
    });
    ctx.log(`[grade] fixed cost: ${imports!.toFixed(1)} s per submission`);

    const n = ctx.quick ? 4 : 8;
    const { dir, files } = writeClass(n);
    const perMinute = (seconds: number): number => (n / seconds) * 60;
    const local: Record<number, number> = {};
    for (const jobs of [1, 2]) {
      const t0 = Date.now();
      await gradeClass(tinySource, files, { jobs, out: path.join(dir, `local-${jobs}`) });
      local[jobs] = perMinute((Date.now() - t0) / 1000);
      rows.push({ bench: "grade", case: `local --jobs ${jobs}, ${n} submissions`, metrics: { "submissions/min": local[jobs]!, "x vs --jobs 1": local[jobs]! / local[1]! } });
      ctx.log(`[grade] local --jobs ${jobs}: ${local[jobs]!.toFixed(1)}/min`);
    }
    const redis = await startRedis();
    if (!redis) {
      rows.push({ bench: "grade", case: "queue rows skipped", metrics: { reason: "redis-server is not installed (apt-get install redis-server)" } });
    } else {
      try {
        for (const count of [1, 2]) {
          const workers = Array.from({ length: count }, () => spawn(process.execPath, [cli, "worker", "--queue", redis.url, "--source", tinySource], { stdio: "ignore" }));
          try {
            const t0 = Date.now();
            await gradeOnQueue(tinySource, files, { queue: redis.url, out: path.join(dir, `queue-${count}`), onNotice: () => undefined });
            const rate = perMinute((Date.now() - t0) / 1000);
            rows.push({ bench: "grade", case: `queue, ${count} worker(s) on this machine, ${n} submissions`, metrics: { "submissions/min": rate, "x vs local --jobs 1": rate / local[1]! } });
            ctx.log(`[grade] queue with ${count} worker(s): ${rate.toFixed(1)}/min`);
          } finally {
            await Promise.all(workers.map((w) => new Promise((r) => (w.once("exit", r), w.kill("SIGTERM")))));
          }
        }
      } finally {
        redis.proc.kill("SIGKILL");
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
    return rows;
  },
};

export default bench;
