/**
 * The shared-memory layout between the kernel's main thread and its blocked-cell watchdog
 * worker: an `Int32Array` over a `SharedArrayBuffer` with one slot per
 * {@link WATCHDOG_SLOTS} entry.
 *
 * @module
 */

/**
 * Slot indexes of the watchdog's shared state.
 *
 * @example
 * ```ts
 * import { WATCHDOG_SLOTS, WATCHDOG_SLOT_COUNT } from "kernel-helpers/contract";
 * const state = new Int32Array(new SharedArrayBuffer(WATCHDOG_SLOT_COUNT * Int32Array.BYTES_PER_ELEMENT));
 * Atomics.store(state, WATCHDOG_SLOTS.cellRunning, 1);
 * ```
 */
export const WATCHDOG_SLOTS = {
  /** 1 while a cell runs. */
  cellRunning: 0,
  /** Incremented by the main thread's heartbeat. */
  heartbeat: 1,
  /** Incremented by the worker each time it terminated a blocked cell. */
  terminations: 2,
} as const;

/** How many slots the shared state has. */
export const WATCHDOG_SLOT_COUNT: number = Object.keys(WATCHDOG_SLOTS).length;
