/**
 * The command-line side of grading on a queue: `seqlab worker`, `seqlab install-kernel`, and
 * the `--queue` branch of `seqlab grade`. `src/cli.ts` only dispatches here.
 *
 * @module
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { installKernelSpec, KERNEL_DISPLAY_NAME, type KernelInstallTarget } from "../../setup/kernelspec";
import type { GradeTimeouts } from "../grade/grade-submission";
import { gradeOnQueue } from "./instructor";
import { startWorker } from "./worker";
import { UsageError } from "../../errors";

/** Usage lines of the commands defined here, for `seqlab help`. */
export const QUEUE_USAGE = `  worker --queue redis://host:port
                        take grading jobs from the queue (\`seqlab grade ... --queue\`), grade them
      --jobs <n>        submissions graded at once (default 1)
      --source <file>   an assignment source it may grade (repeatable; notebooks/assignments/ always)
      --visibility-timeout <s>  a job held by a worker silent this long goes to another (default 30)
      --attempts <n>    a job whose workers died this many times is \`crashed\` (default 3)
  install-kernel [--user | --sys-prefix [--python <py>] | --prefix <dir>]
                        register the seqlab kernel in a Jupyter environment (default --user)
`;

/** A positive number from an option, or the fallback. */
function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} must be a positive number. Received: ${name} ${value}`);
  return n;
}

/**
 * `seqlab worker`: runs until SIGINT/SIGTERM (then finishes its current jobs).
 *
 * @param argv The arguments after `worker`.
 * @returns The exit code.
 */
export async function workerCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      queue: { type: "string" },
      jobs: { type: "string" },
      source: { type: "string", multiple: true },
      "visibility-timeout": { type: "string" },
      attempts: { type: "string" },
    },
  });
  if (!values.queue) {
    console.error(`seqlab worker: give the queue, e.g. --queue redis://grader.example.org:6379\n\n${QUEUE_USAGE}`);
    return 2;
  }
  const worker = startWorker({
    queue: values.queue,
    jobs: Math.floor(positive(values.jobs, 1, "--jobs")),
    sources: values.source ?? [],
    visibilityTimeout: positive(values["visibility-timeout"], 30, "--visibility-timeout"),
    attempts: Math.floor(positive(values.attempts, 3, "--attempts")),
  });
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      console.log("stopping: finishing the current job(s); press Ctrl-C again to quit now.");
      process.once("SIGINT", () => process.exit(130));
      void worker.close().then(resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}

/**
 * `seqlab install-kernel`.
 *
 * @param argv The arguments after `install-kernel`.
 * @returns The exit code.
 */
export function installKernelCommand(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: { user: { type: "boolean" }, "sys-prefix": { type: "boolean" }, prefix: { type: "string" }, python: { type: "string" } },
  });
  const chosen = [values.user, values["sys-prefix"], values.prefix !== undefined].filter(Boolean).length;
  if (chosen > 1) throw new UsageError(`install-kernel takes one of --user, --sys-prefix, --prefix <dir>. Received: ${argv.join(" ")}`);
  const target: KernelInstallTarget = values.prefix !== undefined
    ? { kind: "prefix", dir: values.prefix }
    : values["sys-prefix"]
      ? { kind: "sys-prefix", python: values.python ?? "python3" }
      : { kind: "user" };
  const file = installKernelSpec(target);
  console.log(`registered kernel "seqlab" ("${KERNEL_DISPLAY_NAME}") in ${path.dirname(file)}`);
  return 0;
}

/** What `seqlab grade` passes on when `--queue` is given. */
export interface QueuedGradeArgs {
  queue: string;
  source: string;
  files: string[];
  out: string;
  mode?: "quick" | "full";
  timeouts: Partial<GradeTimeouts>;
  memoryMb?: number;
}

/**
 * The `--queue` branch of `seqlab grade`: enqueue, show progress, write the outputs.
 *
 * @param args The parsed `seqlab grade` options.
 * @returns The exit code (1 only when the grader itself failed on a submission).
 */
export async function gradeQueued(args: QueuedGradeArgs): Promise<number> {
  console.log(`Grading ${args.files.length} submission(s) of ${path.basename(args.source)} on the workers of ${args.queue} -> ${path.relative(process.cwd(), args.out) || "."}`);
  const stop = new AbortController();
  const onSigint = (): void => stop.abort();
  process.once("SIGINT", onSigint);
  const { book, graderFailures } = await gradeOnQueue(args.source, args.files, {
    signal: stop.signal,
    queue: args.queue,
    out: args.out,
    mode: args.mode,
    timeouts: args.timeouts,
    memoryMb: args.memoryMb,
    onNotice: (line) => console.log(`  ! ${line}`),
    onProgress: (p) => {
      const left = p.done < p.total ? `, ~${Math.ceil(p.secondsLeft / 60)} min left` : "";
      const extra = p.last.message ? `: ${p.last.message}` : "";
      console.log(`[${p.done}/${p.total}] ${p.last.student}: ${p.last.status} ${p.last.score}/${p.last.max} (${p.last.seconds.toFixed(1)} s)${extra} · ${p.failures} failed · ${p.running} running${left}`);
    },
  }).finally(() => process.off("SIGINT", onSigint));
  const graded = book.students.filter((s) => s.status === "graded").length;
  console.log(`\n${graded} of ${book.students.length} graded; wrote graded notebooks, feedback HTML, gradebook.csv and gradebook.json to ${args.out}`);
  if (graderFailures > 0) console.error(`${graderFailures} submission(s) could not be graded because the grader failed (see the messages above).`);
  return graderFailures > 0 ? 1 : 0;
}
