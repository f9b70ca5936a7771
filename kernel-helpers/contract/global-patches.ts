/**
 * The registry of global patches: every change seqlab makes to objects it does not own
 * (tfjs' `tf.layers` factories and class registry, `console.warn`, `process.stdout.write`,
 * `LayersModel.prototype.fit`, `Object.prototype`, tslab's display hook, `globalThis` keys)
 * is a {@link GlobalPatch} defined with {@link definePatch}, so that it can be listed,
 * installed and uninstalled.
 *
 * A patch's `install` is idempotent (installing twice changes nothing the second time) and
 * `uninstall` puts back exactly what `install` replaced. `scope: "process"` patches stay
 * installed until uninstalled; `scope: "call"` patches are installed only around one
 * synchronous call ({@link duringCall}), so no other code (no other cell, no async work)
 * ever sees them.
 *
 * Which patches exist and who installs them is listed in `src/kernel/global-patches.ts`
 * (the kernel installs all of them, explicitly, before the first cell) and, for the helpers'
 * own, in `helperPatches()` of this module's `index`.
 *
 * @module
 */

/** Who defines a patch. */
export type PatchOwner = "kernel-helpers" | "kernel";

/** What {@link definePatch} takes. */
export interface PatchSpec {
  /** A short unique name, e.g. `"tf.layers recurrent factories"`. */
  name: string;
  /** What the patch changes, e.g. `"tf.layers.lstm, tf.layers.gru, tf.layers.simpleRNN"`. */
  target: string;
  /** Why, in one sentence. */
  purpose: string;
  /** Who defines it. */
  owner: PatchOwner;
  /** `"process"`: installed until uninstalled; `"call"`: only around one synchronous call. */
  scope: "process" | "call";
  /** Makes the change and returns the function that undoes it. */
  apply(): () => void;
}

/** A defined patch: its description and idempotent install/uninstall. */
export interface GlobalPatch {
  /** See {@link PatchSpec.name}. */
  readonly name: string;
  /** See {@link PatchSpec.target}. */
  readonly target: string;
  /** See {@link PatchSpec.purpose}. */
  readonly purpose: string;
  /** See {@link PatchSpec.owner}. */
  readonly owner: PatchOwner;
  /** See {@link PatchSpec.scope}. */
  readonly scope: "process" | "call";
  /** Whether the patch is installed now. */
  readonly installed: boolean;
  /** Installs the patch; does nothing when it is installed. */
  install(): void;
  /** Restores what {@link GlobalPatch.install} replaced; does nothing when not installed. */
  uninstall(): void;
}

/**
 * Defines a global patch (without installing it).
 *
 * @param spec Name, target, purpose, owner, scope and the change itself.
 * @returns The patch.
 * @example
 * ```ts
 * import { definePatch } from "kernel-helpers/contract";
 * const target = { greet: () => "hello" };
 * const patch = definePatch({
 *   name: "example greet", target: "target.greet", purpose: "an example", owner: "kernel-helpers", scope: "process",
 *   apply() { const original = target.greet; target.greet = () => "hi"; return () => { target.greet = original; }; },
 * });
 * patch.install(); patch.install();
 * target.greet(); // "hi"
 * patch.uninstall();
 * target.greet(); // "hello"
 * ```
 */
export function definePatch(spec: PatchSpec): GlobalPatch {
  let restore: (() => void) | null = null;
  const patch: GlobalPatch = {
    name: spec.name,
    target: spec.target,
    purpose: spec.purpose,
    owner: spec.owner,
    scope: spec.scope,
    get installed() {
      return restore !== null;
    },
    install() {
      if (restore === null) restore = spec.apply();
    },
    uninstall() {
      if (restore === null) return;
      const undo = restore;
      restore = null;
      undo();
    },
  };
  return patch;
}

/**
 * Installs the `scope: "process"` patches of `patches` in order (each one only if not
 * installed yet); `scope: "call"` patches are only ever installed by {@link duringCall}.
 *
 * @param patches The patches.
 * @example
 * ```ts
 * import { helperPatches, installPatches } from "kernel-helpers/contract";
 * installPatches(helperPatches());
 * ```
 */
export function installPatches(patches: readonly GlobalPatch[]): void {
  for (const patch of patches) if (patch.scope === "process") patch.install();
}

/**
 * Uninstalls `patches` in reverse order, restoring what they replaced.
 *
 * @param patches The patches.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-node";
 * import { FusedLSTM } from "kernel-helpers";
 * import { helperPatches, installPatches, uninstallPatches } from "kernel-helpers/contract";
 * uninstallPatches(helperPatches());
 * tf.layers.lstm({ units: 2 }) instanceof FusedLSTM; // false
 * installPatches(helperPatches());
 * ```
 */
export function uninstallPatches(patches: readonly GlobalPatch[]): void {
  for (const patch of [...patches].reverse()) patch.uninstall();
}

/**
 * Runs the synchronous `fn` with a `scope: "call"` patch installed, then uninstalls it (unless
 * it was installed before).
 *
 * @param patch The patch.
 * @param fn Synchronous code.
 * @returns What `fn` returns.
 * @throws {TypeError} When `fn` returns a promise (the patch would outlive the call).
 * @example
 * ```ts
 * import { definePatch, duringCall } from "kernel-helpers/contract";
 * const flags = { quiet: false };
 * const quiet = definePatch({ name: "example quiet", target: "flags.quiet", purpose: "an example", owner: "kernel-helpers",
 *   scope: "call", apply() { flags.quiet = true; return () => { flags.quiet = false; }; } });
 * duringCall(quiet, () => flags.quiet); // true
 * flags.quiet; // false
 * ```
 */
export function duringCall<T>(patch: GlobalPatch, fn: () => T): T {
  const wasInstalled = patch.installed;
  patch.install();
  try {
    const result = fn();
    if (result instanceof Promise) {
      throw new TypeError(`duringCall(${patch.name}): \`fn\` must be synchronous; it returned a promise`);
    }
    return result;
  } finally {
    if (!wasInstalled) patch.uninstall();
  }
}
