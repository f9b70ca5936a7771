/**
 * Test helper: a real seqlab kernel driven over the Jupyter protocol by
 * `kernel_driver.py` (jupyter_client in the project's `.venv`).
 *
 * @module
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";

import { projectRoot, venvPython as venvPythonPath } from "../../support/project";

export { projectRoot };

/** The venv's Python, or `undefined` when the venv is missing. */
export const venvPython: string | undefined = fs.existsSync(venvPythonPath) ? venvPythonPath : undefined;

/**
 * Starts a kernel for a test suite; fails (never skips) when `.venv` is missing.
 *
 * @param env Extra environment variables for the kernel.
 * @param cwd The kernel's folder (default {@link fixturesDir}).
 * @returns The running kernel.
 */
export async function startTestKernel(env: Record<string, string> = {}, cwd?: string): Promise<KernelDriver> {
  if (!venvPython) throw new Error("the project's .venv (JupyterLab, jupyter_client) is missing: run `npm install` first");
  return KernelDriver.start(venvPython, env, cwd);
}

/** The folder the test kernels run in (its notebooks and the project's tsconfig apply). */
export const fixturesDir = path.join(projectRoot, "tests", "fixtures", "kernel");

/** One iopub message. */
export interface IopubMessage {
  msg_type: string;
  content: Record<string, unknown> & {
    data?: Record<string, unknown>;
    transient?: { display_id?: string };
    ename?: string;
    evalue?: string;
    traceback?: string[];
    name?: string;
    text?: string;
    execution_count?: number;
  };
}

/** A request's reply and its iopub messages. */
export interface ExecuteResult {
  reply: Record<string, unknown> & { status: string; execution_count?: number; ename?: string; evalue?: string; traceback?: string[] };
  iopub: IopubMessage[];
}

/** A kernel under test. */
export class KernelDriver {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  private readonly stderrLog: string;

  private constructor(child: ChildProcessWithoutNullStreams, stderrLog: string) {
    this.child = child;
    this.stderrLog = stderrLog;
    this.lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  /**
   * Starts a kernel in {@link fixturesDir}.
   *
   * @param python The venv's Python.
   * @param env Extra environment variables for the kernel.
   * @param cwd The kernel's folder (default {@link fixturesDir}).
   * @returns The driver, once the kernel answered `kernel_info`.
   */
  static async start(python: string, env: Record<string, string> = {}, cwd: string = fixturesDir): Promise<KernelDriver> {
    const stderrLog = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-kernel-test-")), "kernel-stderr.log");
    const child = spawn(python, [path.join(projectRoot, "tests", "src", "kernel", "kernel_driver.py"), cwd, stderrLog], {
      env: { ...process.env, SEQLAB_TF_LOGS: "", ...env },
    });
    let driverErr = "";
    child.stderr.on("data", (d: Buffer) => (driverErr += d.toString()));
    const driver = new KernelDriver(child, stderrLog);
    const first = await driver.lines.next();
    if (first.done) throw new Error(`kernel driver exited before the kernel was ready:\n${driverErr}`);
    return driver;
  }

  /** Sends one command and returns its JSON answer. */
  async send<T>(command: Record<string, unknown>): Promise<T> {
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
    const next = await this.lines.next();
    if (next.done) throw new Error("kernel driver exited");
    const answer = JSON.parse(next.value) as T & { error?: string };
    if (answer.error) throw new Error(answer.error);
    return answer;
  }

  /** Executes a cell (optionally interrupting it). */
  execute(code: string, extra: Record<string, unknown> = {}): Promise<ExecuteResult> {
    return this.send<ExecuteResult>({ op: "execute", code, ...extra });
  }

  /** Whether the kernel process is alive. */
  async alive(): Promise<boolean> {
    return (await this.send<{ alive: boolean }>({ op: "alive" })).alive;
  }

  /** What the kernel process wrote to its stderr so far. */
  async stderr(): Promise<string> {
    return (await this.send<{ text: string }>({ op: "stderr" })).text;
  }

  /** Shuts the kernel down and ends the driver. */
  async stop(): Promise<void> {
    try {
      await this.send({ op: "shutdown" });
    } finally {
      this.child.stdin.end();
      fs.rmSync(path.dirname(this.stderrLog), { recursive: true, force: true });
    }
  }
}

/** The first iopub message of a type. */
export function iopubOf(result: ExecuteResult, msgType: string): IopubMessage | undefined {
  return result.iopub.find((m) => m.msg_type === msgType);
}

/** Removes ANSI colour codes. */
export function plain(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}
