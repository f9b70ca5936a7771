#!/usr/bin/env node
/**
 * The `seqlab` command. npm scripts call it: `npm install` runs `setup`, `npm start` runs
 * `lab`, `npm run course` runs `run --quick`, `npm run doctor` runs `doctor`; any command is
 * also `npm run seqlab -- <command> [options]`.
 *
 * @module
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { formatCheck, runDoctor } from "./setup/doctor";
import { runSetup } from "./setup/index";
import { KERNEL_NAME } from "./setup/kernelspec";
import { notebooksDir, outDir, venvBin } from "./setup/paths";
import { SetupError } from "./setup/run";
import { InputError, UsageError } from "./errors";
import { resolveJobs } from "./notebooks/discover";
import { executeNotebooks } from "./notebooks/execute";
import { releaseFile } from "./notebooks/release";
import { findSubmissions, gradeClass, regenerateFeedback } from "./notebooks/grade/index";
import { gradeQueued, installKernelCommand, QUEUE_USAGE, workerCommand } from "./notebooks/queue/commands";
import { courseResults, displayName, formatFailure, formatTable } from "./notebooks/report";

const USAGE = `usage: seqlab <command> [options]

commands:
  setup                 build, make TensorFlow load, create .venv, register the kernel (npm install runs it)
  doctor                check every part of the installation; prints the fix for a broken part
  lab [jupyter args]    start JupyterLab on notebooks/ with the seqlab kernel (npm start)
  run [paths...]        execute notebooks through the kernel; write out/**/*.ipynb and .html
      --quick           small data and few epochs (sets SEQLAB_QUICK=1 for the kernel)
      --timeout <s>     per-cell timeout in seconds (default 1800)
      --out <dir>       output folder (default out/)
      --json            also write <out>/results.json: notebook, mode, seconds, headline metrics
      --trusted         keep the notebooks' own HTML and script in the HTML (default: sanitized)
  export [paths...]     write HTML of saved notebooks without running them (--out <dir>, --trusted)
  release [sources...]  student versions of assignment sources: solutions become stubs, hidden tests
                        removed, outputs cleared, cells locked with checksums;
                        default notebooks/assignments -> out/release/ (--out <dir>)
  grade <source.ipynb> <submission.ipynb | folder>...
                        grade submissions in fresh kernels; write graded notebooks, feedback HTML,
                        gradebook.csv and gradebook.json (default out/grade/<assignment>/)
      --jobs <n>        submissions graded at once (default: the cores)
      --timeout <s>     per-notebook limit (default 3600)
      --cell-timeout <s> per-cell limit (default 600)
      --mode quick|full override the assignment's mode
      --memory <mb>     kernel heap limit (default 4096)
      --out <dir>       output folder
      --queue <redis://host:port>  grade on seqlab workers instead of this machine
  feedback <graded.ipynb | folder>...
                        after filling in manual grades: rewrite the feedback HTML and the gradebook
${QUEUE_USAGE}`;

/** Runs the command line; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "setup":
      runSetup();
      return 0;
    case "doctor": {
      const results = runDoctor();
      for (const r of results) console.log(formatCheck(r));
      const failed = results.filter((r) => !r.ok).length;
      console.log(failed === 0 ? "seqlab is healthy." : `${failed} problem(s) found; apply the fixes above.`);
      return failed === 0 ? 0 : 1;
    }
    case "lab":
      return lab(rest);
    case "run":
    case "export":
      return runNotebooks(command, rest);
    case "release":
      return release(rest);
    case "grade":
      return grade(rest);
    case "feedback":
      return feedback(rest);
    case "worker":
      return workerCommand(rest);
    case "install-kernel":
      return installKernelCommand(rest);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      console.error(`seqlab: unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

/** `seqlab lab`: JupyterLab from .venv rooted at notebooks/, seqlab as the default kernel. */
async function lab(extra: string[]): Promise<number> {
  const jupyter = venvBin("jupyter");
  if (!fs.existsSync(jupyter)) throw new SetupError("JupyterLab is not installed in .venv: run `npm install` first.");
  const args = [
    "lab",
    `--notebook-dir=${notebooksDir}`,
    `--MappingKernelManager.default_kernel_name=${KERNEL_NAME}`,
    ...(process.getuid?.() === 0 && !extra.includes("--allow-root") ? ["--allow-root"] : []),
    ...extra,
  ];
  console.log(`Starting JupyterLab on ${notebooksDir} (kernel "${KERNEL_NAME}"); open the URL it prints below. Ctrl+C stops it.`);
  const child = spawn(jupyter, args, { stdio: "inherit" });
  const stop = (): void => {
    child.kill("SIGINT");
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return new Promise((resolve) => child.on("close", (code) => resolve(code ?? 0)));
}

/** `seqlab release`: student versions of the assignments under out/release/. */
function release(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: "string" } } });
  const out = values.out ?? path.join(outDir, "release");
  const jobs = resolveJobs(positionals.length > 0 ? positionals : [path.join(notebooksDir, "assignments")], out);
  if (jobs.length === 0) {
    console.error("seqlab: no assignment notebooks found.");
    return 1;
  }
  for (const job of jobs) {
    const r = releaseFile(job.input, job.ipynb);
    console.log(
      `released ${displayName(job.input)} -> ${path.relative(process.cwd(), job.ipynb)} (${r.stubbed} answer cells to write, ${r.hiddenRemoved} hidden test regions removed, ${r.autoPoints} autograded + ${r.manualPoints} manual points)`,
    );
  }
  return 0;
}

/** A positive number of seconds (or count) from an option. */
function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number. Received: ${name} ${value}`);
  return n;
}

/** `seqlab grade`: grade submissions of one assignment. */
async function grade(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      jobs: { type: "string" },
      timeout: { type: "string" },
      "cell-timeout": { type: "string" },
      mode: { type: "string" },
      memory: { type: "string" },
      queue: { type: "string" },
      out: { type: "string" },
    },
  });
  const [source, ...subs] = positionals;
  if (!source || subs.length === 0) {
    console.error(`seqlab grade: give the assignment source and at least one submission or folder.\n\n${USAGE}`);
    return 2;
  }
  if (values.mode !== undefined && values.mode !== "quick" && values.mode !== "full") throw new Error(`--mode must be quick or full. Received: --mode ${values.mode}`);
  const files = findSubmissions(subs);
  if (files.length === 0) {
    console.error("seqlab grade: no submissions (.ipynb files) found.");
    return 1;
  }
  const jobs = Math.floor(positive(values.jobs, os.availableParallelism(), "--jobs"));
  const out = values.out ?? path.join(outDir, "grade", path.basename(source, ".ipynb"));
  if (values.queue !== undefined) {
    const timeouts = { notebook: positive(values.timeout, 3600, "--timeout"), cell: positive(values["cell-timeout"], 600, "--cell-timeout") };
    return gradeQueued({ queue: values.queue, source, files, out, mode: values.mode as "quick" | "full" | undefined, timeouts, memoryMb: positive(values.memory, 4096, "--memory") });
  }
  console.log(`Grading ${files.length} submission(s) of ${path.basename(source)}, ${jobs} at a time -> ${path.relative(process.cwd(), out) || "."}`);
  const book = await gradeClass(source, files, {
    jobs,
    out,
    mode: values.mode as "quick" | "full" | undefined,
    memoryMb: positive(values.memory, 4096, "--memory"),
    timeouts: { notebook: positive(values.timeout, 3600, "--timeout"), cell: positive(values["cell-timeout"], 600, "--cell-timeout") },
    onProgress: (p) => {
      const left = p.done < p.total ? `, ~${Math.ceil(p.secondsLeft / 60)} min left` : "";
      const extra = p.last.message ? `: ${p.last.message}` : "";
      console.log(`[${p.done}/${p.total}] ${p.last.student}: ${p.last.status} ${p.last.score}/${p.last.max} (${p.last.seconds.toFixed(1)} s)${extra} · ${p.failures} failure(s)${left}`);
    },
  });
  const graded = book.students.filter((s) => s.status === "graded").length;
  console.log(`\n${graded} of ${book.students.length} graded; wrote graded notebooks, feedback HTML, gradebook.csv and gradebook.json to ${out}`);
  return 0;
}

/** `seqlab feedback`: regenerate feedback HTML and gradebooks after manual grading. */
async function feedback(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  if (positionals.length === 0) {
    console.error(`seqlab feedback: give graded notebooks or their folder.\n\n${USAGE}`);
    return 2;
  }
  const books = await regenerateFeedback(positionals);
  for (const [folder, book] of books) {
    const pending = book.students.filter((s) => s.tasks.some((t) => t.status === "pending")).length;
    console.log(`${folder}: feedback HTML and gradebook rewritten for ${book.students.length} student(s)${pending ? `; ${pending} still have written answers to grade` : ""}.`);
  }
  return 0;
}

/** `seqlab run` / `seqlab export`. */
async function runNotebooks(command: "run" | "export", argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      quick: { type: "boolean", default: false },
      timeout: { type: "string" },
      out: { type: "string" },
      json: { type: "boolean", default: false },
      trusted: { type: "boolean", default: false },
    },
  });
  if (values.json && command !== "run") throw new UsageError("--json belongs to `seqlab run` (it records what the notebooks computed).");
  const timeout = values.timeout === undefined ? 1800 : Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(`--timeout must be a positive number of seconds. Received: --timeout ${values.timeout}`);
  const jobs = resolveJobs(positionals, values.out ?? outDir);
  if (jobs.length === 0) {
    console.error("seqlab: no notebooks found.");
    return 1;
  }
  const execute = command === "run";
  console.log(`${execute ? "Running" : "Exporting"} ${jobs.length} notebook(s)${values.quick ? " in quick mode" : ""}...`);
  const results = await executeNotebooks(jobs, {
    execute,
    timeout,
    writeIpynb: execute,
    trusted: values.trusted,
    env: values.quick ? { SEQLAB_QUICK: "1" } : {},
    onResult: (r) => console.log(`  ${r.status === "ok" ? "ok    " : "FAILED"} ${displayName(r.input)} (${r.seconds.toFixed(1)} s)`),
  });
  console.log("\n" + formatTable(results));
  const failed = results.filter((r) => r.status !== "ok");
  for (const r of failed) console.log("\n" + formatFailure(r));
  console.log(`\nWrote ${execute ? "executed notebooks and " : ""}HTML under ${values.out ?? "out/"}.`);
  if (values.json) {
    const file = path.join(values.out ?? outDir, "results.json");
    const data = courseResults(results, jobs.map((j) => j.ipynb), values.quick ? "quick" : "full");
    fs.writeFileSync(file, JSON.stringify(data, null, 2) + "\n");
    console.log(`Wrote the course results (${data.notebooks.length} notebooks) to ${path.relative(process.cwd(), file)}.`);
  }
  return failed.length === 0 ? 0 : 1;
}

/**
 * Prints an error that ended a command and returns the exit code: the message alone for what
 * the user typed (`UsageError`, node's argument-parser errors; with the usage, code 2) and for
 * setup failures with a remedy (`SetupError`) and unusable files the user gave (`InputError`),
 * code 1; anything else is a bug, printed with
 * its stack (code 1).
 *
 * @param err What the command threw.
 * @returns The process exit code.
 */
export function reportError(err: unknown): number {
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof UsageError || (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"))) {
    console.error(`seqlab: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (err instanceof SetupError || err instanceof InputError) {
    console.error(`seqlab: ${err.message}`);
    return 1;
  }
  console.error(`seqlab: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => process.exit(reportError(err)),
  );
}
