/**
 * Checking a cell with the type checker of an earlier cell's program, without a new program.
 *
 * Creating a program per cell is cheap when it reuses the previous one's files, but its type
 * checker is new, and a new checker resolves again everything the cell touches: the
 * `export *` chains of `@tensorflow/tfjs-node`, the types of `tf.Tensor`, the globals of the
 * standard library. Most cells import nothing new, though. For those, the cell and the
 * declarations of the earlier cells are parsed as two standalone module files, bound, and
 * checked by the checker of the last program (whose caches stay warm from cell to cell); the
 * files they import are that program's own files. Diagnostics and emit are those of the
 * compiler itself, only without a new program.
 *
 * A cell can be checked this way only when everything it refers to outside itself is already
 * in the program: every module it or the declarations import is an ambient module of the
 * program (`node:path`) or resolves to a file of the program, nothing changed on disk, and neither file adds to the global scope (`declare
 * global`, `declare module "..."`, namespaces), loads modules by a computed name
 * (`import(name)`) or by `/// <reference`, or carries `@ts-` comment directives (the program
 * applies those, the checker does not). Import types in the declarations
 * (`import("kernel-helpers").Tokenizer`) and `import("x")` calls count as imports. Other cells get a new program, which becomes the one later
 * cells are checked with.
 *
 * This relies on compiler internals of tslab's TypeScript 5.0 (`bindSourceFile`,
 * `setResolvedModule`, the checker's `getDiagnostics`); {@link reuseSupported} checks they
 * exist, and the converter falls back to a new program when anything here throws.
 *
 * @module
 */
import * as ts from "@tslab/typescript-for-tslab";

/** The compiler internals used here. */
interface CompilerInternals {
  bindSourceFile(file: ts.SourceFile, options: ts.CompilerOptions): void;
  setResolvedModule(file: ts.SourceFile, name: string, resolution: ts.ResolvedModuleWithFailedLookupLocations, mode: ts.ResolutionMode): void;
}

/** The checker's internal per-file diagnostics. */
interface CheckerInternals {
  getDiagnostics(file: ts.SourceFile): ts.Diagnostic[];
}

/** A source file's internal parse and bind diagnostics. */
interface FileInternals {
  parseDiagnostics?: ts.Diagnostic[];
  bindDiagnostics?: ts.Diagnostic[];
}

const internals = ts as unknown as Partial<CompilerInternals>;

/**
 * Whether this TypeScript has the internals checker reuse needs.
 *
 * @returns `true` for tslab's TypeScript 5.0.
 * @example
 * ```ts
 * reuseSupported(); // true
 * ```
 */
export function reuseSupported(): boolean {
  return typeof internals.bindSourceFile === "function" && typeof internals.setResolvedModule === "function";
}

/**
 * Binds files as a checker would (binding is done once per file: a bound file is left as it
 * is), so that a later program's checker finds them bound.
 *
 * @param files The files.
 * @param options The compiler options the cells' programs use.
 * @returns Whether this TypeScript could bind them (see {@link reuseSupported}).
 * @example
 * ```ts
 * bindFiles(program.getSourceFiles(), program.getCompilerOptions()); // true
 * ```
 */
export function bindFiles(files: readonly ts.SourceFile[], options: ts.CompilerOptions): boolean {
  if (!reuseSupported()) return false;
  for (const file of files) internals.bindSourceFile!(file, options);
  return true;
}

/** Text that rules checker reuse out (see the module notes). */
const OUT_OF_REACH = /\/\/\/\s*<reference|@ts-/;

/** The string literal of `import("x")` (a call or, in declarations, an import type), if `node` is one. */
function dynamicSpecifier(node: ts.Node): ts.StringLiteralLike | undefined {
  if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteralLike(node.argument.literal)) return node.argument.literal;
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
    const arg = node.arguments[0];
    if (arg && ts.isStringLiteralLike(arg)) return arg;
  }
  return undefined;
}

/**
 * The module specifiers of a file: static imports and re-exports, `import("x")` calls and
 * import types; `undefined` if the file cannot be checked standalone (it declares modules or
 * globals, or imports a module by a computed name).
 */
function moduleSpecifiers(file: ts.SourceFile): ts.StringLiteralLike[] | undefined {
  const out: ts.StringLiteralLike[] = [];
  for (const s of file.statements) {
    if (ts.isModuleDeclaration(s)) return undefined;
    if ((ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier) {
      if (!ts.isStringLiteralLike(s.moduleSpecifier)) return undefined;
      out.push(s.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(s) && ts.isExternalModuleReference(s.moduleReference)) {
      if (!ts.isStringLiteralLike(s.moduleReference.expression)) return undefined;
      out.push(s.moduleReference.expression);
    }
  }
  if (!file.text.includes("import")) return out;
  let computed = false;
  const visit = (node: ts.Node): void => {
    const literal = dynamicSpecifier(node);
    if (literal) out.push(literal);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) computed = true;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(file, visit);
  return computed ? undefined : out;
}

/** The names of the modules the program declares with `declare module "name"` (such as `node:path` in `@types/node`), per program. */
const ambientByProgram = new WeakMap<ts.Program, Set<string>>();

function ambientModules(program: ts.Program): Set<string> {
  let names = ambientByProgram.get(program);
  if (!names) {
    names = new Set(program.getTypeChecker().getAmbientModules().map((m) => m.getName().replace(/^"|"$/g, "")));
    ambientByProgram.set(program, names);
  }
  return names;
}

/** A cell and its declarations, parsed and bound outside any program. */
export interface StandaloneCell {
  cell: ts.SourceFile;
  decls: ts.SourceFile;
}

/**
 * The files {@link standaloneCell} prepares: names (unique per cell: the checker keeps
 * diagnostics by file name) and texts, and optionally the declarations file an earlier call
 * prepared for the same program with the same text (it is used as it is, already bound).
 */
export interface StandaloneFiles {
  cellName: string;
  cellText: string;
  declName: string;
  declText: string;
  decls?: ts.SourceFile;
}

/**
 * Parses and binds a cell and the earlier cells' declarations as standalone files for
 * `program`'s checker, or returns `undefined` when the cell needs a new program.
 *
 * @param program The program whose checker will check the cell.
 * @param host The compiler host (for module resolution).
 * @param files The two files' names and texts, and the declarations file to keep, if any.
 * @returns The bound files (the cell's parent is the declarations file), or `undefined`.
 * @example
 * ```ts
 * const standalone = standaloneCell(program, host, { cellName: "/nb/__cell_7__.ts", cellText, declName: "/nb/__prev_7__.d.ts", declText });
 * ```
 */
export function standaloneCell(
  program: ts.Program,
  host: ts.CompilerHost,
  files: StandaloneFiles,
): StandaloneCell | undefined {
  if (!reuseSupported() || OUT_OF_REACH.test(files.cellText) || OUT_OF_REACH.test(files.declText)) return undefined;
  const options = program.getCompilerOptions();
  const target = options.target ?? ts.ScriptTarget.ES2022;
  const ambient = ambientModules(program);
  const kept = files.decls?.text === files.declText ? files.decls : undefined;
  const decls = kept ?? ts.createSourceFile(files.declName, files.declText, target);
  const cell = ts.createSourceFile(files.cellName, files.cellText, target);
  const fresh = kept ? [cell] : [decls, cell];
  for (const file of fresh) {
    const specifiers = moduleSpecifiers(file)?.filter((literal) => !ambient.has(literal.text));
    if (!specifiers || !host.resolveModuleNameLiterals) return undefined;
    const resolutions = host.resolveModuleNameLiterals(specifiers, file.fileName, undefined, options, file, undefined);
    for (const [i, literal] of specifiers.entries()) {
      const resolution = resolutions[i];
      const resolved = resolution?.resolvedModule;
      if (!resolution || !resolved || !program.getSourceFile(resolved.resolvedFileName)) return undefined;
      internals.setResolvedModule!(file, literal.text, resolution, undefined);
    }
  }
  for (const file of fresh) {
    // What a program sets on its files (declaration emit computes module specifiers from them).
    const own = file as ts.SourceFile & { path: string; resolvedPath: string; originalFileName: string };
    own.path = own.resolvedPath = host.getCanonicalFileName(file.fileName);
    own.originalFileName = file.fileName;
    internals.bindSourceFile!(file, options);
  }
  (cell as { parent: ts.Node }).parent = decls;
  return { cell, decls };
}

/**
 * A standalone cell's syntactic and semantic diagnostics (what `program.getSyntacticDiagnostics`
 * and `getSemanticDiagnostics` give for a file of the program).
 *
 * @param checker The checker the cell was prepared for.
 * @param cell The cell from {@link standaloneCell}.
 * @returns The diagnostics.
 * @example
 * ```ts
 * standaloneDiagnostics(program.getTypeChecker(), standalone.cell);
 * ```
 */
export function standaloneDiagnostics(checker: ts.TypeChecker, cell: ts.SourceFile): ts.Diagnostic[] {
  const file = cell as ts.SourceFile & FileInternals;
  return [...(file.parseDiagnostics ?? []), ...(file.bindDiagnostics ?? []), ...(checker as ts.TypeChecker & CheckerInternals).getDiagnostics(cell)];
}
