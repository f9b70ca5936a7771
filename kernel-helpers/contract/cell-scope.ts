/**
 * The cell scope: how the kernel's compiled cells reach the `exports` object that holds the
 * notebook's variables and the `require` that resolves their imports.
 *
 * The kernel installs a {@link CellScope} on `globalThis` under {@link CELL_SCOPE_KEY}
 * (`Symbol.for("seqlab.kernel.cellScope")`) and wraps each compiled cell as a function
 * called with {@link CELL_SCOPE_ARGUMENTS}, JavaScript source that reads the scope back.
 *
 * @module
 */

/** What the kernel installs under {@link CELL_SCOPE_KEY}. */
export interface CellScope {
  /** The notebook's variables (what cells declare at top level). */
  exports: Record<string, unknown>;
  /** Resolves a cell's imports. */
  require: NodeJS.Require;
}

/**
 * The global symbol under which the kernel installs the {@link CellScope}.
 *
 * @example
 * ```ts
 * import { CELL_SCOPE_KEY } from "kernel-helpers/contract";
 * CELL_SCOPE_KEY.description; // "seqlab.kernel.cellScope"
 * ```
 */
export const CELL_SCOPE_KEY: unique symbol = Symbol.for("seqlab.kernel.cellScope") as never;

const read = `globalThis[Symbol.for(${JSON.stringify(CELL_SCOPE_KEY.description)})]`;

/**
 * JavaScript source of the arguments a wrapped cell is called with: the scope's `exports`,
 * then its `require`.
 *
 * @example
 * ```ts
 * import { CELL_SCOPE_ARGUMENTS } from "kernel-helpers/contract";
 * const wrapped = `(function (exports, require) { exports.x = 1; })(${CELL_SCOPE_ARGUMENTS})`;
 * ```
 */
export const CELL_SCOPE_ARGUMENTS = `${read}.exports, ${read}.require`;

/**
 * Installs `scope` as the process-wide cell scope (the kernel does this once).
 *
 * @param scope The notebook's `exports` and `require`.
 * @example
 * ```ts
 * import { installCellScope } from "kernel-helpers/contract";
 * installCellScope({ exports: {}, require });
 * ```
 */
export function installCellScope(scope: CellScope): void {
  (globalThis as Record<symbol, unknown>)[CELL_SCOPE_KEY] = scope;
}
