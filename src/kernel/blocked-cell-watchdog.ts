/**
 * Interrupting a cell whose JavaScript is stuck in a loop *after* an `await`.
 *
 * `vm`'s `breakOnSigint` only covers a cell's synchronous start; once the cell has awaited,
 * its code runs as a microtask and a SIGINT handler cannot run while that code spins. So a
 * worker thread, which keeps running while the main thread is blocked, watches two things:
 *
 * - a pipe from the launcher (`launcher.ts`), which writes one byte for every SIGINT it gets;
 * - a heartbeat the main thread ticks every {@link HEARTBEAT_MS} ms, and a "cell running" flag,
 *   both in shared memory (slots `WATCHDOG_SLOTS` of the kernel-helpers contract).
 *
 * When an interrupt arrives while a cell runs (and no model trains: training stops at its next
 * batch through `training-interrupt.ts`) and the heartbeat then stands still for
 * {@link BLOCKED_AFTER_MS} ms, the main thread is blocked in the cell's code: the worker asks V8,
 * through an inspector session on the main thread, to terminate the JavaScript running now.
 * The event loop then resumes, the SIGINT handler runs, and the cell ends with a
 * `KeyboardInterrupt` like any interrupted cell, variables intact.
 *
 * @module
 */
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { WATCHDOG_SLOT_COUNT, WATCHDOG_SLOTS } from "kernel-helpers/contract";

/** How often the main thread ticks its heartbeat. */
export const HEARTBEAT_MS = 50;

/**
 * How long the heartbeat must stand still after an interrupt before the cell is terminated:
 * long enough that a slow but finite step (a big tensor op, a busy machine) is never cut.
 */
export const BLOCKED_AFTER_MS = 2000;

/** The file descriptor on which the launcher writes a byte per SIGINT. */
export const INTERRUPT_PIPE_FD = 4;

/** The main thread's side of the watchdog. */
export interface BlockedCellWatchdog {
  /** Marks whether a cell is running (only then may its code be terminated). */
  setCellRunning(running: boolean): void;
  /** How many blocked cells the worker has terminated. */
  terminations(): number;
  /** Stops the worker and the heartbeat. */
  stop(): Promise<void>;
}

/**
 * Starts the watchdog worker reading interrupts from `fd`.
 *
 * @param fd The pipe the launcher writes to ({@link INTERRUPT_PIPE_FD}).
 * @returns The main thread's handle.
 * @example
 * ```ts
 * const watchdog = startBlockedCellWatchdog(INTERRUPT_PIPE_FD);
 * watchdog.setCellRunning(true);
 * ```
 */
export function startBlockedCellWatchdog(fd: number = INTERRUPT_PIPE_FD): BlockedCellWatchdog {
  const state = new Int32Array(new SharedArrayBuffer(WATCHDOG_SLOT_COUNT * Int32Array.BYTES_PER_ELEMENT));
  const worker = new Worker(path.join(__dirname, "blocked-cell-worker.js"), {
    workerData: { state, fd, blockedAfterMs: BLOCKED_AFTER_MS },
    stdout: false,
    stderr: false,
  });
  worker.unref();
  worker.on("error", () => undefined);
  const heartbeat = setInterval(() => Atomics.add(state, WATCHDOG_SLOTS.heartbeat, 1), HEARTBEAT_MS);
  heartbeat.unref();
  return {
    setCellRunning(running) {
      Atomics.store(state, WATCHDOG_SLOTS.cellRunning, running ? 1 : 0);
    },
    terminations: () => Atomics.load(state, WATCHDOG_SLOTS.terminations),
    async stop() {
      clearInterval(heartbeat);
      await worker.terminate();
    },
  };
}
