/**
 * `checkTask`: runs one task's checks in a test cell, shows the student pass/fail with the
 * message and the points so far, and re-throws a failure (so `seqlab grade` scores the cell 0).
 *
 * @module
 */
import { InvalidArgumentError, describeValue } from "../errors";
import { displayBundle, type MimeBundle } from "../display/bundle";

/** The outcome of one task's tests in this kernel. */
export interface TaskResult {
  /** The test cell's `grade_id`. */
  id: string;
  /** Points earned: all or nothing. */
  points: number;
  /** Points available. */
  max: number;
  /** Whether every check passed. */
  passed: boolean;
  /** The failure's message, or `""`. */
  message: string;
}

/** Options of {@link checkTask}. */
export interface CheckTaskOptions {
  /** Where the pass/fail summary goes. @default the notebook's display (stdout outside a kernel) */
  display?: (bundle: MimeBundle) => void;
}

const REGISTRY_KEY = Symbol.for("seqlab.check.results");

/** The results of the test cells run in this kernel, by id (kept across reloads of the module). */
function registry(): Map<string, TaskResult> {
  const g = globalThis as Record<symbol, unknown>;
  if (!(g[REGISTRY_KEY] instanceof Map)) g[REGISTRY_KEY] = new Map<string, TaskResult>();
  return g[REGISTRY_KEY] as Map<string, TaskResult>;
}

/**
 * The results of every test cell run so far in this kernel (the last run of each).
 *
 * @returns One result per task id, in the order they were first run.
 * @example
 * ```ts
 * taskResults().filter((r) => r.passed).length;
 * ```
 */
export function taskResults(): TaskResult[] {
  return [...registry().values()];
}

/**
 * Forgets every recorded result (a fresh start, e.g. after "Restart kernel").
 *
 * @example
 * ```ts
 * resetTaskResults();
 * ```
 */
export function resetTaskResults(): void {
  registry().clear();
}

const escapeHtml = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The pass/fail line and the points-so-far summary, as a MIME bundle. */
function summaryBundle(result: TaskResult, all: readonly TaskResult[]): MimeBundle {
  const earned = all.reduce((a, r) => a + r.points, 0);
  const max = all.reduce((a, r) => a + r.max, 0);
  const passed = all.filter((r) => r.passed).length;
  const head = result.passed
    ? `✔ ${result.id}: passed (${result.points}/${result.max} points)`
    : `✘ ${result.id}: failed (0/${result.max} points): ${result.message}`;
  const tail = `Points so far: ${earned} of ${max} in the ${all.length} test cell${all.length === 1 ? "" : "s"} run (${passed} passed). Hidden tests run when your notebook is graded.`;
  const color = result.passed ? "#1a7f37" : "#cf222e";
  return {
    "text/plain": `${head}\n${tail}`,
    "text/html":
      `<div class="seqlab-check" style="border-left:4px solid ${color};padding:4px 8px">` +
      `<div style="color:${color};font-weight:bold">${escapeHtml(head)}</div><div>${escapeHtml(tail)}</div></div>`,
  };
}

/**
 * Runs one task's checks. On success it shows "✔ <id>: passed"; on failure "✘ <id>: failed"
 * with the message, then re-throws the error so the cell fails (and scores 0 when graded).
 * Either way it shows the points so far of the test cells run in this kernel.
 *
 * @param id The test cell's `grade_id` (the same as its nbgrader metadata).
 * @param points The cell's points (the same as its nbgrader metadata).
 * @param checks The checks; may be async.
 * @param options Where the summary goes.
 * @returns The task's result when every check passed.
 * @throws The first failing check's error (usually a `CheckError`).
 * @example
 * ```ts
 * const TRAIN_SIZE = 4, MAXLEN = 3;
 * const xTrain = tf.zeros([TRAIN_SIZE, MAXLEN]);
 * const result = await checkTask("task1-data", 2, () => {
 *   checkShape(xTrain, [TRAIN_SIZE, MAXLEN], "xTrain", "(TRAIN_SIZE, MAXLEN)");
 * }, { display: () => {} }); // outside a kernel, send the summary nowhere
 * result.points; // 2
 * ```
 */
export async function checkTask(id: string, points: number, checks: () => unknown, options: CheckTaskOptions = {}): Promise<TaskResult> {
  if (typeof id !== "string" || id.length === 0) throw new InvalidArgumentError(`\`id\` must be a non-empty string. Received: id=${describeValue(id)}`);
  if (typeof points !== "number" || !(points >= 0)) throw new InvalidArgumentError(`\`points\` must be a non-negative number. Received: points=${describeValue(points)}`);
  if (typeof checks !== "function") throw new InvalidArgumentError(`\`checks\` must be a function. Received: checks=${describeValue(checks)}`);
  const show = options.display ?? ((bundle: MimeBundle) => void displayBundle(bundle));
  let failure: unknown = null;
  try {
    await checks();
  } catch (err) {
    failure = err;
  }
  const message = failure === null ? "" : failure instanceof Error ? failure.message : String(failure);
  const result: TaskResult = { id, points: failure === null ? points : 0, max: points, passed: failure === null, message };
  registry().set(id, result);
  show(summaryBundle(result, taskResults()));
  if (failure !== null) throw failure;
  return result;
}
