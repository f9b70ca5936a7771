/**
 * The interrupt channel: how code running inside the seqlab kernel learns that the user
 * pressed JupyterLab's stop button (a SIGINT), so long loops (training callbacks,
 * generators) can stop cooperatively.
 *
 * The kernel installs an {@link InterruptSignal} on `globalThis` under
 * {@link INTERRUPT_SIGNAL_KEY} (`Symbol.for("seqlab.kernel.interrupt")`); helpers look it up
 * with {@link interruptSignal}. Outside a kernel the key is absent: treat that as "never
 * interrupted" ({@link interruptRequested} does).
 *
 * - `requested` is `true` from the moment the user interrupts until the running cell has
 *   ended (it is reset when the next cell starts).
 * - `onInterrupt(listener)` calls `listener()` once per interrupt, synchronously from the
 *   kernel's SIGINT handler; it returns a function that removes the listener.
 *
 * @module
 */

/** What the kernel installs under {@link INTERRUPT_SIGNAL_KEY}. */
export interface InterruptSignal {
  /** Whether the user has interrupted the cell that is running now. */
  readonly requested: boolean;
  /**
   * Registers `listener`, called once per interrupt.
   *
   * @returns A function removing the listener.
   */
  onInterrupt(listener: () => void): () => void;
}

/**
 * The global symbol under which the kernel installs its {@link InterruptSignal}.
 *
 * @example
 * ```ts
 * import { INTERRUPT_SIGNAL_KEY } from "kernel-helpers/contract";
 * INTERRUPT_SIGNAL_KEY.description; // "seqlab.kernel.interrupt"
 * ```
 */
export const INTERRUPT_SIGNAL_KEY: unique symbol = Symbol.for("seqlab.kernel.interrupt") as never;

/**
 * The interrupt signal the kernel installed, if any.
 *
 * @returns The signal inside the kernel; `undefined` in plain Node.
 * @example
 * ```ts
 * import { interruptSignal } from "kernel-helpers/contract";
 * const stop = interruptSignal()?.onInterrupt(() => console.log("stopping"));
 * stop?.();
 * ```
 */
export function interruptSignal(): InterruptSignal | undefined {
  const value = (globalThis as Record<symbol, unknown>)[INTERRUPT_SIGNAL_KEY];
  return value !== null && typeof value === "object" ? (value as InterruptSignal) : undefined;
}

/**
 * Whether the user has interrupted the running cell.
 *
 * @returns `true` after a stop request in the kernel; always `false` in plain Node.
 * @example
 * ```ts
 * import { interruptRequested } from "kernel-helpers/contract";
 * for (let step = 0; step < 3 && !interruptRequested(); step++) console.log(step);
 * ```
 */
export function interruptRequested(): boolean {
  return interruptSignal()?.requested === true;
}

/**
 * Installs `signal` as the process-wide interrupt channel (the kernel does this once).
 *
 * @param signal The kernel's interrupt state, or `undefined` to remove the channel.
 * @returns The signal it replaces (`undefined` when none).
 * @example
 * ```ts
 * import { installInterruptSignal, interruptRequested } from "kernel-helpers/contract";
 * const previous = installInterruptSignal({ requested: true, onInterrupt: () => () => undefined });
 * interruptRequested(); // true
 * installInterruptSignal(previous);
 * ```
 */
export function installInterruptSignal(signal: InterruptSignal | undefined): InterruptSignal | undefined {
  const previous = interruptSignal();
  const g = globalThis as Record<symbol, unknown>;
  if (signal === undefined) delete g[INTERRUPT_SIGNAL_KEY];
  else g[INTERRUPT_SIGNAL_KEY] = signal;
  return previous;
}
