/**
 * Keeps cells from ending the kernel with `process.exit()`: the kernel would die with no
 * message in the cell, every variable would be lost, and the client would wait until its
 * heartbeat check gave up. Once {@link guardProcessExit} runs, `process.exit` throws a
 * {@link ProcessExitRefused} error instead, which the cell reports like any error. The kernel
 * ends itself through {@link exitKernel}.
 *
 * @module
 */
import { definePatch, type GlobalPatch } from "kernel-helpers/contract";

/** The real `process.exit`, captured when the kernel loads. */
const realExit: (code?: number) => never = process.exit.bind(process);

/**
 * Thrown by `process.exit()` called from a cell.
 *
 * @example
 * ```ts
 * try { process.exit(1); } catch (err) { err instanceof ProcessExitRefused; } // true in the kernel
 * ```
 */
export class ProcessExitRefused extends Error {
  /** The exit code the cell asked for. */
  readonly code: number | string | null | undefined;

  constructor(code: number | string | null | undefined) {
    super(
      `process.exit(${code === undefined ? "" : String(code)}) was refused: it would end the kernel and lose every variable. ` +
        "To stop a cell early, throw an error; to start afresh, use Kernel > Restart Kernel.",
    );
    this.name = "ProcessExitRefused";
    this.code = code;
  }
}

/**
 * Ends the kernel process (the only way the kernel itself exits once the guard is on).
 *
 * @param code The exit code.
 * @example
 * ```ts
 * exitKernel(0);
 * ```
 */
export function exitKernel(code: number): never {
  return realExit(code);
}

/**
 * The exit guard as a global patch (listed in `global-patches.ts`): replaces `process.exit`
 * with a function that throws {@link ProcessExitRefused}; uninstalling puts the original back.
 *
 * @example
 * ```ts
 * EXIT_GUARD_PATCH.install();
 * process.exit(1); // throws ProcessExitRefused
 * ```
 */
export const EXIT_GUARD_PATCH: GlobalPatch = definePatch({
  name: "process.exit guard",
  target: "process.exit",
  purpose: "a cell calling process.exit() gets an error instead of killing the kernel",
  owner: "kernel",
  scope: "process",
  apply() {
    const saved = process.exit;
    process.exit = ((code?: number | string | null) => {
      throw new ProcessExitRefused(code);
    }) as typeof process.exit;
    return () => {
      process.exit = saved;
    };
  },
});

/**
 * Replaces `process.exit` with a function that throws {@link ProcessExitRefused} (installs
 * {@link EXIT_GUARD_PATCH}).
 *
 * @example
 * ```ts
 * guardProcessExit();
 * process.exit(1); // throws ProcessExitRefused
 * ```
 */
export function guardProcessExit(): void {
  EXIT_GUARD_PATCH.install();
}
