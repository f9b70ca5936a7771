/**
 * The kernel's own overhead against Python's ipykernel on the same machine, in the same run:
 * kernel start (spawn to `kernel_info_reply`), a trivial cell's round trip (execute_request
 * to the reply and the idle status), the first import cell (tfjs-node and kernel-helpers;
 * ipykernel imports nothing comparable, so it has none), and a small cell after the imports.
 * Both kernels run side by side and their cells are interleaved; medians are reported, with
 * seqlab ÷ ipykernel ratios. Both are driven over the Jupyter protocol by the same minimal
 * ZeroMQ client here, so the client's cost is the same for both.
 *
 * @module
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as zmq from "zeromq";
import { createWireCodec, type WireCodec } from "../kernel/wire";
import { projectRoot, venvPython } from "../setup/paths";
import type { Benchmark, BenchRow } from "./types";

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

interface Received {
  channel: "shell" | "iopub";
  parentId: string | undefined;
  msgType: string;
  content: Record<string, unknown>;
}

/** A kernel process and a minimal client for it. */
class BenchKernel {
  private readonly shell = new zmq.Dealer();
  private readonly iopub = new zmq.Subscriber();
  private readonly codec: WireCodec;
  private listener: ((m: Received) => void) | undefined;

  private constructor(
    private readonly child: ChildProcess,
    key: string,
    private readonly dir: string,
  ) {
    this.codec = createWireCodec(key);
  }

  private listen(socket: zmq.Dealer | zmq.Subscriber, channel: Received["channel"]): void {
    void (async () => {
      for await (const frames of socket) {
        const msg = this.codec.decode(frames);
        const parentId = (msg.parentHeader as { msg_id?: string }).msg_id;
        this.listener?.({ channel, parentId, msgType: msg.header.msg_type, content: msg.content as Record<string, unknown> });
      }
    })().catch(() => undefined);
  }

  /** Starts a kernel with `argv` (`{connection_file}` is replaced) and waits for its kernel_info_reply. */
  static async start(argv: readonly string[], cwd: string): Promise<{ kernel: BenchKernel; startMs: number }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-bench-kernel-"));
    const key = "bench-key";
    const ports = { shell_port: await freePort(), iopub_port: await freePort(), stdin_port: await freePort(), control_port: await freePort(), hb_port: await freePort() };
    const file = path.join(dir, "connection.json");
    fs.writeFileSync(file, JSON.stringify({ ...ports, ip: "127.0.0.1", transport: "tcp", key, signature_scheme: "hmac-sha256" }));
    const t0 = performance.now();
    const [command, ...args] = argv.map((a) => a.replace("{connection_file}", file));
    const child = spawn(command!, args, { cwd, stdio: ["ignore", "ignore", "ignore"], env: { ...process.env, SEQLAB_TF_LOGS: "" } });
    const kernel = new BenchKernel(child, key, dir);
    kernel.shell.connect(`tcp://127.0.0.1:${ports.shell_port}`);
    kernel.iopub.connect(`tcp://127.0.0.1:${ports.iopub_port}`);
    kernel.iopub.subscribe();
    kernel.listen(kernel.shell, "shell");
    kernel.listen(kernel.iopub, "iopub");
    await kernel.request("kernel_info_request", {}, 60_000);
    return { kernel, startMs: performance.now() - t0 };
  }

  /** Sends a request and waits for its reply and (for execute) its idle status. */
  async request(msgType: string, content: object, timeoutMs = 120_000): Promise<Record<string, unknown>> {
    const header = this.codec.header(msgType, undefined);
    let reply: Record<string, unknown> | undefined;
    let idle = msgType !== "execute_request";
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${msgType}: no answer within ${timeoutMs} ms`)), timeoutMs);
      this.listener = (m) => {
        if (m.parentId !== header.msg_id) return;
        if (m.channel === "shell") reply = m.content;
        else if (m.msgType === "status" && m.content.execution_state === "idle") idle = true;
        if (reply && idle) {
          clearTimeout(timer);
          resolve();
        }
      };
    });
    await this.shell.send(this.codec.encode([], header, {}, {}, content));
    await done;
    return reply!;
  }

  /** Runs a cell; returns its round trip in ms. */
  async execute(code: string): Promise<number> {
    const t0 = performance.now();
    const reply = await this.request("execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    if (reply.status !== "ok") throw new Error(`cell failed: ${code}: ${String(reply.evalue)}`);
    return performance.now() - t0;
  }

  async stop(): Promise<void> {
    try {
      await this.request("shutdown_request", { restart: false }, 5000);
    } catch {
      // Killed below either way.
    }
    this.child.kill("SIGTERM");
    this.shell.close();
    this.iopub.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function ipykernelAvailable(): boolean {
  if (!fs.existsSync(venvPython)) return false;
  return spawnSync(venvPython, ["-c", "import ipykernel"], { stdio: "ignore" }).status === 0;
}

const bench: Benchmark = {
  name: "kernel",
  description: "kernel overhead vs ipykernel (same machine, interleaved): start, trivial cell, first import cell, small cell after the imports",
  async run(ctx): Promise<BenchRow[]> {
    const repeats = ctx.quick ? 5 : 15;
    const cwd = path.join(projectRoot, "notebooks");
    const seqlabArgv = [process.execPath, path.join(projectRoot, "dist", "src", "kernel", "main.js"), "--config-path", "{connection_file}"];
    const hasIpy = ipykernelAvailable();
    if (!hasIpy) ctx.log(`kernel: ipykernel is not installed in ${path.relative(projectRoot, venvPython)}: seqlab only, no ratios`);
    const seqlab = await BenchKernel.start(seqlabArgv, cwd);
    const ipy = hasIpy ? await BenchKernel.start([venvPython, "-m", "ipykernel_launcher", "-f", "{connection_file}"], cwd) : undefined;
    try {
      const trivial = { seqlab: [] as number[], ipy: [] as number[] };
      const after = { seqlab: [] as number[], ipy: [] as number[] };
      for (let i = 0; i < repeats; i++) {
        trivial.seqlab.push(await seqlab.kernel.execute(`${i} + 1`));
        if (ipy) trivial.ipy.push(await ipy.kernel.execute(`${i} + 1`));
      }
      const importMs = await seqlab.kernel.execute('import * as tf from "@tensorflow/tfjs-node";\nimport { Tokenizer, padSequences, plots, show } from "kernel-helpers";');
      if (ipy) await ipy.kernel.execute("import json, math");
      for (let i = 0; i < repeats; i++) {
        after.seqlab.push(await seqlab.kernel.execute(`const v${i} = tf.scalar(${i}).shape.length + ${i};\nv${i}`));
        if (ipy) after.ipy.push(await ipy.kernel.execute(`v${i} = math.floor(${i}) + 1\nv${i}`));
        if (i % 5 === 4) ctx.log(`kernel: ${i + 1}/${repeats} cells after the imports`);
      }
      const row = (name: string, s: number, p: number | undefined): BenchRow => ({
        bench: "kernel",
        case: name,
        metrics: {
          "seqlab ms": Number(s.toFixed(1)),
          "ipykernel ms": p === undefined ? "n/a" : Number(p.toFixed(1)),
          "seqlab/ipykernel": p === undefined ? "n/a" : Number((s / p).toFixed(2)),
        },
      });
      return [
        row("kernel start (spawn to kernel_info_reply)", seqlab.startMs, ipy?.startMs),
        row(`trivial cell round trip (median of ${repeats})`, median(trivial.seqlab), ipy ? median(trivial.ipy) : undefined),
        row("first import cell (tfjs-node + kernel-helpers; ipykernel: no equivalent)", importMs, undefined),
        row(`small cell after the imports, round trip (median of ${repeats})`, median(after.seqlab), ipy ? median(after.ipy) : undefined),
      ];
    } finally {
      await seqlab.kernel.stop();
      await ipy?.kernel.stop();
    }
  },
};

export default bench;
