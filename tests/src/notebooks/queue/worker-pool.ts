/**
 * `seqlab worker` processes for the queue tests, kept running the way a service manager
 * (systemd `Restart=always`, a container restart policy) keeps real workers running: a worker
 * that dies is started again.
 *
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { projectRoot } from "../../../support/project";

/** The `seqlab` command's entry point. */
export const cli = path.join(projectRoot, "dist", "src", "cli.js");

/** One supervised worker slot. */
interface Slot {
  proc: ChildProcess;
  /** Jobs it is grading now (from its "grading" / result lines). */
  active: number;
}

/** Worker processes restarted when they die. */
export class WorkerPool {
  readonly slots: Slot[] = [];
  /** Every line the workers printed. */
  readonly output: string[] = [];
  /** Workers that died (killed by the test or by a submission). */
  deaths = 0;
  private running = true;

  /**
   * @param args Arguments after `seqlab worker`.
   * @param count How many workers.
   */
  constructor(private readonly args: string[], count: number) {
    for (let i = 0; i < count; i++) this.slots.push({ proc: this.spawn(i), active: 0 });
  }

  private spawn(i: number): ChildProcess {
    const proc = spawn(process.execPath, [cli, "worker", ...this.args], { stdio: ["ignore", "pipe", "pipe"] });
    const onData = (d: Buffer): void => {
      for (const line of d.toString().split("\n").filter(Boolean)) {
        this.output.push(`[${i}] ${line}`);
        const slot = this.slots[i];
        if (slot?.proc !== proc) continue;
        if (/\] grading /.test(line)) slot.active++;
        else if (/\] \S+: (graded|timeout|crashed|invalid|wrong-assignment) /.test(line)) slot.active--;
      }
    };
    proc.stdout!.on("data", onData);
    proc.stderr!.on("data", onData);
    proc.once("exit", (code, signal) => {
      this.output.push(`[${i}] exited (${signal ?? code})`);
      if (!this.running) return;
      this.deaths++;
      setTimeout(() => {
        if (this.running) this.slots[i] = { proc: this.spawn(i), active: 0 };
      }, 300);
    });
    return proc;
  }

  /** Resolves with a worker's index once it is grading a job. */
  async busyWorker(timeoutMs: number): Promise<number> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const i = this.slots.findIndex((s) => s.active > 0);
      if (i >= 0) return i;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no worker started a job within ${timeoutMs} ms:\n${this.output.join("\n")}`);
  }

  /** SIGKILLs one worker (it is restarted like any dead worker). */
  kill(i: number): void {
    this.slots[i]!.proc.kill("SIGKILL");
  }

  /** Stops every worker for good (SIGTERM: they finish their jobs; SIGKILL after 20 s). */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(
      this.slots.map(({ proc }) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
        const exited = new Promise((r) => proc.once("exit", r));
        proc.kill("SIGTERM");
        const force = setTimeout(() => proc.kill("SIGKILL"), 20_000);
        return exited.then(() => clearTimeout(force));
      }),
    );
  }
}

/** Runs `seqlab <args>` to the end; resolves with its exit code and output. */
export function seqlab(args: string[], onLine?: (line: string) => void): Promise<{ code: number | null; out: string }> {
  const proc = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const onData = (d: Buffer): void => {
    out += d.toString();
    for (const line of d.toString().split("\n").filter(Boolean)) onLine?.(line);
  };
  proc.stdout.on("data", onData);
  proc.stderr.on("data", onData);
  return new Promise((resolve) => proc.once("close", (code) => resolve({ code, out })));
}
