/**
 * The compiler options of the kernel's cells (see {@link cellCompilerOptions}), shared by the
 * cell converter and the typings preload.
 *
 * @module
 */
import * as path from "node:path";
import * as ts from "@tslab/typescript-for-tslab";

/**
 * The ECMAScript target and library of the running Node.js (Node 18 and later: ES2022).
 *
 * @example
 * ```ts
 * TARGET === ts.ScriptTarget.ES2022; // true
 * ```
 */
export const TARGET = ts.ScriptTarget.ES2022;

/**
 * The kernel's compiler options: CommonJS output (what the kernel runs; dynamic `import()`
 * becomes `require`), top-level `await` reported as TS1308 (tslab's `disableTopLevelAwait`,
 * accepted at the cell's top level), Node resolution, declarations (carried to the next
 * cell), `skipLibCheck`, no `"use strict"` prologue, plus `checks` (the project's strictness
 * options, and `inlineSourceMap` for tracebacks).
 *
 * @param cwd The notebook's folder.
 * @param checks Extra options.
 * @returns The options.
 * @example
 * ```ts
 * cellCompilerOptions(process.cwd(), { strict: true }).skipLibCheck; // true
 * ```
 */
export function cellCompilerOptions(cwd: string, checks: ts.CompilerOptions): ts.CompilerOptions {
  return {
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    target: TARGET,
    lib: ["lib.es2022.d.ts"],
    declaration: true,
    newLine: ts.NewLineKind.LineFeed,
    noImplicitUseStrict: true,
    experimentalDecorators: true,
    resolveJsonModule: true,
    jsx: ts.JsxEmit.React,
    allowJs: true,
    checkJs: true,
    disableTopLevelAwait: true,
    skipLibCheck: true,
    rootDir: cwd,
    outDir: path.join(cwd, "outDir"),
    ...checks,
    // `strict` implies it: cells run as sloppy-mode scripts, as in tslab.
    alwaysStrict: false,
  };
}
