/**
 * A child process driven over JSON lines: one request per stdin line, one answer per stdout
 * line, one request at a time. The benchmarks' other sides run this way (Keras in Python,
 * another seqlab checkout in Node), so each trains in its own process, interleaved with the
 * current code.
 *
 * @module
 */
import { ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import * as readline from "node:readline";

/**
 * One answer of a side: `ok: true` with its fields, or `ok: false` with the error.
 *
 * @example
 * ```ts
 * const reply: SideReply = { ok: false, error: "unknown op nope" };
 * reply.ok ? "answer" : reply.error; // "unknown op nope"
 * ```
 */
export type SideReply = { ok: true; [key: string]: unknown } | { ok: false; error: string };

/**
 * A running side process (see the module notes). A spawn failure (e.g. a missing program) or
 * a write after the process died rejects the pending and later requests with an error naming
 * the side, instead of crashing the benchmark.
 *
 * @example
 * ```ts
 * const side = new JsonLinesProcess("echo side", process.execPath, ["-e", "process.stdin.pipe(process.stdout)"], process.env);
 * await side.request({ ok: true, n: 1 }); // { ok: true, n: 1 }
 * side.close();
 * ```
 */
export class JsonLinesProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  private stderr = "";
  /** Why the process cannot answer (spawn failure, broken stdin), once known. */
  private failure: Error | undefined;
  /** Rejects the request waiting for an answer, if any. */
  private rejectPending: ((error: Error) => void) | undefined;

  /**
   * @param label Printed in errors, e.g. `"Keras side"`.
   * @param command The program.
   * @param args Its arguments.
   * @param env Its environment.
   */
  constructor(
    private readonly label: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv,
  ) {
    this.child = spawn(command, args, { env });
    this.child.on("error", (error: Error) => {
      this.fail(new Error(`the ${this.label} process could not run \`${command}\`: ${error.message}; check that the program exists and is executable`));
    });
    this.child.stdin.on("error", (error: Error) => {
      this.fail(new Error(`the ${this.label} process stopped reading requests (${error.message}): ${this.stderrSummary()}`));
    });
    this.child.stderr.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    this.lines = readline.createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  /** Records the first failure and rejects the pending request with it. */
  private fail(error: Error): void {
    this.failure ??= error;
    this.rejectPending?.(this.failure);
    this.rejectPending = undefined;
  }

  /** The last three lines of stderr, joined. */
  private stderrSummary(): string {
    return this.stderr.trim().split("\n").slice(-3).join(" | ");
  }

  /**
   * Sends one request and waits for its answer.
   *
   * @param request The JSON request.
   * @returns The answer.
   * @throws Error when the process could not start, died or answered `ok: false`.
   */
  async request(request: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (this.failure) throw this.failure;
    const failed = new Promise<never>((_, reject) => {
      this.rejectPending = reject;
    });
    try {
      this.child.stdin.write(JSON.stringify(request) + "\n");
      const next = await Promise.race([this.lines.next(), failed]);
      if (next.done) throw new Error(`the ${this.label} process exited: ${this.stderrSummary()}`);
      const reply = JSON.parse(next.value) as SideReply;
      if (!reply.ok) throw new Error(`${this.label}: ${reply.error}`);
      return reply;
    } finally {
      this.rejectPending = undefined;
      failed.catch(() => undefined);
    }
  }

  /** The last few kilobytes the process wrote to stderr. */
  stderrTail(): string {
    return this.stderr;
  }

  /** Ends the process. */
  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }
}
