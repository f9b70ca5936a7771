/**
 * The channel through which code running inside the kernel learns that the user pressed
 * JupyterLab's stop button (a SIGINT), so long loops (training callbacks, generators) can
 * stop cooperatively.
 *
 * Contract: the kernel installs an {@link InterruptSignal} on `globalThis` under
 * `Symbol.for("seqlab.kernel.interrupt")`. Outside a kernel the symbol is absent: treat that
 * as "never interrupted".
 *
 * - `requested` is `true` from the moment the user interrupts until the running cell has
 *   ended (it is reset when the next cell starts).
 * - `onInterrupt(listener)` calls `listener()` once per interrupt, synchronously from the
 *   kernel's SIGINT handler; it returns a function that removes the listener.
 *
 * The kernel itself already stops tfjs `LayersModel.fit` / `fitDataset` at the next batch
 * boundary on interrupt (it adds a callback to every fit), and the cell then ends with a
 * `KeyboardInterrupt` error; other long loops should poll `requested` and throw
 * {@link KeyboardInterrupt}-named errors (or just return).
 *
 * @example
 * ```ts
 * const signal = (globalThis as any)[Symbol.for("seqlab.kernel.interrupt")];
 * for (const batch of batches) {
 *   if (signal?.requested) break;
 *   await step(batch);
 * }
 * ```
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
 * const signal = (globalThis as Record<symbol, unknown>)[INTERRUPT_SIGNAL_KEY] as InterruptSignal | undefined;
 * if (signal?.requested) model.stopTraining = true;
 * ```
 */
export const INTERRUPT_SIGNAL_KEY: unique symbol = Symbol.for("seqlab.kernel.interrupt") as never;

/**
 * The error a cell ends with when the user interrupts it (named like Python's, which
 * Jupyter front ends and graders recognise).
 *
 * @example
 * ```ts
 * throw new KeyboardInterrupt("Training stopped by the user");
 * ```
 */
export class KeyboardInterrupt extends Error {
  override name = "KeyboardInterrupt";
}

/**
 * Installs `signal` as the process-wide interrupt channel.
 *
 * @param signal The kernel's interrupt state.
 * @example
 * ```ts
 * installInterruptSignal(controller);
 * ```
 */
export function installInterruptSignal(signal: InterruptSignal): void {
  (globalThis as Record<symbol, unknown>)[INTERRUPT_SIGNAL_KEY] = signal;
}
