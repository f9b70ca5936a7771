/**
 * `seqlab grade … --queue redis://host:port`: the instructor's side of grading on workers. One
 * BullMQ job per submission (its bytes travel in Redis), then a watch loop that takes each
 * finished result, writes the student's graded notebook and feedback HTML at once, and at the
 * end the gradebook — the same files a local `seqlab grade` writes.
 *
 * Results are kept on the instructor's machine as they arrive, keyed by student, so a result is
 * counted once however many times its job ran. If Redis restarts (and loses its data) mid-run,
 * the loop waits for it, finds the unfinished jobs missing and enqueues them again; finished
 * results are already on disk.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { Queue, type JobsOptions } from "bullmq";
import { assignmentChecksum, assignmentMeta } from "../grade/assignment";
import { readSource } from "../grade/grade-class";
import type { GradeTimeouts, StudentResult } from "../grade/grade-submission";
import { gradebook, writeGradebook, writeStudentOutputs, type Gradebook } from "../grade/outputs";
import { parseQueueUrl, QUEUE_NAME } from "./connection";
import { crashedResult, jobId, type GradeJob, type RefusalProgress } from "./job";

/** Progress of a queued run. */
export interface QueueProgress {
  done: number;
  total: number;
  /** Students whose status is not `graded`. */
  failures: number;
  /** Jobs being graded by a worker right now. */
  running: number;
  /** Estimated seconds left (`NaN` before the first result). */
  secondsLeft: number;
  /** The result just finished. */
  last: StudentResult;
}

/** Options of {@link gradeOnQueue}. */
export interface QueueGradeOptions {
  /** `redis://host:port`. */
  queue: string;
  /** Output folder. */
  out: string;
  /** @default the source's mode */
  mode?: "quick" | "full";
  timeouts?: Partial<GradeTimeouts>;
  /** Kernel heap limit in MB. */
  memoryMb?: number;
  /** Called after each submission. */
  onProgress?: (p: QueueProgress) => void;
  /** Called with notices: a worker's refusal, Redis lost and back, jobs enqueued again. */
  onNotice?: (line: string) => void;
  /** How often the queue is read, in ms. @default 500 */
  pollMs?: number;
  /** Stops the run (Ctrl-C): its unfinished jobs are taken off the queue. */
  signal?: AbortSignal;
}

/** What a queued run gives back. */
export interface QueueRunResult {
  book: Gradebook;
  /** Submissions the grader itself failed on (not the submission's fault). */
  graderFailures: number;
}

/** The BullMQ error of a job that stalled more than `maxStalledCount` times. */
const STALLED = /stalled more than allowable limit/;

/** Retries of a job whose grading threw (the grader failed on that worker, e.g. no .venv). */
const JOB_OPTIONS: JobsOptions = { attempts: 3, backoff: { type: "fixed", delay: 2000 }, removeOnComplete: false, removeOnFail: false };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Grades submissions on the queue's workers and writes the same outputs as a local run.
 *
 * @param sourceFile The assignment source.
 * @param submissions Submission files (student = file name without `.ipynb`).
 * @param options See {@link QueueGradeOptions}.
 * @returns The gradebook and the count of grader failures.
 * @throws {Error} When the source or the queue address is invalid.
 * @example
 * ```ts
 * const { book } = await gradeOnQueue("notebooks/assignments/01-imdb-sentiment.ipynb", ["subs/alice.ipynb"], { queue: "redis://127.0.0.1:6379", out: "out/grade" });
 * ```
 */
export async function gradeOnQueue(sourceFile: string, submissions: readonly string[], options: QueueGradeOptions): Promise<QueueRunResult> {
  const source = readSource(sourceFile);
  const { assignment } = assignmentMeta(source, sourceFile);
  const checksum = assignmentChecksum(source);
  const notice = options.onNotice ?? ((line: string) => console.log(line));
  const queue = new Queue<GradeJob, StudentResult>(QUEUE_NAME, { connection: parseQueueUrl(options.queue) });
  let redisDown = false;
  queue.on("error", (e: Error) => {
    if (!redisDown) notice(`lost the connection to Redis (${e.message}); waiting for it to come back.`);
    redisDown = true;
  });
  const run = randomUUID();
  const pending = new Map<string, { name: string; data: GradeJob }>();
  submissions.forEach((file, i) => {
    const data: GradeJob = {
      assignment,
      checksum,
      student: path.basename(file, ".ipynb"),
      submission: fs.readFileSync(file).toString("base64"),
      ...(options.mode ? { mode: options.mode } : {}),
      timeouts: options.timeouts ?? {},
      ...(options.memoryMb ? { memoryMb: options.memoryMb } : {}),
    };
    pending.set(jobId(run, i), { name: data.student, data });
  });
  const enqueue = (ids: readonly string[]): Promise<unknown> =>
    queue.addBulk(ids.map((id) => ({ name: pending.get(id)!.name, data: pending.get(id)!.data, opts: { ...JOB_OPTIONS, jobId: id } })));
  const results = new Map<string, StudentResult>();
  const seenNotices = new Set<string>();
  const started = Date.now();
  let graderFailures = 0;
  let failures = 0;
  try {
    await enqueue([...pending.keys()]);
    while (pending.size > 0) {
      if (options.signal?.aborted) throw new Error(`grading stopped with ${pending.size} submission(s) not graded; their jobs were taken off the queue.`);
      const ids = [...pending.keys()];
      const jobs = await Promise.all(ids.map((id) => queue.getJob(id)));
      if (redisDown) {
        notice("Redis is back; the run goes on.");
        redisDown = false;
      }
      const lost = ids.filter((_, k) => jobs[k] === undefined);
      if (lost.length > 0) {
        notice(`${lost.length} unfinished job(s) are no longer in Redis (was it restarted?): enqueued again.`);
        await enqueue(lost);
      }
      const running = await queue.getActiveCount();
      for (const [k, job] of jobs.entries()) {
        if (!job) continue;
        const refused = (job.progress as Partial<RefusalProgress> | undefined)?.refused;
        if (refused && !seenNotices.has(refused)) {
          seenNotices.add(refused);
          notice(refused);
        }
        if (!job.finishedOn) continue;
        const { data } = pending.get(ids[k]!)!;
        let result: StudentResult;
        if (job.failedReason) {
          const stalled = STALLED.test(job.failedReason);
          if (!stalled) graderFailures++;
          result = crashedResult(
            source,
            data.student,
            stalled
              ? `every worker that graded this submission died while running it (${job.stalledCounter} times): it ends the grading process itself. It was not graded.`
              : `the grader failed on this submission ${job.attemptsMade} time(s): ${job.failedReason}`,
          );
        } else result = job.returnvalue;
        if (results.has(result.student)) throw new Error(`two results for ${result.student}: submission names must be unique.`);
        await writeStudentOutputs([result], assignment, options.out);
        result.notebook = null;
        results.set(result.student, result);
        pending.delete(ids[k]!);
        await job.remove().catch(() => undefined);
        if (result.status !== "graded") failures++;
        const elapsed = (Date.now() - started) / 1000;
        options.onProgress?.({
          done: results.size,
          total: submissions.length,
          failures,
          running,
          secondsLeft: Math.round((elapsed / results.size) * (submissions.length - results.size)),
          last: result,
        });
      }
      if (pending.size > 0) await sleep(options.pollMs ?? 500);
    }
  } finally {
    // An interrupted run takes its unfinished jobs off the queue.
    await Promise.all([...pending.keys()].map((id) => queue.remove(id).catch(() => 0))).catch(() => undefined);
    await queue.close();
  }
  const book = gradebook(assignment, [...results.values()]);
  writeGradebook(book, options.out);
  return { book, graderFailures };
}
