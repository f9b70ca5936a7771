/**
 * Preloading a package's typings into the cell compiler's host cache in small steps, so that
 * the kernel's warm-up can stop between any two when a cell arrives.
 *
 * Starting from the file a module name resolves to, one step parses a declaration file
 * through the compiler host (which keeps it) and binds it as a checker would, the next ones
 * resolve what it refers to, one reference per step: its imports and re-exports
 * (`export * as ns from` and `import("x")` types included), `/// <reference path>` and
 * `/// <reference types>`; the declaration files found are queued. Module resolutions that
 * succeed are kept by the host for the cells' programs. A file is parsed with the options a
 * program would give it (the target, the module detection of the compiler options), so the
 * program of a later cell that imports the package finds it in the cache, parsed and bound,
 * exactly as if it had read the file itself. No program is built: the files are in no program
 * (and change no cell's meaning) until a cell imports the package. Only which files are read
 * ahead depends on how references are found here; a file missed is read by the program that
 * needs it, as without a preload.
 *
 * @module
 */
import * as path from "node:path";
import * as ts from "@tslab/typescript-for-tslab";
import { bindFiles } from "./cell-reuse";
import type { CellHost } from "./cell-host";

/** The compiler internal that gives a program's per-file module detection. */
interface ParseInternals {
  getSetExternalModuleIndicator?(options: ts.CompilerOptions): (file: ts.SourceFile) => void;
}

/** Whether a file name is a declaration file (`.d.ts`, `.d.mts`, `.d.cts`). */
function isDeclarationFile(fileName: string): boolean {
  return /\.d\.[cm]?ts$/.test(fileName);
}

/** The references of a file, resolved one by one. */
type Reference = { kind: "module" | "types"; name: string; from: string } | { kind: "path"; fileName: string };

/** The module names of `file`'s top-level imports and re-exports (`export * as ns from` included). */
function topLevelModuleNames(file: ts.SourceFile): string[] {
  const names: string[] = [];
  for (const s of file.statements) {
    if ((ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier && ts.isStringLiteralLike(s.moduleSpecifier)) {
      names.push(s.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(s) && ts.isExternalModuleReference(s.moduleReference) && ts.isStringLiteralLike(s.moduleReference.expression)) {
      names.push(s.moduleReference.expression.text);
    }
  }
  return names;
}

/**
 * What `file` refers to: its imports and re-exports (from its statements, and TypeScript's
 * quick scan for the rest, such as `import("x")` types), `/// <reference path>` and
 * `/// <reference types>`.
 */
function referencesOf(file: ts.SourceFile): Reference[] {
  const info = ts.preProcessFile(file.text, true, false);
  const modules = new Set([...topLevelModuleNames(file), ...info.importedFiles.map((r) => r.fileName)]);
  return [
    ...[...modules].map((name): Reference => ({ kind: "module", name, from: file.fileName })),
    ...info.referencedFiles.map((r): Reference => ({ kind: "path", fileName: path.resolve(path.dirname(file.fileName), r.fileName) })),
    ...info.typeReferenceDirectives.map((r): Reference => ({ kind: "types", name: r.fileName, from: file.fileName })),
  ];
}

/**
 * A preloader shared by every package a compiler preloads (files and resolutions are read once).
 *
 * @example
 * ```ts
 * import { cellCompilerOptions } from "./cell-compiler-options";
 * import { createCellHost } from "./cell-host";
 * const cwd = process.cwd();
 * const options = cellCompilerOptions(cwd, { strict: true });
 * const preloader: TypingsPreloader = createTypingsPreloader(cwd, options, createCellHost(options, cwd));
 * const walk = preloader.steps("@tensorflow/tfjs-node")!;
 * walk.next().value; // "read <cwd>/node_modules/@tensorflow/tfjs-node/dist/index.d.ts"
 * [...walk].length > 0; // true: the rest of the walk
 * [...preloader.steps("@tensorflow/tfjs-node")!].length; // 0: read once
 * ```
 */
export interface TypingsPreloader {
  /**
   * The steps that preload the typings `name` resolves to: each `next()` either parses and
   * binds one file or resolves one of its references (its value says which); the iterator is
   * done when every file reached was read. A file whose references an earlier call resolved
   * is not read again (its resolved references are followed without steps); a walk dropped
   * part-way leaves the files it did not finish to the next call.
   *
   * @param name A module name, resolved from the preloader's folder.
   * @returns The steps, or `undefined` when `name` does not resolve to declaration files.
   */
  steps(name: string): IterableIterator<string> | undefined;
}

/**
 * Creates a preloader for a cell compiler.
 *
 * @param cwd The notebook's folder (module names are resolved from there).
 * @param options The cells' compiler options.
 * @param cellHost The cell compiler's host (its cache keeps the files, and the module resolutions for the programs).
 * @returns The preloader.
 * @example
 * ```ts
 * import { cellCompilerOptions } from "./cell-compiler-options";
 * import { createCellHost } from "./cell-host";
 * const cwd = process.cwd();
 * const options = cellCompilerOptions(cwd, { strict: true });
 * const preloader = createTypingsPreloader(cwd, options, createCellHost(options, cwd));
 * for (const step of preloader.steps("kernel-helpers") ?? []) console.log(step); // "read …/kernel-helpers/dist/index.d.ts", "resolved ./errors", …
 * preloader.steps("no-such-package"); // undefined
 * ```
 */
export function createTypingsPreloader(cwd: string, options: ts.CompilerOptions, cellHost: CellHost): TypingsPreloader {
  const host = cellHost.host;
  const resolutionCache = ts.createModuleResolutionCache(cwd, (f) => f, options);
  const parseOptions: ts.CreateSourceFileOptions = {
    languageVersion: options.target ?? ts.ScriptTarget.ES2022,
    setExternalModuleIndicator: (ts as unknown as ParseInternals).getSetExternalModuleIndicator?.(options),
  };
  /** Each file whose references were all resolved, with the declaration files they resolve to. */
  const finished = new Map<string, readonly string[]>();
  /** The roots whose walk ran to its end (everything reachable from them is finished). */
  const complete = new Set<string>();

  function resolve(ref: Reference): string | undefined {
    if (ref.kind === "path") return ref.fileName;
    if (ref.kind === "module") return cellHost.resolveModule(ref.name, ref.from, resolutionCache).resolvedModule?.resolvedFileName;
    return ts.resolveTypeReferenceDirective(ref.name, ref.from, options, host).resolvedTypeReferenceDirective?.resolvedFileName;
  }

  return {
    steps(name) {
      const root = cellHost.resolveModule(name, path.join(cwd, "__preload__.ts"), resolutionCache).resolvedModule?.resolvedFileName;
      if (!root || !isDeclarationFile(root)) return undefined;
      return (function* steps(): IterableIterator<string> {
        if (complete.has(root)) return;
        const queued = new Set([root]);
        const queue = [root];
        const enqueue = (fileName: string): void => {
          if (!queued.has(fileName)) {
            queued.add(fileName);
            queue.push(fileName);
          }
        };
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
          const known = finished.get(next);
          if (known) {
            known.forEach(enqueue);
            continue;
          }
          const file = host.getSourceFile(next, parseOptions);
          if (!file) continue;
          bindFiles([file], options);
          yield `read ${next}`;
          const found: string[] = [];
          for (const ref of referencesOf(file)) {
            const fileName = resolve(ref);
            if (fileName !== undefined && isDeclarationFile(fileName)) {
              found.push(fileName);
              enqueue(fileName);
            }
            yield `resolved ${ref.kind === "path" ? ref.fileName : ref.name}`;
          }
          finished.set(next, found);
        }
        complete.add(root);
      })();
    },
  };
}
