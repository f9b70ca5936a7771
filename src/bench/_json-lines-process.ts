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

/** One answer of a side: `ok: true` with its fields, or `ok: false` with the error. */
export type SideReply = { ok: true; [key: string]: unknown } | { ok: false; error: string };

/** A running side process (see the module notes). */
export class JsonLinesProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  private stderr = "";

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
    this.child.stderr.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    this.lines = readline.createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  /**
   * Sends one request and waits for its answer.
   *
   * @param request The JSON request.
   * @returns The answer.
   * @throws Error when the process died or answered `ok: false`.
   */
  async request(request: Record<string, unknown>): Promise<Record<string, unknown>> {
    this.child.stdin.write(JSON.stringify(request) + "\n");
    const next = await this.lines.next();
    if (next.done) throw new Error(`the ${this.label} process exited: ${this.stderr.trim().split("\n").slice(-3).join(" | ")}`);
    const reply = JSON.parse(next.value) as SideReply;
    if (!reply.ok) throw new Error(`${this.label}: ${reply.error}`);
    return reply;
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
