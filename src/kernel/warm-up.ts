/**
 * Warming the cell compiler while the kernel waits for its first cell: the program a first
 * cell is checked with (standard library, `@types`) and its checker are built, then the
 * typings of the packages the course's notebooks import are parsed and bound into the
 * compiler host's cache. A first cell then checks with a ready checker, and the first import
 * cell finds the package typings parsed and bound (it still builds a program with them: the
 * preloaded typings are in no program before a cell imports them, so they change no cell's
 * meaning).
 *
 * Each step runs on a timer of its own ({@link STEP_GAP_MS} after the last), and not while the
 * kernel runs a cell (`busy`): a cell that arrives during a step waits for that step only, the
 * rest wait until the kernel is idle again, and a cell compiled before the first step makes
 * that step a no-op. The first program is one step (work the first cell would otherwise do
 * itself); preloading a package's typings goes file by file, in steps of at most about
 * {@link SLICE_MS} (one file is never split), so a cell waits at most that long for it.
 *
 * @module
 */

/**
 * The packages whose typings are preloaded: what the course's notebooks import first.
 *
 * @example
 * ```ts
 * PRELOADED_MODULES.includes("kernel-helpers"); // true
 * ```
 */
export const PRELOADED_MODULES: readonly string[] = ["@tensorflow/tfjs-node", "kernel-helpers"];

/**
 * The pause before each step, in ms: long enough for a request that arrived during the last step to be read first.
 *
 * @example
 * ```ts
 * STEP_GAP_MS; // 15
 * ```
 */
export const STEP_GAP_MS = 15;

/**
 * How long one preload step may run, in ms: it stops after the first file that ends past this.
 *
 * @example
 * ```ts
 * SLICE_MS; // 20
 * ```
 */
export const SLICE_MS = 20;

/** How often a step due while the kernel runs a cell checks again, in ms. */
const BUSY_POLL_MS = 50;

/**
 * What the warm-up needs from the cell compiler (the kernel's compiler is one).
 *
 * @example
 * ```ts
 * const target: WarmUpTarget = {
 *   buildFirstProgram: () => true,
 *   preloadSteps: (name) => (name === "pkg" ? ["read a.d.ts", "resolved ./b", "read b.d.ts"][Symbol.iterator]() : undefined),
 * };
 * const report = await startWarmUp(target, ["pkg", "not-installed"]).done;
 * [report.firstProgram, report.preloaded, report.files]; // [true, ["pkg"], 2]
 * ```
 */
export interface WarmUpTarget {
  /** Builds the first program, unless a cell built one; `true` if it did. */
  buildFirstProgram(): boolean;
  /** Steps that parse and bind a module's typings into the cache (one file parsed or one reference resolved each; a value starting with `"read "` is a file); `undefined` if the module does not resolve to typings. */
  preloadSteps(name: string): Iterator<string> | undefined;
}

/**
 * What the warm-up did.
 *
 * @example
 * ```ts
 * const target: WarmUpTarget = { buildFirstProgram: () => false, preloadSteps: () => undefined };
 * const report: WarmUpReport = await startWarmUp(target, ["not-installed"]).done;
 * [report.firstProgram, report.preloaded, report.files]; // [false, [], 0]: a cell had built the program
 * ```
 */
export interface WarmUpReport {
  /** Whether it built the first program (`false`: a cell had built it already). */
  firstProgram: boolean;
  /** The modules whose typings were preloaded (those that resolved). */
  preloaded: string[];
  /** How many typings files were preloaded. */
  files: number;
  /** Milliseconds spent in the steps. */
  ms: number;
  /** Milliseconds of the first program's step (0 when a cell had built it). */
  firstProgramMs: number;
  /** How many preload steps (slices of about {@link SLICE_MS}) ran. */
  slices: number;
  /** The longest preload step, in ms: how long a cell arriving during the preload may wait. */
  longestSliceMs: number;
}

/**
 * A warm-up under way.
 *
 * @example
 * ```ts
 * const target: WarmUpTarget = { buildFirstProgram: () => true, preloadSteps: () => ["read a.d.ts"][Symbol.iterator]() };
 * const warm: WarmUp = startWarmUp(target, ["pkg"]);
 * warm.cancel(); // before its first step
 * (await warm.done).files; // 0
 * ```
 */
export interface WarmUp {
  /** Resolves when every step ran (or the warm-up was cancelled). */
  readonly done: Promise<WarmUpReport>;
  /** Skips the steps not yet run. */
  cancel(): void;
}

/**
 * Starts warming `target`: the first program, then each module's typings in slices, one step per timer.
 *
 * @param target The cell compiler.
 * @param modules The modules to preload.
 * @param hooks `busy`: whether the kernel is running a cell (steps wait until it is not);
 *   `log`: told about a step that failed (the first cell then does that work, as without a warm-up).
 * @returns The warm-up.
 * @example
 * ```ts
 * import { createCellCompiler, loadCellCompilerOptions } from "./compiler";
 * const compiler = createCellCompiler(loadCellCompilerOptions(process.cwd()).options);
 * const warm = startWarmUp(compiler, PRELOADED_MODULES);
 * const report = await warm.done;
 * report.firstProgram; // true: no cell ran first
 * report.preloaded; // ["@tensorflow/tfjs-node", "kernel-helpers"]
 * compiler.close();
 * ```
 */
export function startWarmUp(
  target: WarmUpTarget,
  modules: readonly string[],
  hooks: { busy?: () => boolean; log?: (text: string) => void } = {},
): WarmUp {
  const busy = hooks.busy ?? (() => false);
  let cancelled = false;
  const report: WarmUpReport = { firstProgram: false, preloaded: [], files: 0, ms: 0, firstProgramMs: 0, slices: 0, longestSliceMs: 0 };
  // Each task runs one step per call and says whether it has more to do.
  const tasks: (() => boolean)[] = [
    () => {
      report.firstProgram = target.buildFirstProgram();
      return false;
    },
    ...modules.map((name) => {
      let steps: Iterator<string> | undefined | null = null;
      return () => {
        steps ??= target.preloadSteps(name);
        if (!steps) return false;
        const t0 = performance.now();
        while (performance.now() - t0 < SLICE_MS) {
          const step = steps.next();
          if (step.done) {
            report.preloaded.push(name);
            return false;
          }
          if (step.value.startsWith("read ")) report.files++;
        }
        return true;
      };
    }),
  ];
  const done = (async () => {
    for (const [k, task] of tasks.entries()) {
      for (let more = true; more; ) {
        await new Promise((resolve) => setTimeout(resolve, STEP_GAP_MS));
        while (busy() && !cancelled) await new Promise((resolve) => setTimeout(resolve, BUSY_POLL_MS));
        if (cancelled) return report;
        const t0 = performance.now();
        try {
          more = task();
        } catch (err) {
          more = false;
          hooks.log?.(`compiler warm-up step failed (the first cell does this work instead): ${err instanceof Error ? err.message : String(err)}`);
        }
        const ms = performance.now() - t0;
        report.ms += ms;
        if (k === 0) {
          report.firstProgramMs = ms;
        } else {
          report.slices++;
          report.longestSliceMs = Math.max(report.longestSliceMs, ms);
        }
      }
    }
    return report;
  })();
  return {
    done,
    cancel() {
      cancelled = true;
    },
  };
}
