#!/usr/bin/env node
/**
 * The seqlab kernel process, launched by Jupyter through the `seqlab` kernelspec:
 * `node dist/src/kernel/main.js --config-path {connection_file}`.
 *
 * Cells are type-checked and compiled with tslab 1.0.22's TypeScript by seqlab's own cell
 * compiler (`compiler.ts`, `cell-converter.ts`); the Jupyter protocol, execution, errors,
 * rich results, displays and interrupts are seqlab's too.
 *
 * Environment:
 * - `SEQLAB_TF_LOGS=1` shows TensorFlow's native log lines (hidden by default: the kernel
 *   sets `TF_CPP_MIN_LOG_LEVEL=3` unless already set, and runs in a child process whose
 *   stderr drops TensorFlow's info/warning lines; see `launcher.ts`).
 * - `SEQLAB_OUTPUT_LIMIT` characters of stream output per cell are sent (default 1,000,000;
 *   past it the first 80% and the last 20% are kept and the cell says how much was left
 *   out; `0` or `none`: no limit). See `cell-output.ts`.
 *
 * While it waits for its first cell, the kernel builds the program a first cell is checked
 * with and preloads the typings of `@tensorflow/tfjs-node` and `kernel-helpers`
 * (`warm-up.ts`), starting just after the first `kernel_info_reply`.
 *
 * `process.exit()` in a cell is refused with a `ProcessExitRefused` error (`exit-guard.ts`).
 *
 * Channels for code running in the kernel (the display sink and the interrupt signal of the
 * kernel-helpers contract, see `display-channel.ts`, `interrupt-channel.ts`) and every other
 * global patch the kernel runs with are installed in one call, from the list in
 * `global-patches.ts`, before the first cell.
 *
 * @module
 */
import * as path from "node:path";
import { outputLimitsFromEnv } from "./cell-output";
import { createCellCompiler, loadCellCompilerOptions, TYPESCRIPT_VERSION, type CellCompilerOptions } from "./compiler";
import { installPatches } from "kernel-helpers/contract";
import { EXIT_GUARD_PATCH, exitKernel } from "./exit-guard";
import type { DisplayContent } from "./display-channel";
import { createCellExecutor } from "./executor";
import { InterruptController } from "./interrupt";
import { startBlockedCellWatchdog } from "./blocked-cell-watchdog";
import { exitWithJupyterParent, exitWithLauncher, isRelayedSigint, launchFiltered } from "./launcher";
import { createOutputRouter } from "./output-router";
import { kernelPatches } from "./global-patches";
import { trainingInterruptPatch } from "./training-interrupt";
import { readConnectionFile, startKernelServer, type CellPublisher } from "./server";
import { silenceTensorFlowLogs, TF_LOGS_ENV } from "./tf-logs";
import { PRELOADED_MODULES, startWarmUp } from "./warm-up";

/** How long after the first `kernel_info_reply` the compiler warm-up starts (its first step holds the event loop about a second). */
const WARM_UP_DELAY_MS = 20;

/** When the warm-up starts without a `kernel_info_request`, in ms after the sockets are bound. */
const WARM_UP_FALLBACK_MS = 1000;

/** Set in the kernel's child process by the launcher. */
const CHILD_ENV = "SEQLAB_KERNEL_CHILD";

/** Reads `--config-path <file>` from the command line. */
function configPathFromArgs(argv: readonly string[]): string {
  const i = argv.indexOf("--config-path");
  const value = i >= 0 ? argv[i + 1] : undefined;
  if (!value) {
    process.stderr.write("usage: node dist/src/kernel/main.js --config-path <connection file>\n");
    process.exit(2);
  }
  return value;
}

function packageVersion(packageJson: string, fallback: string): string {
  try {
    return (require(packageJson) as { version: string }).version;
  } catch {
    return fallback;
  }
}

/**
 * The banner `kernel_info_reply` carries (shown by Jupyter consoles and in kernel info).
 *
 * @param cell The cell compiler options.
 * @param rootDir The notebook's folder (tsconfig path is shown relative to it).
 * @returns The banner.
 * @example
 * ```ts
 * kernelBanner(loadCellCompilerOptions(process.cwd()), process.cwd());
 * ```
 */
export function kernelBanner(cell: CellCompilerOptions, rootDir: string): string {
  const on = Object.entries(cell.options).filter(([, v]) => v).map(([k]) => k);
  const source = cell.tsconfigPath ? `from ${path.relative(rootDir, cell.tsconfigPath) || "tsconfig.json"}` : "default, no tsconfig.json found";
  const mode = cell.strict ? "strict" : "NOT strict";
  return [
    `seqlab TypeScript kernel (tslab ${packageVersion("tslab/package.json", "?")} compiler, TypeScript ${TYPESCRIPT_VERSION}, Node ${process.version})`,
    `Type checking: ${mode} (${source}): ${on.length > 0 ? on.join(", ") : "no strict options"}`,
    `Stop (interrupt) ends the running cell; tfjs training stops at the next batch. TensorFlow native logs: ${TF_LOGS_ENV}=1.`,
  ].join("\n");
}

/**
 * Starts the kernel on the connection file Jupyter passed.
 *
 * @param configPath The connection file.
 * @returns Resolves once the sockets are bound.
 * @example
 * ```ts
 * await startKernel("/tmp/kernel-1.json");
 * ```
 */
export async function startKernel(configPath: string): Promise<void> {
  silenceTensorFlowLogs(process.env);
  const rootDir = process.cwd();
  const outputLimits = outputLimitsFromEnv(process.env);
  const { router, patch: outputRouting } = createOutputRouter();
  const interrupts = new InterruptController();
  const cellOptions = loadCellCompilerOptions(rootDir);
  const compiler = createCellCompiler({ ...cellOptions.options, inlineSourceMap: true });
  const cells = createCellExecutor({ rootDir, compiler, interrupts, hiddenPaths: [__dirname] });
  // Cells compiling or running (the compiler warm-up waits while there are any).
  let runningCells = 0;
  const executor: typeof cells = {
    ...cells,
    async execute(code, label) {
      runningCells++;
      try {
        return await cells.execute(code, label);
      } finally {
        runningCells--;
      }
    },
  };

  let current: CellPublisher | undefined;
  const displaySink = (content: DisplayContent, update: boolean): void => {
    if (!current) throw new Error("display() was called before any cell ran");
    current.display(content, update);
  };
  installPatches(
    kernelPatches({
      displaySink,
      interruptSignal: interrupts,
      // tslab's own display API (`tslab.display.html(...)`) sends to the running cell too.
      tslabDisplay: displaySink,
      owned: [executor.cellScopePatch, outputRouting, EXIT_GUARD_PATCH, trainingInterruptPatch(interrupts)],
    }),
  );
  if (process.env[CHILD_ENV] === "1") {
    // Under the launcher, fd 4 brings interrupts to a watchdog thread that can stop a cell
    // blocked after an await (blocked-cell-watchdog.ts).
    const watchdog = startBlockedCellWatchdog();
    interrupts.watchCells((running) => watchdog.setCellRunning(running));
  }
  process.on("SIGINT", () => interrupts.interrupt());
  process.on("message", (message) => {
    if (isRelayedSigint(message)) interrupts.relayedInterrupt();
  });
  const asyncFailure = (kind: string) => (reason: unknown) => {
    if (executor.failRunningCell(reason)) return;
    const text = reason instanceof Error ? reason.stack ?? reason.message : String(reason);
    process.stderr.write(`${kind} after the cell finished: ${text}\n`);
  };
  process.on("unhandledRejection", asyncFailure("Unhandled promise rejection"));
  process.on("uncaughtException", asyncFailure("Uncaught exception"));

  // Warm the compiler once the client has its kernel_info_reply (or after WARM_UP_FALLBACK_MS without one).
  let warmUp: ReturnType<typeof startWarmUp> | undefined;
  const warm = (): void => {
    clearTimeout(fallback);
    warmUp ??= startWarmUp(compiler, PRELOADED_MODULES, { busy: () => runningCells > 0, log: (text) => router.log(text) });
  };
  const fallback = setTimeout(warm, WARM_UP_FALLBACK_MS);
  fallback.unref();

  const connection = readConnectionFile(configPath);
  await startKernelServer(
    {
      connection,
      executor,
      info: {
        implementationVersion: packageVersion("../../../package.json", "0.0.0"),
        languageVersion: TYPESCRIPT_VERSION,
        banner: kernelBanner(cellOptions, rootDir),
      },
      interrupt: () => interrupts.requestInterrupt(),
      onCellStart(output) {
        current = output;
        router.routeTo(output.stream);
      },
      log: (text) => router.log(text),
      outputLimits,
      // After this reply's status messages are on their way.
      onKernelInfo: () => void setTimeout(warm, WARM_UP_DELAY_MS),
    },
    () => exitKernel(0),
  );
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const configPath = configPathFromArgs(args);
  if (process.env[TF_LOGS_ENV] !== "1" && process.env[CHILD_ENV] !== "1") {
    launchFiltered(__filename, args, { ...process.env, [CHILD_ENV]: "1" });
  } else {
    if (process.env[CHILD_ENV] === "1") exitWithLauncher();
    else exitWithJupyterParent(process.env, () => exitKernel(0));
    startKernel(configPath).catch((err: unknown) => {
      process.stderr.write(`seqlab kernel failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      exitKernel(1);
    });
  }
}
