/**
 * The first cells of a session, compiled in the bench's own process for `npm run bench --
 * kernel`: a fresh cell compiler compiles a first cell (`1 + 1`) and the import cell, cold or
 * after the steps of the kernel's compiler warm-up (the first program, the packages' typings
 * preloaded), and the warm-up itself is run as the kernel runs it (timers, slices).
 *
 * @module
 */
import { createCellCompiler, loadCellCompilerOptions } from "../kernel/compiler";
import { PRELOADED_MODULES, startWarmUp, type WarmUpReport } from "../kernel/warm-up";

/**
 * The import cell the bench's kernels run (TensorFlow and kernel-helpers).
 *
 * @example
 * ```ts
 * IMPORT_CELL.split("\n").length; // 2
 * ```
 */
export const IMPORT_CELL = 'import * as tf from "@tensorflow/tfjs-node";\nimport { Tokenizer, padSequences, plots, show } from "kernel-helpers";';

/**
 * The kernel's warm-up run in this process on a fresh compiler, as the kernel runs it
 * (timers, slices).
 *
 * @param cwd The notebook folder the compiler works in (this process's folder meanwhile).
 * @returns The warm-up's report.
 * @example
 * ```ts
 * const report = await warmUpSteps(process.cwd());
 * report.firstProgram; // true: no cell had built it
 * report.files > 0; // true: the typings of PRELOADED_MODULES were read
 * ```
 */
export async function warmUpSteps(cwd: string): Promise<WarmUpReport> {
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const compiler = createCellCompiler({ ...loadCellCompilerOptions(cwd).options, inlineSourceMap: true });
    const report = await startWarmUp(compiler, PRELOADED_MODULES).done;
    compiler.close();
    return report;
  } finally {
    process.chdir(previous);
  }
}

/**
 * A first cell and the import cell compiled in this process by a fresh compiler, cold or
 * after the kernel's warm-up steps, in ms.
 *
 * @example
 * ```ts
 * const times: FirstCells = { warmUpMs: 0, firstMs: 120, importMs: 900 };
 * times.firstMs + times.importMs; // 1020
 * ```
 */
export interface FirstCells {
  /** The warm-up's steps (first program, preloading the two packages' typings). */
  warmUpMs: number;
  /** `1 + 1` as the first cell. */
  firstMs: number;
  /** The import cell after it. */
  importMs: number;
}

/**
 * Compiles `1 + 1` and the import cell with a fresh compiler in `cwd`, after the warm-up's
 * steps when `warm`.
 *
 * @param cwd The notebook folder the compiler works in (this process's folder meanwhile).
 * @param warm Whether the warm-up's steps run first.
 * @returns The times, in ms.
 * @throws Error when the import cell does not compile.
 * @example
 * ```ts
 * const cold = firstCells(process.cwd(), false);
 * cold.warmUpMs < 1; // true: no warm-up steps
 * firstCells(process.cwd(), true).importMs > 0; // true
 * ```
 */
export function firstCells(cwd: string, warm: boolean): FirstCells {
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const compiler = createCellCompiler({ ...loadCellCompilerOptions(cwd).options, inlineSourceMap: true });
    let t0 = performance.now();
    if (warm) {
      compiler.buildFirstProgram();
      for (const name of PRELOADED_MODULES) compiler.preloadModule(name);
    }
    const warmUpMs = performance.now() - t0;
    t0 = performance.now();
    const first = compiler.convert("", "1 + 1");
    const firstMs = performance.now() - t0;
    t0 = performance.now();
    const imports = compiler.convert(first.declOutput ?? "", IMPORT_CELL);
    const importMs = performance.now() - t0;
    if (imports.diagnostics.length > 0) throw new Error(`import cell failed to compile: ${imports.diagnostics[0]!.messageText}`);
    compiler.close();
    return { warmUpMs, firstMs, importMs };
  } finally {
    process.chdir(previous);
  }
}
