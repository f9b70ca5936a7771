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
 * @module
 */
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
}

/**
 * Creates tslab's converter with `overlay` options applied to every compile.
 *
 * @param overlay Options read by the TypeScript compiler in addition to tslab's own.
 * @returns The compiler.
 * @example
 * ```ts
 * const compiler = createCellCompiler({ ...loadCellCompilerOptions(dir).options, inlineSourceMap: true });
 * ```
 */
export function createCellCompiler(overlay: Record<string, boolean>): CellCompiler {
  const proto = Object.prototype as unknown as Record<string, unknown>;
  function withOverlay<T>(fn: () => T): T {
    const names = Object.keys(overlay).filter((n) => !Object.prototype.hasOwnProperty.call(proto, n));
    for (const n of names) Object.defineProperty(proto, n, { value: overlay[n], configurable: true, enumerable: false, writable: true });
    try {
      return fn();
    } finally {
      for (const n of names) delete proto[n];
    }
  }
  const converter = withOverlay(() => createConverter({ isJS: false, isBrowser: false }));
  return {
    convert: (prevDecl, src) => withOverlay(() => converter.convert(prevDecl, expandShorthandProperties(src))),
    inspect: (prevDecl, src, position) => withOverlay(() => converter.inspect(prevDecl, src, position)),
    complete: (prevDecl, src, position) => withOverlay(() => converter.complete(prevDecl, src, position)),
    close: () => converter.close(),
  };
}

/** The TypeScript version tslab compiles with. */
export const TYPESCRIPT_VERSION: string = ts.version;
