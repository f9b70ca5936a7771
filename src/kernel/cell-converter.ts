/**
 * The cell compiler: type-checks a cell against the declarations of the cells before it and
 * compiles it to CommonJS, with one long-lived TypeScript compiler host and one program per
 * cell.
 *
 * Each cell is a small program of two root files: the previous cells' declarations (a
 * `.d.ts` text that grows cell by cell) and the cell. The program is created from the
 * previous one (`oldProgram`), and the host keeps every parsed and bound `SourceFile`, so the
 * standard library, `@types/node` and imported packages are read, parsed and bound once per
 * session; module resolutions of unchanged files are reused. Only the cell (and local modules
 * it imports) is checked; library files are not (`skipLibCheck`). What stays per cell is the
 * type checker: TypeScript ties a checker to one program. So a cell that imports nothing new
 * gets no program at all: it is checked by the checker of the last program, whose caches are
 * warm (`cell-reuse.ts`); only cells that need a new program (new imports, files changed on
 * disk) pay for one.
 *
 * A cell that declares nothing (only expressions and control flow at its top level) is
 * emitted as JavaScript only: no declaration emit, and the earlier cells' declarations carry
 * over unchanged (the same text, so the next cell reuses the declarations file already parsed
 * and bound; see `cell-reuse.ts`).
 *
 * Before the first cell, {@link CellConverter.buildFirstProgram} can build the program a
 * first cell would (standard library, `@types`) and its checker, and
 * {@link CellConverter.preloadModule} can parse and bind a package's typings into the host's
 * cache without adding them to any program (so they change no cell's meaning), file by file
 * with {@link CellConverter.preloadSteps}; the kernel does both while it waits for its first
 * cell (`warm-up.ts`).
 *
 * The cell is checked as a module whose parent is the declarations file, so names from
 * earlier cells resolve there; each name the cell declares is exported so that its
 * declaration is emitted for the next cell (see `cell-declarations.ts`). Top-level `await`
 * is reported by the compiler (tslab's `disableTopLevelAwait`) and accepted here when it
 * is at the top level of the cell; the kernel then runs the cell in an async function.
 *
 * @module
 */
import * as path from "node:path";
import * as ts from "@tslab/typescript-for-tslab";
import type { CompletionInfo, ConvertResult, Diagnostic, DiagnosticPos, SideOutput } from "tslab/dist/converter";
import { carriedDeclarations, declaresNothing, topLevelNames } from "./cell-declarations";
import { cellCompilerOptions, TARGET } from "./cell-compiler-options";
import { createCellHost } from "./cell-host";
import { cellTransformers } from "./cell-transformers";
import { orderCompletions } from "./cell-completions";
import { standaloneCell, standaloneDiagnostics } from "./cell-reuse";
import { createTypingsPreloader } from "./typings-preload";

/** Every cell's text starts with this, so that it is a module (its names are its own). */
export { cellCompilerOptions } from "./cell-compiler-options";

const PREFIX = "export {};\n";

/** The diagnostic TypeScript gives for `await` outside an async function (TS1308). */
const AWAIT_OUTSIDE_ASYNC = 1308;

/** The cell compiler. */
export interface CellConverter {
  /** Type-checks and compiles a cell after the declarations `prevDecl` of the earlier cells. */
  convert(prevDecl: string, src: string): ConvertResult;
  /** Quick info at a cursor position. */
  inspect(prevDecl: string, src: string, position: number): ts.QuickInfo | undefined;
  /** Completions at a cursor position. */
  complete(prevDecl: string, src: string, position: number): CompletionInfo;
  /** Time spent in each phase of the last {@link CellConverter.convert}, in ms. */
  readonly lastTimings: Readonly<Record<ConvertPhase, number>>;
  /** Whether the last cell was checked by an earlier program's checker (no new program; see `cell-reuse.ts`). */
  readonly lastReused: boolean;
  /** Whether the last cell declared nothing (JavaScript emit only; the declarations carried over unchanged). */
  readonly lastDeclaredNothing: boolean;
  /**
   * Builds the program and checker a first cell would be checked with (standard library and
   * `@types`), if no cell has built one yet.
   *
   * @returns Whether it built one (`false`: a program exists already).
   */
  buildFirstProgram(): boolean;
  /**
   * Parses and binds the typings of a module (and what they import) into the host's cache,
   * without adding them to any program: a later cell importing the module finds them parsed.
   *
   * @param name A module name, resolved from the notebook's folder.
   * @returns Whether the module resolved to typings.
   */
  preloadModule(name: string): boolean;
  /**
   * {@link CellConverter.preloadModule} in small steps (one file parsed, or one reference
   * resolved), so that a caller can stop between any two (see `typings-preload.ts`).
   *
   * @param name A module name, resolved from the notebook's folder.
   * @returns The steps, or `undefined` when the module does not resolve to typings.
   */
  preloadSteps(name: string): IterableIterator<string> | undefined;
}

/** The phases of a cell's compilation, as timed in {@link CellConverter.lastTimings}. */
export type ConvertPhase = "program" | "check" | "emit" | "declarations";

/** How many cells are checked with one program's checker before a new program is made (bounds the memory its caches hold). */
const MAX_REUSE = 200;

/**
 * `program.emit`'s fourth argument for JavaScript only: TypeScript 5.0 takes `EmitOnly.Js`
 * (0) there internally; a TypeScript that does not would read it as `false` (both outputs;
 * the declaration output is then ignored).
 */
const EMIT_ONLY_JS = 0 as unknown as boolean;

/** Whether `d` is an `await` at the top level of the cell (allowed: the cell runs in an async function). */
function isTopLevelAwait(file: ts.SourceFile, d: ts.Diagnostic): boolean {
  if (d.code !== AWAIT_OUTSIDE_ASYNC || d.file !== file || d.start === undefined) return false;
  const token = ts.findPrecedingToken(d.start + (d.length ?? 0), file);
  if (!token || token.kind !== ts.SyntaxKind.AwaitKeyword) return false;
  for (let n: ts.Node | undefined = token.parent; n && n !== file; n = n.parent) {
    if (ts.isFunctionLike(n) || ts.isClassLike(n) || ts.isModuleDeclaration(n)) return false;
  }
  return true;
}

/**
 * Creates the cell compiler for cells run in `cwd`.
 *
 * @param cwd The notebook's folder: module names resolve from here, local `.ts` modules are compiled from here.
 * @param checks Extra compiler options (strictness from the project's `tsconfig.json`, `inlineSourceMap`).
 * @returns The compiler.
 * @example
 * ```ts
 * const converter = createCellConverter(process.cwd(), { strict: true, inlineSourceMap: true });
 * converter.convert("", "const x: number = 1;").declOutput; // "declare const x: number;\n"
 * ```
 */
export function createCellConverter(cwd: string, checks: ts.CompilerOptions): CellConverter {
  const options = cellCompilerOptions(cwd, checks);
  const cellHost = createCellHost(options, cwd);
  // The @types packages, listed once (TypeScript would scan the type roots for every program);
  // without @types/node next to the notebook, tslab's own copy is used.
  options.types = ts.getAutomaticTypeDirectiveNames(options, cellHost.host);
  if (!options.types.includes("node")) {
    options.typeRoots = [path.join(path.dirname(require.resolve("tslab/package.json")), "node_modules", "@types")];
    options.types = ["node"];
  }
  const cellName = path.join(cwd, "__cell__.ts");
  const declName = path.join(cwd, "__prev__.d.ts");
  const outDir = options.outDir!;
  const emitted = new WeakSet<ts.SourceFile>();
  let program: ts.Program | undefined;
  let reused = 0;
  let lastReused = false;
  let lastDeclaredNothing = false;
  let cellCount = 0;
  /** The last standalone declarations file and the program it was bound for (reused while its text stays the same). */
  let keptDecls: { program: ts.Program; file: ts.SourceFile } | undefined;
  const timings: Record<ConvertPhase, number> = { program: 0, check: 0, emit: 0, declarations: 0 };

  /** A cell ready to check: in a program of its own, or standalone for the last program's checker. */
  interface Prepared {
    cell: ts.SourceFile;
    decls: ts.SourceFile;
    checker: ts.TypeChecker;
    /** Whether the cell was prepared standalone (not a file of `program`). */
    standalone: boolean;
  }

  /** Prepares a cell: standalone when possible (see `cell-reuse.ts`), else in a new program. */
  function prepare(prevDecl: string, src: string, newProgram = false): Prepared {
    const changed = cellHost.refresh();
    if (program && !changed && !newProgram && reused < MAX_REUSE) {
      cellCount++;
      try {
        const standalone = standaloneCell(program, cellHost.host, {
          cellName: path.join(cwd, `__cell_${cellCount}__.ts`),
          cellText: PREFIX + src,
          declName: path.join(cwd, `__prev_${cellCount}__.d.ts`),
          declText: PREFIX + prevDecl,
          ...(keptDecls?.program === program ? { decls: keptDecls.file } : {}),
        });
        if (standalone) {
          keptDecls = { program, file: standalone.decls };
          reused++;
          lastReused = true;
          return { ...standalone, checker: program.getTypeChecker(), standalone: true };
        }
      } catch {
        // Compiler internals not as expected: a new program below.
      }
    }
    reused = 0;
    lastReused = false;
    cellHost.setVirtualFile(declName, PREFIX + prevDecl);
    cellHost.setVirtualFile(cellName, PREFIX + src);
    program = ts.createProgram({ rootNames: [declName, cellName], options, host: cellHost.host, oldProgram: program });
    const cell = program.getSourceFile(cellName)!;
    const decls = program.getSourceFile(declName)!;
    (cell as { parent: ts.Node }).parent = decls;
    return { cell, decls, checker: program.getTypeChecker(), standalone: false };
  }

  /** A position in a file, in the cell's own coordinates for the cell. */
  function position(file: ts.SourceFile, offset: number, inCell: boolean): DiagnosticPos {
    const { line, character } = file.getLineAndCharacterOfPosition(offset);
    return inCell ? { offset: offset - PREFIX.length, line: line - 1, character } : { offset, line, character };
  }

  /** tslab-style diagnostics: one entry per message of a chain; files outside `cwd` are left out. */
  function convertDiagnostics(list: readonly ts.Diagnostic[], cell: ts.SourceFile): { diagnostics: Diagnostic[]; hasToplevelAwait: boolean } {
    const diagnostics: Diagnostic[] = [];
    let hasToplevelAwait = false;
    for (const d of list) {
      if (!d.file || d.start === undefined) continue;
      if (isTopLevelAwait(cell, d)) {
        hasToplevelAwait = true;
        continue;
      }
      const inCell = d.file === cell;
      const fileName = inCell ? undefined : path.relative(cwd, d.file.fileName);
      if (fileName?.startsWith("..")) continue;
      const start = position(d.file, d.start, inCell);
      const end = position(d.file, d.start + (d.length ?? 0), inCell);
      if (typeof d.messageText === "string") {
        diagnostics.push({ start, end, messageText: d.messageText, category: d.category, code: d.code, ...(fileName === undefined ? {} : { fileName }) });
        continue;
      }
      const walk = (chain: ts.DiagnosticMessageChain, withFile: boolean): void => {
        diagnostics.push({ start, end, messageText: chain.messageText, category: chain.category, code: chain.code, ...(withFile && fileName !== undefined ? { fileName } : {}) });
        for (const next of chain.next ?? []) walk(next, false);
      };
      walk(d.messageText, true);
    }
    return { diagnostics, hasToplevelAwait };
  }

  /** The local modules (not packages, not declaration files) a file imports, transitively. */
  function localDependencies(checker: ts.TypeChecker, root: ts.SourceFile): ts.SourceFile[] {
    const out: ts.SourceFile[] = [];
    const seen = new Set<ts.SourceFile>([root]);
    const visit = (file: ts.SourceFile): void => {
      for (const s of file.statements) {
        const spec = (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier ? s.moduleSpecifier : undefined;
        const target = spec && checker.getSymbolAtLocation(spec)?.valueDeclaration;
        if (!target || !ts.isSourceFile(target) || seen.has(target)) continue;
        seen.add(target);
        if (target.isDeclarationFile || program!.isSourceFileFromExternalLibrary(target)) continue;
        out.push(target);
        visit(target);
      }
    };
    visit(root);
    return out;
  }

  function convert(prevDecl: string, src: string): ConvertResult {
    try {
      return compile(prevDecl, src, false);
    } catch (err) {
      // The standalone path hit a compiler internal it does not handle: a new program instead.
      if (!lastReused) throw err;
      return compile(prevDecl, src, true);
    }
  }

  function compile(prevDecl: string, src: string, newProgram: boolean): ConvertResult {
    let t = performance.now();
    const lap = (phase: ConvertPhase): void => {
      const now = performance.now();
      timings[phase] = now - t;
      t = now;
    };
    const parsed = ts.createSourceFile(cellName, PREFIX + src, TARGET);
    const names = topLevelNames(parsed);
    const nothing = declaresNothing(parsed);
    lastDeclaredNothing = nothing;
    const suffix = names.size > 0 ? `\nexport {${[...names].join(", ")}}` : "";
    const { cell, decls, checker, standalone } = prepare(prevDecl, src + suffix, newProgram);
    lap("program");
    const deps = localDependencies(checker, cell);
    const all: ts.Diagnostic[] = standalone ? standaloneDiagnostics(checker, cell) : [...program!.getSyntacticDiagnostics(cell), ...program!.getSemanticDiagnostics(cell)];
    for (const file of deps) all.push(...program!.getSyntacticDiagnostics(file), ...program!.getSemanticDiagnostics(file));
    let { diagnostics, hasToplevelAwait } = convertDiagnostics(all, cell);
    lap("check");
    if (diagnostics.length > 0) return { diagnostics };

    let output = "";
    let declOutput = "";
    let lastExpressionVar: string | undefined;
    const sideOutputs: SideOutput[] = [];
    const emitDiagnostics: ts.Diagnostic[] = [];
    const transformers = cellTransformers(checker, decls, names, (name) => (lastExpressionVar = name));
    for (const file of [cell, ...deps.filter((d) => !emitted.has(d))]) {
      const result = program!.emit(
        file,
        (fileName, data) => {
          if (file === cell) {
            if (fileName.endsWith(".d.ts")) declOutput = data;
            else if (fileName.endsWith(".js")) output = data;
          } else if (fileName.endsWith(".js")) {
            sideOutputs.push({ path: path.join(cwd, path.relative(outDir, fileName)), data });
          }
        },
        undefined,
        file === cell && nothing ? EMIT_ONLY_JS : false,
        file === cell ? transformers : undefined,
      );
      emitDiagnostics.push(...result.diagnostics);
      if (file !== cell) emitted.add(file);
    }
    lap("emit");
    ({ diagnostics } = convertDiagnostics(emitDiagnostics, cell));
    if (diagnostics.length > 0) return { diagnostics };
    // A cell that declares nothing leaves the earlier declarations as they were (same text).
    declOutput = nothing ? prevDecl : declOutput + carriedDeclarations(checker, decls, cell);
    lap("declarations");
    sideOutputs.sort((a, b) => a.path.localeCompare(b.path));
    return {
      output,
      declOutput,
      diagnostics: [],
      hasToplevelAwait,
      ...(sideOutputs.length > 0 ? { sideOutputs } : {}),
      ...(lastExpressionVar === undefined ? {} : { lastExpressionVar }),
    };
  }

  const preloader = createTypingsPreloader(cwd, options, cellHost);
  const preloadSteps = (name: string): IterableIterator<string> | undefined => preloader.steps(name);

  return {
    convert,
    inspect(prevDecl, src, pos) {
      const { cell, checker } = prepare(prevDecl, src);
      const info = ts.getQuickInfoAtPosition(cell, checker, { isCancellationRequested: () => false, throwIfCancellationRequested: () => undefined }, pos + PREFIX.length);
      if (info?.textSpan) info.textSpan.start -= PREFIX.length;
      return info;
    },
    complete(prevDecl, src, pos) {
      const { cell } = prepare(prevDecl, src);
      return orderCompletions(program!, cell, pos + PREFIX.length, PREFIX.length);
    },
    lastTimings: timings,
    get lastReused() {
      return lastReused;
    },
    get lastDeclaredNothing() {
      return lastDeclaredNothing;
    },
    buildFirstProgram() {
      if (program) return false;
      cellHost.setVirtualFile(declName, PREFIX);
      cellHost.setVirtualFile(cellName, PREFIX);
      program = ts.createProgram({ rootNames: [declName, cellName], options, host: cellHost.host });
      // The checker binds every file and merges the globals; checking the empty cell resolves the global types.
      program.getSemanticDiagnostics(program.getSourceFile(cellName));
      return true;
    },
    preloadModule(name) {
      const steps = preloadSteps(name);
      if (!steps) return false;
      for (const _file of steps);
      return true;
    },
    preloadSteps,
  };
}
