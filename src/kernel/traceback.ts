/**
 * Jupyter `error` contents for the three ways a cell fails — a TypeScript diagnostic, a
 * thrown exception and a rejected promise — with tracebacks in the cell's own line numbers.
 *
 * @module
 */
import * as util from "node:util";
import type { Diagnostic } from "tslab/dist/converter";
import type { ErrorContent } from "./messages";
import type { SourceMap } from "./source-map";

const RED = "\x1b[31m";
const CYAN = "\x1b[36m";
const GREEN = "\x1b[32m";
const RESET = "\x1b[0m";

/** A compiled cell the traceback mapper knows. */
export interface RegisteredCell {
  /** How tracebacks name it, e.g. `"cell 3"`. */
  label: string;
  /** The cell's TypeScript source lines. */
  lines: string[];
  /** Maps a 0-based position in the executed code to the compiled file `export {};\n` + cell. */
  map: SourceMap;
  /** Characters the kernel's wrapper adds before the code on its first line. */
  firstLineOffset: number;
}

/**
 * Maps stack frames of executed cells back to cell lines.
 *
 * @example
 * ```ts
 * const registry = new CellRegistry();
 * registry.register("seqlab-cell-3", { label: "cell 3", lines, map, firstLineOffset: 30 });
 * registry.locate("seqlab-cell-3", 5, 11); // { cell, line: 2, column: 7 }
 * ```
 */
export class CellRegistry {
  private cells = new Map<string, RegisteredCell>();

  /**
   * Registers a cell under the file name its code runs as.
   *
   * @param filename The `vm` file name.
   * @param cell What to map with.
   */
  register(filename: string, cell: RegisteredCell): void {
    this.cells.set(filename, cell);
  }

  /** Forgets every cell (kernel reset). */
  clear(): void {
    this.cells.clear();
  }

  /**
   * The cell position of a frame in executed code.
   *
   * @param filename The frame's file.
   * @param line 1-based line.
   * @param column 1-based column.
   * @returns The cell and its 1-based line and column, or `undefined` for other files.
   */
  locate(filename: string, line: number, column: number): { cell: RegisteredCell; line: number; column: number } | undefined {
    const cell = this.cells.get(filename);
    if (!cell) return undefined;
    const col = line === 1 ? column - cell.firstLineOffset : column;
    const pos = cell.map.lookup({ line: line - 1, column: Math.max(0, col - 1) });
    // Line 0 of the compiled file is tslab's `export {};` prefix: file line n is cell line n.
    if (!pos || pos.line < 1 || pos.line > cell.lines.length) return { cell, line: 0, column: 0 };
    return { cell, line: pos.line, column: pos.column + 1 };
  }
}

const FRAME = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/;

function sourceLine(cell: RegisteredCell, line: number, column: number): string[] {
  const text = cell.lines[line - 1];
  if (text === undefined) return [];
  const out = [`${GREEN}  ${String(line).padStart(4)} |${RESET} ${text}`];
  if (column > 0) out.push(`         ${" ".repeat(Math.min(column - 1, text.length))}${RED}^${RESET}`);
  return out;
}

/**
 * Rewrites a V8 stack's frames: cell frames become `at f (cell 3, line 6)` followed by the
 * source line; the kernel's own frames and Node internals are dropped; other frames stay.
 *
 * @param stack `error.stack`.
 * @param registry The compiled cells.
 * @param hiddenPaths File path prefixes of the kernel itself.
 * @returns Traceback lines, first the cell frames, innermost first.
 * @example
 * ```ts
 * mapStackFrames(err.stack ?? "", registry, [__dirname]); // ["at check (cell 2, line 3)", "     3 | ...", ...]
 * ```
 */
export function mapStackFrames(stack: string, registry: CellRegistry, hiddenPaths: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of stack.split("\n")) {
    const m = FRAME.exec(raw);
    if (!m) continue;
    const [, fnRaw, file = "", lineText = "0", colText = "0"] = m;
    const fn = fnRaw?.replace(/^async /, "") ?? "";
    const isAsync = raw.trimStart().startsWith("at async ");
    const located = registry.locate(file, Number(lineText), Number(colText));
    if (located) {
      const { cell, line, column } = located;
      // Line 0: the kernel's wrapper around the cell (its invocation), not the student's code.
      if (line === 0) continue;
      const where = line > 0 ? `${cell.label}, line ${line}` : cell.label;
      const named = fn && !/^(Object\.<anonymous>|<anonymous>|eval)$/.test(fn) && !fn.startsWith("seqlab-cell");
      out.push(`${CYAN}${isAsync ? "at async " : "at "}${named ? `${fn} (${where})` : where}${RESET}`);
      out.push(...sourceLine(cell, line, column));
      continue;
    }
    if (file.startsWith("node:") || hiddenPaths.some((p) => file.startsWith(p))) continue;
    out.push(raw.trim());
  }
  return out;
}

/**
 * The error content of a thrown value (or a promise's rejection reason).
 *
 * @param thrown What was thrown.
 * @param registry The compiled cells, to map frames.
 * @param hiddenPaths File path prefixes of the kernel itself.
 * @returns `ename` (the error's class), `evalue` (its message) and a traceback.
 * @example
 * ```ts
 * errorFromThrown(new RangeError("bad"), registry, []).ename; // "RangeError"
 * ```
 */
export function errorFromThrown(thrown: unknown, registry: CellRegistry, hiddenPaths: readonly string[]): ErrorContent {
  if (thrown instanceof Error || (typeof thrown === "object" && thrown !== null && typeof (thrown as Error).stack === "string")) {
    const err = thrown as Error;
    const ename = typeof err.name === "string" && err.name !== "Error" ? err.name : err.constructor?.name ?? "Error";
    const evalue = typeof err.message === "string" ? err.message : String(err.message);
    const frames = typeof err.stack === "string" ? mapStackFrames(err.stack, registry, hiddenPaths) : [];
    const extra = ename === "KeyboardInterrupt" ? [] : frames;
    return { ename, evalue, traceback: [`${RED}${ename}${RESET}: ${evalue}`, ...extra] };
  }
  const evalue = `${util.inspect(thrown, { depth: 2 })} (a value that is not an Error was thrown)`;
  return { ename: "UncaughtValue", evalue, traceback: [`${RED}UncaughtValue${RESET}: ${evalue}`] };
}

/**
 * The error content of TypeScript diagnostics: `ename` `"TypeScriptError"`, `evalue` the
 * first diagnostic as `"cell 3, line 2: Type 'string' is not assignable to type 'number'. (TS2322)"`,
 * and the traceback listing every diagnostic with its source line.
 *
 * @param diagnostics tslab's diagnostics (0-based lines in the cell, or in `fileName`).
 * @param label The cell's label, e.g. `"cell 3"`.
 * @param src The cell's source.
 * @returns The error content.
 * @example
 * ```ts
 * errorFromDiagnostics(diags, "cell 3", "let x: number = 'a';").evalue;
 * ```
 */
export function errorFromDiagnostics(diagnostics: readonly Diagnostic[], label: string, src: string): ErrorContent {
  const lines = src.split("\n");
  const describe = (d: Diagnostic): string =>
    `${d.fileName ? d.fileName : label}, line ${d.start.line + 1}: ${d.messageText} (TS${d.code})`;
  const first = diagnostics[0];
  const evalue = first ? describe(first) : `${label}: compilation failed`;
  const traceback = [`${RED}TypeScriptError${RESET}: ${evalue}`];
  for (const d of diagnostics) {
    if (d !== first) traceback.push(`${RED}TypeScriptError${RESET}: ${describe(d)}`);
    if (!d.fileName) {
      const text = lines[d.start.line];
      if (text !== undefined) {
        const width = d.end.line === d.start.line ? Math.max(1, d.end.character - d.start.character) : Math.max(1, text.length - d.start.character);
        traceback.push(`${GREEN}  ${String(d.start.line + 1).padStart(4)} |${RESET} ${text}`);
        traceback.push(`         ${" ".repeat(d.start.character)}${RED}${"~".repeat(width)}${RESET}`);
      }
    }
  }
  return { ename: "TypeScriptError", evalue, traceback };
}
