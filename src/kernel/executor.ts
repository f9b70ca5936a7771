/**
 * Runs cells: tslab's converter compiles them (type-checked, with source maps), `vm` runs
 * them in this context, and the outcome is either a rich result or a Jupyter error.
 *
 * @module
 */
import Module from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";
import * as ts from "@tslab/typescript-for-tslab";
import type { CompletionInfo } from "tslab/dist/converter";
import { printQuickInfo } from "tslab/dist/inspect";
import type { CellCompiler } from "./compiler";
import {
  CELL_SCOPE_ARGUMENTS,
  CELL_SCOPE_KEY,
  definePatch,
  installCellScope,
  type CellScope,
  type GlobalPatch,
} from "kernel-helpers/contract";
import { KeyboardInterrupt } from "./interrupt-channel";
import type { InterruptController } from "./interrupt";
import type { ErrorContent } from "./messages";
import { richResult, type MimeBundle } from "./rich-result";
import { composeMaps, extractInlineSourceMaps } from "./source-map";
import { CellRegistry, errorFromDiagnostics, errorFromThrown } from "./traceback";
import { tfjsLoaded } from "./global-patches";
import { patchTfjsTraining } from "./training-interrupt";

/** How a cell ended. */
export type ExecutionOutcome =
  | { status: "ok"; result?: MimeBundle }
  | { status: "error"; error: ErrorContent };

/** The kernel's cell runner. */
export interface CellExecutor {
  /**
   * Compiles and runs a cell.
   *
   * @param code The cell's TypeScript.
   * @param label How errors name the cell, e.g. `"cell 3"`.
   * @returns The outcome; never rejects.
   */
  execute(code: string, label: string): Promise<ExecutionOutcome>;
  /** Completions at `cursor` (tslab's). */
  complete(code: string, cursor: number): CompletionInfo;
  /** Quick info at `cursor` as text, or `undefined`. */
  inspect(code: string, cursor: number): string | undefined;
  /**
   * Fails the running cell with `reason` (an unhandled rejection or uncaught exception
   * raised while it runs).
   *
   * @returns `false` when no cell is running.
   */
  failRunningCell(reason: unknown): boolean;
  /** The global patch that installs the cell scope compiled cells read (installed by the kernel, see `global-patches.ts`). */
  readonly cellScopePatch: GlobalPatch;
  /** Releases the compiler. */
  close(): void;
}

/** What {@link createCellExecutor} needs. */
export interface CellExecutorOptions {
  /** The notebook's folder: modules and tsconfig are resolved from here. */
  rootDir: string;
  /** tslab's converter under the cell options. */
  compiler: CellCompiler;
  /** The interrupt state. */
  interrupts: InterruptController;
  /** File path prefixes of the kernel's own code, hidden from tracebacks. */
  hiddenPaths: readonly string[];
}

const WRAPPER_SYNC = "(function (exports, require) { ";
const WRAPPER_ASYNC = "(async function (exports, require) { ";

/**
 * Whether the cell ends with an expression statement followed by `;` (which suppresses
 * its `execute_result`, as in IPython).
 *
 * @param code The cell.
 * @returns `true` when the result is suppressed.
 * @example
 * ```ts
 * endsWithSuppressingSemicolon("x;"); // true
 * endsWithSuppressingSemicolon("x");  // false
 * ```
 */
export function endsWithSuppressingSemicolon(code: string): boolean {
  const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const last = sf.statements[sf.statements.length - 1];
  return last !== undefined && ts.isExpressionStatement(last) && last.getText(sf).trimEnd().endsWith(";");
}

function isInterruptedScript(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED";
}

/**
 * Creates the cell runner.
 *
 * @param options Root folder, compiler, interrupt state.
 * @returns The executor.
 * @example
 * ```ts
 * const executor = createCellExecutor({ rootDir: process.cwd(), compiler, interrupts, hiddenPaths: [__dirname] });
 * const outcome = await executor.execute("1 + 1", "cell 1");
 * ```
 */
export function createCellExecutor(options: CellExecutorOptions): CellExecutor {
  const { compiler, interrupts, hiddenPaths } = options;
  const registry = new CellRegistry();
  const sideOutputs = new Map<string, string>();
  const sideModules = new Map<string, NodeJS.Module>();
  const baseRequire = Module.createRequire(path.join(options.rootDir, "__seqlab_cell__.js"));
  let tfjsPatched = false;
  let prevDecl = "";
  let cellNumber = 0;
  let failCell: ((reason: unknown) => void) | undefined;

  const locals: Record<string, unknown> = {};
  /** Named imports compile to `defineProperty` getters; store their values so cells can reassign them. */
  const exportsProxy = new Proxy(locals, {
    defineProperty(target, prop, attrs) {
      if (prop === "__esModule") return true;
      target[prop as string] = attrs.get ? attrs.get() : attrs.value;
      return true;
    },
  });

  function watchForTfjs(loaded: unknown): void {
    if (tfjsPatched) return;
    if (patchTfjsTraining(loaded)) {
      tfjsPatched = true;
      tfjsLoaded();
      return;
    }
    for (const mod of Object.values(baseRequire.cache)) {
      if (mod && patchTfjsTraining(mod.exports)) {
        tfjsPatched = true;
        tfjsLoaded();
        return;
      }
    }
  }

  function requireSideOutput(id: string, fromDir: string): unknown {
    if (!id.startsWith(".")) return undefined;
    let filename = path.join(fromDir, id);
    if (path.extname(filename) === "") filename += ".js";
    const cached = sideModules.get(filename);
    if (cached) return cached.exports;
    const js = sideOutputs.get(filename);
    if (js === undefined) return undefined;
    const mod = new Module(filename, module) as NodeJS.Module & { _compile(code: string, filename: string): void };
    mod.filename = filename;
    mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(filename));
    const inner = mod.require.bind(mod);
    mod.require = Object.assign((sub: string) => requireSideOutput(sub, path.dirname(filename)) ?? inner(sub), inner) as NodeJS.Require;
    mod._compile(js, filename);
    sideModules.set(filename, mod);
    return mod.exports;
  }

  const cellRequire = new Proxy(baseRequire, {
    apply(_target, _this, args: unknown[]) {
      const id = args[0];
      if (typeof id !== "string") return baseRequire(id as string);
      const side = requireSideOutput(id, options.rootDir);
      const loaded = side ?? baseRequire(id);
      watchForTfjs(loaded);
      return loaded;
    },
  });

  const scope: CellScope = { exports: exportsProxy, require: cellRequire };
  const cellScopePatch = definePatch({
    name: "cell scope",
    target: `globalThis[${String(CELL_SCOPE_KEY)}]`,
    purpose: "compiled cells reach the notebook's exports and require",
    owner: "kernel",
    scope: "process",
    apply() {
      const g = globalThis as Record<symbol, unknown>;
      const had = Object.prototype.hasOwnProperty.call(g, CELL_SCOPE_KEY);
      const previous = g[CELL_SCOPE_KEY];
      installCellScope(scope);
      return () => {
        if (had) g[CELL_SCOPE_KEY] = previous;
        else delete g[CELL_SCOPE_KEY];
      };
    },
  });

  async function run(code: string, label: string): Promise<ExecutionOutcome> {
    const converted = compiler.convert(prevDecl, code);
    for (const out of converted.sideOutputs ?? []) {
      sideModules.delete(out.path);
      sideOutputs.set(out.path, out.data);
    }
    if (converted.diagnostics.length > 0) return { status: "error", error: errorFromDiagnostics(converted.diagnostics, label, code) };
    const declOutput = extractInlineSourceMaps(converted.declOutput ?? "").code;
    if (!converted.output) {
      prevDecl = declOutput;
      return { status: "ok" };
    }
    const { code: js, maps } = extractInlineSourceMaps(converted.output);
    const filename = `seqlab-cell-${++cellNumber}`;
    const prefix = converted.hasToplevelAwait ? WRAPPER_ASYNC : WRAPPER_SYNC;
    registry.register(filename, { label, lines: code.split("\n"), map: composeMaps(maps), firstLineOffset: prefix.length });
    const wrapped = `${prefix}${js}\n})(${CELL_SCOPE_ARGUMENTS})`;

    const cancelled = interrupts.beginCell();
    const failed = new Promise<never>((_resolve, reject) => {
      failCell = reject;
    });
    failed.catch(() => undefined);
    try {
      // A SIGINT while the synchronous part runs throws ERR_SCRIPT_EXECUTION_INTERRUPTED. One that
      // Node's watchdog swallows as the script ends is recovered by the launcher's relay.
      const ret: unknown = vm.runInThisContext(wrapped, { filename, breakOnSigint: true });
      if (converted.hasToplevelAwait) await Promise.race([ret, cancelled, failed]);
      // Let rejections nobody handled during the cell surface as this cell's failure.
      await Promise.race([new Promise<void>((resolve) => setImmediate(resolve)), failed]);
      prevDecl = declOutput;
      const name = converted.lastExpressionVar;
      if (!name) return { status: "ok" };
      const value = locals[name];
      delete locals[name];
      if (endsWithSuppressingSemicolon(code)) return { status: "ok" };
      const result = await Promise.race([richResult(value), cancelled]);
      return result ? { status: "ok", result } : { status: "ok" };
    } catch (err) {
      prevDecl = declOutput;
      const broken = isInterruptedScript(err);
      if (broken) interrupts.interruptedSynchronously();
      const thrown = broken ? new KeyboardInterrupt("Execution interrupted by the user") : err;
      return { status: "error", error: errorFromThrown(thrown, registry, hiddenPaths) };
    } finally {
      failCell = undefined;
      interrupts.endCell();
    }
  }

  return {
    cellScopePatch,
    async execute(code, label) {
      try {
        return await run(code, label);
      } catch (err) {
        // A crash of the compiler itself.
        return { status: "error", error: errorFromThrown(err, registry, hiddenPaths) };
      }
    },
    complete: (code, cursor) => compiler.complete(prevDecl, code, cursor),
    inspect(code, cursor) {
      const info = compiler.inspect(prevDecl, code, cursor);
      return info ? printQuickInfo(info) : undefined;
    },
    failRunningCell(reason) {
      if (!failCell) return false;
      failCell(reason);
      return true;
    },
    close: () => compiler.close(),
  };
}
