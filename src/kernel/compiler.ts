/**
 * The kernel's cell compiler under the project's checks: reads the type-checking options of
 * the nearest `tsconfig.json` and creates the cell converter (`cell-converter.ts`) with them
 * and with inline source maps (for tracebacks in cell lines).
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "@tslab/typescript-for-tslab";
import type { CompletionInfo, ConvertResult } from "tslab/dist/converter";
import { createCellConverter, type CellConverter } from "./cell-converter";

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

/** The cell converter under the cell options (see {@link CellConverter}), which the executor also closes. */
export interface CellCompiler extends CellConverter {
  /** Releases the compiler (it holds no watchers or timers; kept for the executor's `close`). */
  close(): void;
}

/**
 * Creates the cell compiler for cells run in the current folder.
 *
 * @param checks Compiler options in addition to the kernel's own (the project's strictness, `inlineSourceMap`).
 * @returns The compiler.
 * @example
 * ```ts
 * const compiler = createCellCompiler({ ...loadCellCompilerOptions(dir).options, inlineSourceMap: true });
 * compiler.convert("", "const x: number = 1;").diagnostics; // []
 * ```
 */
export function createCellCompiler(checks: Record<string, boolean>): CellCompiler {
  const converter = createCellConverter(process.cwd(), checks);
  return {
    convert: (prevDecl, src) => converter.convert(prevDecl, src),
    inspect: (prevDecl, src, position) => converter.inspect(prevDecl, src, position),
    complete: (prevDecl, src, position) => converter.complete(prevDecl, src, position),
    get lastTimings() {
      return converter.lastTimings;
    },
    get lastReused() {
      return converter.lastReused;
    },
    get lastDeclaredNothing() {
      return converter.lastDeclaredNothing;
    },
    buildFirstProgram: () => converter.buildFirstProgram(),
    preloadModule: (name) => converter.preloadModule(name),
    preloadSteps: (name) => converter.preloadSteps(name),
    close: () => undefined,
  };
}

/** The TypeScript version cells are compiled with (tslab's TypeScript). */
export const TYPESCRIPT_VERSION: string = ts.version;
