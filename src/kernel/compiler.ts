/**
 * tslab's TypeScript converter, compiled with the project's `tsconfig.json` checks and with
 * inline source maps (for tracebacks in cell lines).
 *
 * tslab 1.0.22 hard-codes its compiler options inside `createConverter` and its TypeScript
 * namespace exports are frozen getters, so options cannot be passed or patched in. The
 * converter's options object is a plain object literal, though, so a compile-time *overlay*
 * works: while (and only while) the converter runs — synchronously, with no user code in
 * between — the extra options are defined as non-enumerable properties of
 * `Object.prototype`, which the compiler reads through its options object. They are removed
 * in a `finally` before control returns. Nothing outside a compile ever sees them.
 *
 * Watch timers: tslab drives TypeScript's watch program through a single timer slot and
 * throws "Unexpected pending rebuildTimer" when TypeScript asks for a second timer. It does
 * when a watched folder changes after a failed module lookup (a failed `import "./utils"`,
 * then any `.ts` or `.json` file written next to the notebook): TypeScript schedules a
 * "re-check failed lookups" timer that takes the slot, and every later cell fails. The
 * compiler therefore gives tslab its timers through {@link createWatchTimers}: only program
 * updates reach tslab's slot; the failed-lookup timer is held back (every program update
 * re-checks failed lookups itself, so the new file is found at the next cell). Should tslab
 * still throw, the converter is rebuilt and the cell compiled again.
 *
 * @module
 */
import { definePatch, duringCall, type GlobalPatch } from "kernel-helpers/contract";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "@tslab/typescript-for-tslab";
import { createConverter, type CompletionInfo, type ConvertResult } from "tslab/dist/converter";
import { expandShorthandProperties } from "./shorthand";

/**
 * The `tsconfig.json` options that are compatible with cell execution: type-checking
 * strictness only. Module, target, lib, types, paths and emit options are the kernel's.
 */
export const CELL_COMPATIBLE_OPTIONS = [
  "noImplicitAny",
  "strictNullChecks",
  "strictFunctionTypes",
  "strictBindCallApply",
  "strictPropertyInitialization",
  "noImplicitThis",
  "useUnknownInCatchVariables",
  "noImplicitReturns",
  "noFallthroughCasesInSwitch",
  "noImplicitOverride",
  "noUncheckedIndexedAccess",
  "exactOptionalPropertyTypes",
  "noPropertyAccessFromIndexSignature",
] as const;

/** The flags `strict: true` turns on (each can still be set on its own). */
const STRICT_FAMILY = new Set<string>([
  "noImplicitAny",
  "strictNullChecks",
  "strictFunctionTypes",
  "strictBindCallApply",
  "strictPropertyInitialization",
  "noImplicitThis",
  "useUnknownInCatchVariables",
]);

/** The type-checking options cells are compiled with, and where they came from. */
export interface CellCompilerOptions {
  /** Option name → value, only {@link CELL_COMPATIBLE_OPTIONS}. */
  options: Record<string, boolean>;
  /** The `tsconfig.json` they were read from, or `undefined` (then `strict` is assumed). */
  tsconfigPath: string | undefined;
  /** Whether the whole `strict` family is on. */
  strict: boolean;
}

/**
 * Finds the nearest `tsconfig.json` from `dir` upwards.
 *
 * @param dir Where to start (the notebook's folder).
 * @returns The file's path, or `undefined`.
 * @example
 * ```ts
 * findTsconfig(process.cwd()); // ".../project/tsconfig.json"
 * ```
 */
export function findTsconfig(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const candidate = path.join(d, "tsconfig.json");
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(d) === d) return undefined;
  }
}

/**
 * Reads the cell-compatible checking options from the project's `tsconfig.json` (with
 * `extends` resolved). Without a tsconfig, or when it cannot be read, cells are checked
 * with `strict: true`.
 *
 * @param dir The notebook's folder; the nearest `tsconfig.json` above it is used.
 * @returns The options.
 * @example
 * ```ts
 * loadCellCompilerOptions(process.cwd()).strict; // true
 * ```
 */
export function loadCellCompilerOptions(dir: string): CellCompilerOptions {
  let tsconfigPath = findTsconfig(dir);
  let raw: Record<string, unknown> = { strict: true };
  if (tsconfigPath) {
    const read = ts.readConfigFile(tsconfigPath, (p) => ts.sys.readFile(p));
    if (read.error) {
      tsconfigPath = undefined;
    } else {
      const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(tsconfigPath), undefined, tsconfigPath);
      raw = parsed.options as Record<string, unknown>;
    }
  }
  const options: Record<string, boolean> = {};
  for (const name of CELL_COMPATIBLE_OPTIONS) {
    const own = raw[name];
    if (typeof own === "boolean") options[name] = own;
    else if (STRICT_FAMILY.has(name) && raw.strict === true) options[name] = true;
  }
  const strict = [...STRICT_FAMILY].every((name) => options[name] === true);
  return { options, tsconfigPath, strict };
}

/** tslab's converter, running under the cell options. */
export interface CellCompiler {
  /** Type-checks and compiles a cell (see tslab's `Converter.convert`), shorthand properties expanded. */
  convert(prevDecl: string, src: string): ConvertResult;
  /** Quick info at a cursor position. */
  inspect(prevDecl: string, src: string, position: number): ts.QuickInfo | undefined;
  /** Completions at a cursor position. */
  complete(prevDecl: string, src: string, position: number): CompletionInfo;
  /** Releases the compiler's watchers. */
  close(): void;
  /** The call-scoped global patch that puts the option overlay on `Object.prototype` during each compile. */
  readonly overlayPatch: GlobalPatch;
}

/** The watch-program timer TypeScript schedules after a change in a folder where a module lookup failed. */
const FAILED_LOOKUP_TIMER = "invalidateResolutionsOfFailedLookup";

type TimerCallback = (...args: unknown[]) => void;

/** What TypeScript's watch program sees as `setTimeout`/`clearTimeout`, in front of tslab's single slot. */
export interface WatchTimers {
  /** TypeScript's `host.setTimeout`. */
  setTimeout(callback: TimerCallback, ms?: number, ...args: unknown[]): unknown;
  /** TypeScript's `host.clearTimeout`. */
  clearTimeout(handle: unknown): void;
  /** Runs the timers held back (before a compile, when tslab's slot is free). */
  runHeld(): void;
}

/**
 * Arbitrates between TypeScript's watch timers and tslab's single timer slot: a timer goes
 * to tslab's slot when the slot is free and it is not the failed-lookup timer; any other is
 * held, and run by {@link WatchTimers.runHeld} (or dropped when TypeScript clears it).
 *
 * @param slot tslab's own `setTimeout`/`clearTimeout`.
 * @returns The timers to give TypeScript.
 * @example
 * ```ts
 * const timers = createWatchTimers({ setTimeout: (cb) => ({ cb }), clearTimeout: () => undefined });
 * ```
 */
export function createWatchTimers(slot: { setTimeout(cb: () => void): unknown; clearTimeout(handle: unknown): void }): WatchTimers {
  let inSlot: unknown;
  let slotRunning = false;
  const held = new Map<object, () => void>();
  return {
    setTimeout(callback, _ms, ...args) {
      if (inSlot === undefined && !slotRunning && callback.name !== FAILED_LOOKUP_TIMER) {
        const handle = slot.setTimeout(() => {
          inSlot = undefined;
          slotRunning = true;
          try {
            callback(...args);
          } finally {
            slotRunning = false;
          }
        });
        inSlot = handle;
        return handle;
      }
      const handle = { held: callback.name };
      held.set(handle, () => callback(...args));
      return handle;
    },
    clearTimeout(handle) {
      if (handle !== undefined && handle === inSlot) {
        slot.clearTimeout(handle);
        inSlot = undefined;
      } else if (typeof handle === "object" && handle !== null) {
        held.delete(handle);
      }
    },
    runHeld() {
      for (const [handle, run] of [...held]) {
        held.delete(handle);
        run();
      }
    },
  };
}

/** Where the watch-timer patch sends TypeScript's reads and tslab's assignments, during one converter creation. */
interface TimerCapture {
  timers: WatchTimers;
  setTslabSet(fn: (cb: () => void) => unknown): void;
  setTslabClear(fn: (handle: unknown) => void): void;
}
let capture: TimerCapture | null = null;

/**
 * The call-scoped global patch around the creation of tslab's converter: `ts.sys.setTimeout`
 * and `clearTimeout` become accessors, so tslab's assignments to its `sys` (which inherits
 * from `ts.sys`) are captured and TypeScript's watch host reads {@link WatchTimers} instead.
 * Uninstalling puts the original properties back.
 */
export const WATCH_TIMERS_PATCH: GlobalPatch = definePatch({
  name: "TypeScript watch timers",
  target: "ts.sys.setTimeout, ts.sys.clearTimeout (of tslab's TypeScript)",
  purpose: "a failed import's re-check timer cannot take tslab's single watch-timer slot (see the module notes)",
  owner: "kernel",
  scope: "call",
  apply() {
    const sys = ts.sys as unknown as Record<string, unknown>;
    const saved = ["setTimeout", "clearTimeout"].map((name) => [name, Object.getOwnPropertyDescriptor(sys, name)] as const);
    const active = (): TimerCapture => {
      if (capture === null) throw new Error("ts.sys watch timers used outside a converter creation");
      return capture;
    };
    Object.defineProperty(sys, "setTimeout", {
      configurable: true,
      get: () => active().timers.setTimeout,
      set: (fn: (cb: () => void) => unknown) => active().setTslabSet(fn),
    });
    Object.defineProperty(sys, "clearTimeout", {
      configurable: true,
      get: () => active().timers.clearTimeout,
      set: (fn: (handle: unknown) => void) => active().setTslabClear(fn),
    });
    return () => {
      for (const [name, descriptor] of saved) {
        if (descriptor) Object.defineProperty(sys, name, descriptor);
        else delete sys[name];
      }
    };
  },
});

/**
 * Runs `create` (which builds tslab's converter) with {@link WATCH_TIMERS_PATCH} installed;
 * `ts.sys` is restored before returning.
 */
function withWatchTimers<T>(create: () => T): { value: T; timers: WatchTimers } {
  let tslabSet: ((cb: () => void) => unknown) | undefined;
  let tslabClear: ((handle: unknown) => void) | undefined;
  const timers = createWatchTimers({
    setTimeout: (cb) => {
      if (!tslabSet) throw new Error("tslab's converter did not install its watch timer");
      return tslabSet(cb);
    },
    clearTimeout: (handle) => tslabClear?.(handle),
  });
  capture = {
    timers,
    setTslabSet: (fn) => (tslabSet = fn),
    setTslabClear: (fn) => (tslabClear = fn),
  };
  try {
    return { value: duringCall(WATCH_TIMERS_PATCH, create), timers };
  } finally {
    capture = null;
  }
}

/**
 * Creates tslab's converter with `overlay` options applied to every compile.
 *
 * @param overlay Options read by the TypeScript compiler in addition to tslab's own.
 * @param log Told when the converter had to be rebuilt (the kernel's own log).
 * @returns The compiler.
 * @example
 * ```ts
 * const compiler = createCellCompiler({ ...loadCellCompilerOptions(dir).options, inlineSourceMap: true });
 * ```
 */
export function createCellCompiler(overlay: Record<string, boolean>, log: (text: string) => void = () => undefined): CellCompiler {
  const proto = Object.prototype as unknown as Record<string, unknown>;
  const overlayPatch = definePatch({
    name: "compiler options overlay",
    target: "Object.prototype (non-enumerable compiler option names)",
    purpose: "tslab's converter compiles with the project's tsconfig checks (see the module notes)",
    owner: "kernel",
    scope: "call",
    apply() {
      const names = Object.keys(overlay).filter((n) => !Object.prototype.hasOwnProperty.call(proto, n));
      for (const n of names) Object.defineProperty(proto, n, { value: overlay[n], configurable: true, enumerable: false, writable: true });
      return () => {
        for (const n of names) delete proto[n];
      };
    },
  });
  const withOverlay = <T>(fn: () => T): T => duringCall(overlayPatch, fn);
  type Converter = ReturnType<typeof createConverter>;
  const build = (): { value: Converter; timers: WatchTimers } => withOverlay(() => withWatchTimers(() => createConverter({ isJS: false, isBrowser: false })));
  let current = build();
  /** Runs `fn` on the converter; if tslab throws, rebuilds the converter once and runs it again. */
  function use<T>(fn: (converter: Converter) => T): T {
    try {
      current.timers.runHeld();
      return withOverlay(() => fn(current.value));
    } catch (first) {
      log(`compiler: rebuilding tslab's converter after: ${first instanceof Error ? first.message : String(first)}`);
      try {
        current.value.close();
      } catch {
        // A broken converter may fail to close; it is replaced either way.
      }
      current = build();
      try {
        return withOverlay(() => fn(current.value));
      } catch {
        throw first;
      }
    }
  }
  return {
    convert: (prevDecl, src) => use((c) => c.convert(prevDecl, expandShorthandProperties(src))),
    inspect: (prevDecl, src, position) => use((c) => c.inspect(prevDecl, src, position)),
    complete: (prevDecl, src, position) => use((c) => c.complete(prevDecl, src, position)),
    close: () => current.value.close(),
    overlayPatch,
  };
}

/** The TypeScript version tslab compiles with. */
export const TYPESCRIPT_VERSION: string = ts.version;
