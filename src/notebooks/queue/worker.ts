/**
 * `seqlab worker`: takes grading jobs from the queue and grades each one exactly as a local
 * `seqlab grade` does (`gradeSubmission` with the job's settings), `jobs` at a time.
 *
 * A worker grades only assignments it has a copy of (its `--source` files and the project's
 * `notebooks/assignments/`), and only the version the instructor graded against: a job whose
 * checksum matches none of its copies is handed back (delayed, for another worker) and the
 * refusal is printed here and on the instructor's screen.
 *
 * Faults are BullMQ's stalled-job handling: a worker holds a lock on each job it grades and
 * renews it every `visibilityTimeout / 2`; when a worker dies, its lock expires and another
 * worker's stalled check (every `visibilityTimeout`) puts the job back. A job that stalls
 * `attempts` times (a submission that kills every worker taking it) fails; the instructor
 * records it as `crashed`.
 *
 * @module
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DelayedError, Worker, type Job } from "bullmq";
import { assignmentChecksum, type Notebook } from "../grade/assignment";
import { readSource } from "../grade/grade-class";
import { gradeSubmission, type StudentResult } from "../grade/grade-submission";
import { notebooksDir } from "../../setup/paths";
import { parseQueueUrl, QUEUE_NAME } from "./connection";
import type { GradeJob, RefusalProgress } from "./job";

/** Options of {@link startWorker}. */
export interface WorkerOptions {
  /** `redis://host:port`. */
  queue: string;
  /** Submissions graded at once. @default 1 */
  jobs?: number;
  /** Assignment sources this worker grades, besides the project's `notebooks/assignments/`. */
  sources?: readonly string[];
  /** Seconds without a lock renewal after which a job is given to another worker. @default 30 */
  visibilityTimeout?: number;
  /** Times a job may start before it fails as `crashed` (worker deaths). @default 3 */
  attempts?: number;
  /** Seconds a refused job waits before another worker may take it. @default 5 */
  refuseDelay?: number;
  /** Progress printer. @default console.log */
  log?: (line: string) => void;
}

/** A running worker. */
export interface RunningWorker {
  /** Stops taking jobs, lets the current ones finish, disconnects. */
  close(): Promise<void>;
}

/** One assignment version this worker can grade. */
interface KnownSource {
  file: string;
  source: Notebook;
  assignment: string;
}

/**
 * Reads the worker's assignment sources: the files given (each must be a source) and every
 * source in the project's `notebooks/assignments/` (others there are skipped).
 *
 * @param files Source files given with `--source`.
 * @returns Sources by checksum.
 * @throws {Error} When a given file is not an assignment source.
 */
export function loadSources(files: readonly string[]): Map<string, KnownSource> {
  const found = new Map<string, KnownSource>();
  const add = (file: string, strict: boolean): void => {
    try {
      const source = readSource(file);
      found.set(assignmentChecksum(source), { file, source, assignment: source.metadata.seqlab!.assignment });
    } catch (e) {
      if (strict) throw e;
    }
  };
  const dir = path.join(notebooksDir, "assignments");
  if (fs.existsSync(dir)) for (const name of fs.readdirSync(dir).sort()) if (name.endsWith(".ipynb")) add(path.join(dir, name), false);
  for (const file of files) add(path.resolve(file), true);
  return found;
}

/**
 * Why this worker cannot grade a job, or `null` when it can.
 *
 * @param job The job's data.
 * @param sources This worker's sources.
 * @returns A sentence naming the versions and the fix.
 */
export function refusal(job: Pick<GradeJob, "assignment" | "checksum">, sources: ReadonlyMap<string, KnownSource>): string | null {
  if (sources.has(job.checksum)) return null;
  const mine = [...sources.values()].filter((s) => s.assignment === job.assignment);
  const short = (c: string): string => c.slice(0, 12);
  if (mine.length === 0) {
    return `this worker has no copy of assignment "${job.assignment}" (version ${short(job.checksum)}): start it with --source <the same source notebook the instructor grades with>.`;
  }
  const versions = mine.map((s) => `${path.basename(s.file)} is version ${short(assignmentChecksum(s.source))}`).join(", ");
  return `the job is for version ${short(job.checksum)} of "${job.assignment}" but this worker's copy differs (${versions}): give it the instructor's source with --source, or update its copy.`;
}

/**
 * Starts a worker.
 *
 * @param options See {@link WorkerOptions}.
 * @returns The worker; it runs until {@link RunningWorker.close}.
 * @throws {Error} When the queue address or a source is invalid.
 * @example
 * ```ts
 * const worker = startWorker({ queue: "redis://127.0.0.1:6379", jobs: 2 });
 * process.on("SIGTERM", () => void worker.close());
 * ```
 */
export function startWorker(options: WorkerOptions): RunningWorker {
  const connection = parseQueueUrl(options.queue);
  const sources = loadSources(options.sources ?? []);
  const log = options.log ?? ((line: string) => console.log(line));
  const name = `${os.hostname()}:${process.pid}`;
  const visibility = Math.max(1, options.visibilityTimeout ?? 30) * 1000;
  const refused = new Set<string>();
  const processor = async (job: Job<GradeJob, StudentResult>, token?: string): Promise<StudentResult> => {
    const data = job.data;
    const why = refusal(data, sources);
    if (why !== null) {
      if (!refused.has(data.checksum)) log(`[worker ${name}] refusing jobs of "${data.assignment}": ${why}`);
      refused.add(data.checksum);
      const progress: RefusalProgress = { refused: `worker ${name} refused ${data.student}: ${why}` };
      await job.updateProgress(progress);
      await job.moveToDelayed(Date.now() + (options.refuseDelay ?? 5) * 1000, token);
      throw new DelayedError();
    }
    const { source } = sources.get(data.checksum)!;
    log(`[worker ${name}] grading ${data.student} (${data.assignment}, start ${job.attemptsStarted})`);
    const result = await gradeSubmission({
      source,
      submissionBytes: Buffer.from(data.submission, "base64"),
      student: data.student,
      mode: data.mode,
      timeouts: data.timeouts,
      memoryMb: data.memoryMb,
    });
    log(`[worker ${name}] ${data.student}: ${result.status} ${result.score}/${result.max} (${result.seconds.toFixed(1)} s)`);
    return result;
  };
  const worker = new Worker<GradeJob, StudentResult>(QUEUE_NAME, processor, {
    connection,
    concurrency: Math.max(1, options.jobs ?? 1),
    lockDuration: visibility,
    stalledInterval: visibility,
    maxStalledCount: Math.max(0, (options.attempts ?? 3) - 1),
  });
  worker.on("error", (e) => log(`[worker ${name}] ${e.message}`));
  log(`[worker ${name}] waiting for jobs on ${options.queue} (${Math.max(1, options.jobs ?? 1)} at a time; assignments: ${[...new Set([...sources.values()].map((s) => s.assignment))].join(", ") || "none"})`);
  return { close: () => worker.close() };
}
