/**
 * The watchdog's worker thread (see `blocked-cell-watchdog.ts`): reads the launcher's
 * interrupt pipe and terminates the main thread's JavaScript when a running cell is blocked.
 *
 * @module
 */
import * as inspector from "node:inspector";
import * as net from "node:net";
import { workerData } from "node:worker_threads";
import { WATCHDOG_SLOTS } from "kernel-helpers/contract";

interface WatchdogData {
  state: Int32Array;
  fd: number;
  blockedAfterMs: number;
}

const { state, fd, blockedAfterMs } = workerData as WatchdogData;
const { cellRunning: CELL_RUNNING, heartbeat: HEARTBEAT, terminations: TERMINATIONS } = WATCHDOG_SLOTS;

const session = new inspector.Session();
session.connectToMainThread();

/** After an interrupt: terminate the cell if the main thread stays blocked while it runs. */
function onInterrupt(): void {
  if (Atomics.load(state, CELL_RUNNING) !== 1) return;
  const beat = Atomics.load(state, HEARTBEAT);
  setTimeout(() => {
    const blocked = Atomics.load(state, HEARTBEAT) === beat && Atomics.load(state, CELL_RUNNING) === 1;
    if (!blocked) return;
    session.post("Runtime.terminateExecution", () => undefined);
    Atomics.add(state, TERMINATIONS, 1);
  }, blockedAfterMs);
}

const pipe = new net.Socket({ fd, readable: true, writable: false });
pipe.on("data", (chunk: Buffer) => {
  for (let i = 0; i < chunk.length; i++) onInterrupt();
});
pipe.on("error", () => undefined);
