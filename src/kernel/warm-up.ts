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
 * that step a no-op.
 *
 * @module
 */

/** The packages whose typings are preloaded: what the course's notebooks import first. */
export const PRELOADED_MODULES: readonly string[] = ["@tensorflow/tfjs-node", "kernel-helpers"];

/** The pause before each step, in ms: long enough for a request that arrived during the last step to be read first. */
export const STEP_GAP_MS = 15;

/** How often a step due while the kernel runs a cell checks again, in ms. */
const BUSY_POLL_MS = 50;

/** What the warm-up needs from the cell compiler. */
export interface WarmUpTarget {
  /** Builds the first program, unless a cell built one; `true` if it did. */
  buildFirstProgram(): boolean;
  /** Parses and binds a module's typings into the cache; `true` if the module resolved. */
  preloadModule(name: string): boolean;
}

/** What the warm-up did. */
export interface WarmUpReport {
  /** Whether it built the first program (`false`: a cell had built it already). */
  firstProgram: boolean;
  /** The modules whose typings were preloaded (those that resolved). */
  preloaded: string[];
  /** Milliseconds spent in the steps. */
  ms: number;
}

/** A warm-up under way. */
export interface WarmUp {
  /** Resolves when every step ran (or the warm-up was cancelled). */
  readonly done: Promise<WarmUpReport>;
  /** Skips the steps not yet run. */
  cancel(): void;
}

/**
 * Starts warming `target`: the first program, then each module, one step per event-loop turn.
 *
 * @param target The cell compiler.
 * @param modules The modules to preload.
 * @param hooks `busy`: whether the kernel is running a cell (steps wait until it is not);
 *   `log`: told about a step that failed (the first cell then does that work, as without a warm-up).
 * @returns The warm-up.
 * @example
 * ```ts
 * const warm = startWarmUp(compiler, PRELOADED_MODULES);
 * (await warm.done).firstProgram; // true when no cell ran first
 * ```
 */
export function startWarmUp(
  target: WarmUpTarget,
  modules: readonly string[],
  hooks: { busy?: () => boolean; log?: (text: string) => void } = {},
): WarmUp {
  const busy = hooks.busy ?? (() => false);
  let cancelled = false;
  const report: WarmUpReport = { firstProgram: false, preloaded: [], ms: 0 };
  const steps: (() => void)[] = [
    () => {
      report.firstProgram = target.buildFirstProgram();
    },
    ...modules.map((name) => () => {
      if (target.preloadModule(name)) report.preloaded.push(name);
    }),
  ];
  const done = (async () => {
    for (const step of steps) {
      await new Promise((resolve) => setTimeout(resolve, STEP_GAP_MS));
      while (busy() && !cancelled) await new Promise((resolve) => setTimeout(resolve, BUSY_POLL_MS));
      if (cancelled) break;
      const t0 = performance.now();
      try {
        step();
      } catch (err) {
        hooks.log?.(`compiler warm-up step failed (the first cell does this work instead): ${err instanceof Error ? err.message : String(err)}`);
      }
      report.ms += performance.now() - t0;
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
