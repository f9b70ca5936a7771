/**
 * Running external programs during setup, with their output shown or captured.
 *
 * @module
 */
import { spawnSync, type SpawnSyncOptions } from "node:child_process";

/** The outcome of a finished command. */
export interface CommandResult {
  /** Exit status; `null` when killed by a signal or when it could not start. */
  status: number | null;
  /** Captured standard output (empty when it was shown). */
  stdout: string;
  /** Captured standard error (empty when it was shown). */
  stderr: string;
  /** Set when the program could not be started at all (e.g. not installed). */
  error?: Error;
}

/** Options for {@link runCommand}. */
export interface RunOptions {
  /** Working directory. */
  cwd?: string;
  /** Environment; defaults to this process's. */
  env?: NodeJS.ProcessEnv;
  /** Show the output live instead of capturing it. @default false */
  inherit?: boolean;
  /** Kill the command after this many milliseconds. */
  timeoutMs?: number;
}

/**
 * Runs `command args…` to completion.
 *
 * @param command The program.
 * @param args Its arguments.
 * @param options See {@link RunOptions}.
 * @returns Its status and (unless `inherit`) its output.
 * @example
 * ```ts
 * runCommand("python3", ["--version"]).stdout; // "Python 3.11.7\n"
 * ```
 */
export function runCommand(command: string, args: readonly string[], options: RunOptions = {}): CommandResult {
  const spawnOptions: SpawnSyncOptions = {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: options.inherit ? ["ignore", "inherit", "inherit"] : ["ignore", "pipe", "pipe"],
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  };
  if (options.timeoutMs !== undefined) spawnOptions.timeout = options.timeoutMs;
  const result = spawnSync(command, args, spawnOptions);
  const out: CommandResult = {
    status: result.status,
    stdout: typeof result.stdout === "string" ? result.stdout : "",
    stderr: typeof result.stderr === "string" ? result.stderr : "",
  };
  if (result.error) out.error = result.error;
  return out;
}

/**
 * Thrown when a setup step cannot complete because of the machine (no compiler, no network,
 * a missing install); its message names the fix, so the command prints it without a stack.
 */
export class SetupError extends Error {
  /** @param message What failed and what to do about it. */
  constructor(message: string) {
    super(message);
    this.name = "SetupError";
  }
}
