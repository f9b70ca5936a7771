/**
 * The channel through which code running inside the kernel learns that the user pressed
 * JupyterLab's stop button (a SIGINT), so long loops (training callbacks, generators) can
 * stop cooperatively.
 *
 * The key, the `InterruptSignal` type and the installer are the shared contract's
 * (`kernel-helpers` `contract/interrupt-signal.ts`, which documents `requested` and
 * `onInterrupt`); the kernel installs its `InterruptController` once, in `main.ts`. This
 * module adds the kernel's own part: {@link KeyboardInterrupt}.
 *
 * The kernel itself already stops tfjs `LayersModel.fit` / `fitDataset` at the next batch
 * boundary on interrupt (it adds a callback to every fit), and the cell then ends with a
 * `KeyboardInterrupt` error; other long loops should poll `requested` and throw
 * {@link KeyboardInterrupt}-named errors (or just return).
 *
 * @example
 * ```ts
 * import { interruptRequested } from "kernel-helpers/contract";
 * for (const batch of batches) {
 *   if (interruptRequested()) break;
 *   await step(batch);
 * }
 * ```
 *
 * @module
 */

export { INTERRUPT_SIGNAL_KEY, installInterruptSignal } from "kernel-helpers/contract";
export type { InterruptSignal } from "kernel-helpers/contract";

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
