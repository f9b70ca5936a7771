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
import * as path from "node:path";
import { parseArgs } from "node:util";
import { formatCheck, runDoctor } from "./setup/doctor";
import { runSetup } from "./setup/index";
import { KERNEL_NAME } from "./setup/kernelspec";
import { notebooksDir, outDir, venvBin } from "./setup/paths";
import { SetupError } from "./setup/run";
import { resolveJobs } from "./notebooks/discover";
import { executeNotebooks } from "./notebooks/execute";
import { releaseFile } from "./notebooks/release";
import { displayName, formatFailure, formatTable } from "./notebooks/report";

const USAGE = `usage: seqlab <command> [options]

commands:
  setup                 build, make TensorFlow load, create .venv, register the kernel (npm install runs it)
  doctor                check every part of the installation; prints the fix for a broken part
  lab [jupyter args]    start JupyterLab on notebooks/ with the seqlab kernel (npm start)
  run [paths...]        execute notebooks through the kernel; write out/**/*.ipynb and .html
      --quick           small data and few epochs (sets SEQLAB_QUICK=1 for the kernel)
      --timeout <s>     per-cell timeout in seconds (default 1800)
      --out <dir>       output folder (default out/)
      --trusted         keep the notebooks' own HTML and script in the HTML (default: sanitized)
  export [paths...]     write HTML of saved notebooks without running them (--out <dir>, --trusted)
  release [paths...]    student versions of assignments (cells tagged "solution" become stubs);
                        default notebooks/assignments -> out/release/ (--out <dir>)
`;

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
    console.log(`released ${displayName(job.input)} -> ${path.relative(process.cwd(), job.ipynb)} (${r.stubbed} of ${r.codeCells} code cells are tasks)`);
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
      trusted: { type: "boolean", default: false },
    },
  });
  const timeout = values.timeout === undefined ? 1800 : Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new Error(`--timeout must be a positive number of seconds. Received: ${values.timeout}`);
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
  return failed.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      const code = (err as { code?: unknown } | null)?.code;
      if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) {
        console.error(`seqlab: ${(err as Error).message}\n\n${USAGE}`);
        process.exit(2);
      }
      // Our own errors say what to do; anything else is a bug, so keep its stack.
      const expected = err instanceof SetupError || (err instanceof Error && err.constructor === Error);
      const message = err instanceof Error ? (expected ? err.message : err.stack ?? err.message) : String(err);
      console.error(`seqlab: ${message}`);
      process.exit(1);
    },
  );
}
