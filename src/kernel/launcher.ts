/**
 * The kernel launcher: runs the kernel in a child process whose stderr passes through a
 * filter that drops TensorFlow's native log lines. Those are written by the C library
 * straight to file descriptor 2 when tfjs-node loads (absl's "WARNING: All log messages
 * before absl::InitializeLog() is called are written to STDERR", `I0000 ... port.cc:153]
 * oneDNN custom operations are on ...`), before any environment variable can silence them,
 * so only a process boundary can hide them. Error (`E...`) and fatal (`F...`) lines pass.
 *
 * Signals: Jupyter interrupts a kernel by sending SIGINT to its process group, which holds
 * the child too. The launcher does not forward the signal; it tells the child over IPC that
 * it saw one, so the child can handle a SIGINT that Node swallowed (see
 * `InterruptController.relayedInterrupt`). The child exits when the launcher's pipe closes,
 * and the launcher exits with the child's code.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { exitKernel } from "./exit-guard";

/** Matches the native log lines that are dropped. */
export const TF_NATIVE_LOG_LINE =
  /^(WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR|[IW]\d{4} [\d:.]+\s+\d+ [\w.-]+:\d+\] .*|To enable the following instructions: .* rebuild TensorFlow with the appropriate compiler flags\.)$/;

/** The IPC message type by which the launcher relays a SIGINT to the kernel. */
export const RELAYED_SIGINT = "seqlab.relayed-sigint";

/**
 * Whether an IPC message is the launcher's relayed SIGINT.
 *
 * @param message A message from `process.on("message")`.
 * @returns `true` for a relayed SIGINT.
 * @example
 * ```ts
 * process.on("message", (m) => { if (isRelayedSigint(m)) controller.relayedInterrupt(); });
 * ```
 */
export function isRelayedSigint(message: unknown): boolean {
  return typeof message === "object" && message !== null && (message as { type?: unknown }).type === RELAYED_SIGINT;
}

/**
 * Removes TensorFlow's native log lines from a chunk of complete lines.
 *
 * @param text Lines, each ending with `\n`.
 * @returns The lines to keep.
 * @example
 * ```ts
 * filterNativeLogLines("I0000 00:00:17.5 1 port.cc:153] oneDNN ...\nreal error\n"); // "real error\n"
 * ```
 */
export function filterNativeLogLines(text: string): string {
  return text
    .split(/(?<=\n)/)
    .filter((line) => !TF_NATIVE_LOG_LINE.test(line.replace(/\r?\n$/, "")))
    .join("");
}

/**
 * Starts `script` (the kernel) in a child Node process with `args`, filtering its stderr.
 *
 * @param script The kernel's entry file.
 * @param args Its arguments.
 * @param env Its environment.
 * @example
 * ```ts
 * launchFiltered(__filename, process.argv.slice(2), { ...process.env, SEQLAB_KERNEL_CHILD: "1" });
 * ```
 */
export function launchFiltered(script: string, args: readonly string[], env: NodeJS.ProcessEnv): void {
  // fd 4 carries one byte per SIGINT to the kernel's watchdog thread, which can act while
  // the kernel's main thread is blocked in a cell (see blocked-cell-watchdog.ts).
  const child = spawn(process.execPath, [...process.execArgv, script, ...args], {
    env,
    stdio: ["pipe", "inherit", "pipe", "ipc", "pipe"],
  });
  const interruptPipe = child.stdio[4] as NodeJS.WritableStream | null;
  interruptPipe?.on("error", () => undefined);
  process.on("SIGINT", () => {
    if (child.connected) child.send({ type: RELAYED_SIGINT });
    interruptPipe?.write("i");
  });
  for (const sig of ["SIGTERM", "SIGHUP"] as const) process.on(sig, () => child.kill(sig));
  let pending = "";
  let flushTimer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    if (pending) process.stderr.write(filterNativeLogLines(pending));
    pending = "";
  };
  const stderr = child.stderr;
  if (!stderr) throw new Error("the kernel's stderr pipe was not created");
  stderr.setEncoding("utf8");
  stderr.on("data", (chunk: string) => {
    pending += chunk;
    const cut = pending.lastIndexOf("\n") + 1;
    if (cut > 0) {
      process.stderr.write(filterNativeLogLines(pending.slice(0, cut)));
      pending = pending.slice(cut);
    }
    if (flushTimer) clearTimeout(flushTimer);
    if (pending) flushTimer = setTimeout(flush, 100);
  });
  exitWithJupyterParent(env, () => child.kill("SIGTERM"));
  child.on("exit", (code, signal) => {
    flush();
    process.exit(code ?? (signal ? 1 : 0));
  });
}

/**
 * In the child: exits when the launcher goes away (its pipe on our stdin closes).
 *
 * @example
 * ```ts
 * exitWithLauncher();
 * ```
 */
export function exitWithLauncher(): void {
  process.stdin.on("end", () => exitKernel(0));
  process.stdin.on("error", () => exitKernel(0));
  process.stdin.resume();
}

/**
 * Exits when the process that started the kernel (Jupyter's, named by `JPY_PARENT_PID`)
 * is gone, so a killed client never leaves a kernel behind.
 *
 * @param env The environment (`JPY_PARENT_PID` is set by jupyter_client).
 * @param onGone What to do then.
 * @example
 * ```ts
 * exitWithJupyterParent(process.env, () => process.exit(0));
 * ```
 */
export function exitWithJupyterParent(env: NodeJS.ProcessEnv, onGone: () => void): void {
  const pid = Number(env.JPY_PARENT_PID);
  if (!Number.isInteger(pid) || pid <= 1) return;
  const timer = setInterval(() => {
    try {
      process.kill(pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ESRCH") onGone();
    }
  }, 2000);
  timer.unref();
}
