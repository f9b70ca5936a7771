/**
 * The TypeScript compiler host behind the cell compiler: it keeps every parsed (and bound)
 * `SourceFile` between cells, so each cell's program reuses the library and `node_modules`
 * files of the previous one instead of parsing them again, and it serves the two in-memory
 * files a cell is compiled as (the cell itself and the previous cells' declarations).
 *
 * Module resolutions that succeeded are kept too (keyed by folder and name); failed ones are
 * tried again at every cell, so a module written next to the notebook after a failed import
 * is found by the next cell that imports it. Both caches forget a file whose modification
 * time changed (and every kept resolution when any file changed or disappeared).
 *
 * A cached file is dropped when its modification time changes; files outside `node_modules`
 * are checked before every cell (a module next to the notebook edited between cells is read
 * again), files inside it at most every {@link PACKAGE_RECHECK_MS} (a package installed or
 * updated during a session is seen at the next cell after that).
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "@tslab/typescript-for-tslab";

/** How often cached files under `node_modules` are checked for changes on disk, in ms. */
export const PACKAGE_RECHECK_MS = 2000;

interface CachedFile {
  file: ts.SourceFile;
  mtimeMs: number;
  inPackage: boolean;
}

/** A compiler host with a `SourceFile` cache and in-memory files. */
export interface CellHost {
  /** The host to give `ts.createProgram`. */
  readonly host: ts.CompilerHost;
  /** Sets the text of an in-memory file (it is parsed again only when the text changed). */
  setVirtualFile(fileName: string, text: string): void;
  /**
   * Resolves a module name as the cells' programs do, keeping a success for them.
   *
   * @param name The module name.
   * @param containingFile The importing file.
   * @param cache A resolution cache to consult (only for reading ahead: it also keeps failures).
   * @returns TypeScript's resolution.
   */
  resolveModule(name: string, containingFile: string, cache?: ts.ModuleResolutionCache): ts.ResolvedModuleWithFailedLookupLocations;
  /** Drops cached files whose modification time changed (call before each cell); `true` if any did. */
  refresh(): boolean;
}

function mtimeOf(fileName: string): number {
  try {
    return fs.statSync(fileName).mtimeMs;
  } catch {
    return -1;
  }
}

/**
 * Creates the host.
 *
 * @param options The compiler options (for the default host: lib folder, newline).
 * @param cwd The folder module names are resolved from (the notebook's folder).
 * @returns The host.
 * @example
 * ```ts
 * const cellHost = createCellHost({ target: ts.ScriptTarget.ES2022 }, process.cwd());
 * cellHost.setVirtualFile(path.join(process.cwd(), "__cell__.ts"), "export {};\n1 + 1");
 * ```
 */
export function createCellHost(options: ts.CompilerOptions, cwd: string): CellHost {
  const base = ts.createCompilerHost(options);
  const cache = new Map<string, CachedFile>();
  const virtual = new Map<string, { text: string; file: ts.SourceFile | undefined }>();
  const resolutions = new Map<string, ts.ResolvedModuleWithFailedLookupLocations>();
  let lastPackageCheck = Date.now();

  const host: ts.CompilerHost = {
    ...base,
    getCurrentDirectory: () => cwd,
    getSourceFile(fileName, languageVersion, onError) {
      const v = virtual.get(fileName);
      if (v) {
        v.file ??= ts.createSourceFile(fileName, v.text, languageVersion);
        return v.file;
      }
      const cached = cache.get(fileName);
      if (cached) return cached.file;
      const mtimeMs = mtimeOf(fileName);
      const file = base.getSourceFile(fileName, languageVersion, onError);
      if (file) cache.set(fileName, { file, mtimeMs, inPackage: fileName.includes("/node_modules/") });
      return file;
    },
    resolveModuleNameLiterals(literals, containingFile, redirectedReference, compilerOptions) {
      return literals.map((literal) => resolveModule(literal.text, containingFile, undefined, redirectedReference, compilerOptions));
    },
    fileExists: (fileName) => virtual.has(fileName) || base.fileExists(fileName),
    readFile: (fileName) => virtual.get(fileName)?.text ?? base.readFile(fileName),
    writeFile: () => {
      throw new Error("the cell compiler never writes files");
    },
  };

  function resolveModule(
    name: string,
    containingFile: string,
    cache?: ts.ModuleResolutionCache,
    redirectedReference?: ts.ResolvedProjectReference,
    compilerOptions: ts.CompilerOptions = options,
  ): ts.ResolvedModuleWithFailedLookupLocations {
    const key = `${path.dirname(containingFile)}\0${name}`;
    const kept = resolutions.get(key);
    if (kept) return kept;
    const resolved = ts.resolveModuleName(name, containingFile, compilerOptions, host, cache, redirectedReference);
    if (resolved.resolvedModule) resolutions.set(key, resolved);
    return resolved;
  }

  return {
    host,
    resolveModule: (name, containingFile, cache) => resolveModule(name, containingFile, cache),
    setVirtualFile(fileName, text) {
      const v = virtual.get(fileName);
      if (v?.text === text) return;
      virtual.set(fileName, { text, file: undefined });
    },
    refresh() {
      const now = Date.now();
      const packages = now - lastPackageCheck >= PACKAGE_RECHECK_MS;
      if (packages) lastPackageCheck = now;
      let changed = false;
      for (const [fileName, entry] of cache) {
        if (entry.inPackage && !packages) continue;
        if (mtimeOf(fileName) === entry.mtimeMs) continue;
        cache.delete(fileName);
        resolutions.clear();
        changed = true;
      }
      return changed;
    },
  };
}
