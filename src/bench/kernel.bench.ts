/**
 * The kernel's own overhead against Python's ipykernel on the same machine, in the same run:
 * kernel start (spawn to `kernel_info_reply`), a trivial cell's round trip (execute_request
 * to the reply and the idle status), the first import cell (tfjs-node and kernel-helpers;
 * ipykernel imports nothing comparable, so it has none), and a small cell after the imports.
 * Both kernels run side by side and their cells are interleaved; medians are reported, with
 * seqlab ÷ ipykernel ratios. Both are driven over the Jupyter protocol by the same minimal
 * ZeroMQ client here, so the client's cost is the same for both.
 *
 * Then where a small cell's time goes: the small cells are also compiled in this process,
 * right after the kernels ran them all (compiling between the kernels' cells would let this
 * process's work and garbage collection delay reading their replies), by the kernel's cell compiler, phase by phase (program or
 * standalone preparation, checking, emit, carried declarations), and by tslab 1.0.22's
 * converter (the compiler the kernel used before); the rest of the round trip (running the
 * cell, the protocol) is the round trip minus the compile. A small cell that declares nothing
 * (`tf.scalar(i).shape.length + i`) is timed the same way (JavaScript emit only, the
 * declarations carried over unchanged).
 *
 * And the first cells of a session: the kernel's first cell is sent once both kernels
 * started (it may wait for a step of the compiler warm-up, see `kernel/warm-up.ts`), the
 * trivial cells {@link AFTER_WARM_UP_MS} later; and in this process a fresh compiler compiles
 * a first cell and the import cell cold and after the warm-up's steps.
 *
 * @module
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as zmq from "zeromq";
import { createConverter } from "tslab/dist/converter";
import { createCellCompiler, loadCellCompilerOptions, type CellCompiler } from "../kernel/compiler";
import type { ConvertPhase } from "../kernel/cell-converter";
import { SLICE_MS } from "../kernel/warm-up";
import { createWireCodec, type WireCodec } from "../kernel/wire";
import { projectRoot, venvPython } from "../setup/paths";
import { firstCells, IMPORT_CELL, warmUpSteps, type FirstCells } from "./_kernel-first-cells";
import { median } from "./_settings";
import type { Benchmark, BenchRow } from "./types";

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

/** The small cells after the import cell, as the bench's kernels run them. */
const smallCell = (i: number): string => `const v${i} = tf.scalar(${i}).shape.length + ${i};\nv${i}`;
/** How long the bench waits after the first cell, in ms (the kernel's compiler warm-up takes 1–4 s on a loaded 2-core host). */
const AFTER_WARM_UP_MS = 6000;

/** A small cell that declares nothing. */
const expressionCell = (i: number): string => `tf.scalar(${i}).shape.length + ${i}`;

/** The same cells compiled in this process by seqlab's cell compiler and tslab's converter, one cell at a time. */
interface InProcessCompilers {
  /** Compiles small cell `i` with both (seqlab's first), then the expression cell `i` with seqlab's. */
  step(i: number): void;
  /** Medians so far: seqlab's phases and total, tslab's total, and how many cells needed no new program; the same for the expression cells (seqlab only). */
  result(): { phases: Record<ConvertPhase, number>; seqlabMs: number; tslabMs: number; reused: number; cells: number; expression: { phases: Record<ConvertPhase, number>; seqlabMs: number } };
  close(): void;
}

/** Creates both compilers in `cwd` and compiles the import cell with each. */
function inProcessCompilers(cwd: string): InProcessCompilers {
  const previous = process.cwd();
  process.chdir(cwd);
  let compiler: CellCompiler;
  let tslab: ReturnType<typeof createConverter>;
  try {
    compiler = createCellCompiler({ ...loadCellCompilerOptions(cwd).options, inlineSourceMap: true });
    tslab = createConverter({ isJS: false, isBrowser: false });
  } finally {
    process.chdir(previous);
  }
  const decl = { seqlab: compiler.convert("", IMPORT_CELL).declOutput ?? "", tslab: tslab.convert("", IMPORT_CELL).declOutput ?? "" };
  const phases = new Map<ConvertPhase, number[]>();
  const expressionPhases = new Map<ConvertPhase, number[]>();
  const totals = { seqlab: [] as number[], tslab: [] as number[], expression: [] as number[] };
  let reused = 0;
  /** Compiles a cell with seqlab's compiler; records its total and phases. */
  const ours = (src: string, total: number[], into: Map<ConvertPhase, number[]>): void => {
    const t0 = performance.now();
    const r = compiler.convert(decl.seqlab, src);
    total.push(performance.now() - t0);
    if (r.diagnostics.length > 0) throw new Error(`small cell failed to compile: ${r.diagnostics[0]!.messageText}`);
    decl.seqlab = r.declOutput ?? "";
    if (compiler.lastReused) reused++;
    for (const [phase, ms] of Object.entries(compiler.lastTimings) as [ConvertPhase, number][]) into.set(phase, [...(into.get(phase) ?? []), ms]);
  };
  const medians = (of: Map<ConvertPhase, number[]>): Record<ConvertPhase, number> => {
    const m = (phase: ConvertPhase): number => median(of.get(phase) ?? [0]);
    return { program: m("program"), check: m("check"), emit: m("emit"), declarations: m("declarations") };
  };
  return {
    step(i) {
      ours(smallCell(i), totals.seqlab, phases);
      const t0 = performance.now();
      const theirs = tslab.convert(decl.tslab, smallCell(i));
      totals.tslab.push(performance.now() - t0);
      decl.tslab = theirs.declOutput ?? "";
      ours(expressionCell(i), totals.expression, expressionPhases);
    },
    result() {
      return {
        phases: medians(phases),
        seqlabMs: median(totals.seqlab),
        tslabMs: median(totals.tslab),
        reused,
        cells: totals.seqlab.length + totals.expression.length,
        expression: { phases: medians(expressionPhases), seqlabMs: median(totals.expression) },
      };
    },
    close() {
      compiler.close();
      tslab.close();
    },
  };
}

function ipykernelAvailable(): boolean {
  if (!fs.existsSync(venvPython)) return false;
  return spawnSync(venvPython, ["-c", "import ipykernel"], { stdio: "ignore" }).status === 0;
}

/**
 * The `kernel` benchmark (see the module notes): the kernel's overhead against ipykernel, where a small cell's time goes, the first cells.
 *
 * @example
 * ```ts
 * import bench from "./kernel.bench";
 * bench.name; // "kernel"
 * const rows = await bench.run({ quick: true, log: console.log });
 * rows.every((r) => r.bench === "kernel"); // true
 * ```
 */
const bench: Benchmark = {
  name: "kernel",
  description:
    "kernel overhead vs ipykernel (same machine, interleaved): start, trivial cell, first import cell, small cell after the imports; where a small cell's time goes, and the compile against tslab's converter",
  async run(ctx): Promise<BenchRow[]> {
    const repeats = ctx.quick ? 5 : 15;
    const cwd = path.join(projectRoot, "notebooks");
    const seqlabArgv = [process.execPath, path.join(projectRoot, "dist", "src", "kernel", "main.js"), "--config-path", "{connection_file}"];
    const hasIpy = ipykernelAvailable();
    if (!hasIpy) ctx.log(`kernel: ipykernel is not installed in ${path.relative(projectRoot, venvPython)}: seqlab only, no ratios`);
    const seqlab = await BenchKernel.start(seqlabArgv, cwd);
    const ipy = hasIpy ? await BenchKernel.start([venvPython, "-m", "ipykernel_launcher", "-f", "{connection_file}"], cwd) : undefined;
    let compilers: InProcessCompilers | undefined;
    try {
      const trivial = { seqlab: [] as number[], ipy: [] as number[] };
      const after = { seqlab: [] as number[], ipy: [] as number[] };
      const expression = { seqlab: [] as number[], ipy: [] as number[] };
      const first = { seqlab: await seqlab.kernel.execute("1 + 1"), ipy: ipy ? await ipy.kernel.execute("1 + 1") : undefined };
      // The rest as a user's cells after the notebook opened: once the kernel's compiler warm-up is over.
      await new Promise((resolve) => setTimeout(resolve, AFTER_WARM_UP_MS));
      for (let i = 0; i < repeats; i++) {
        trivial.seqlab.push(await seqlab.kernel.execute(`${i} + 1`));
        if (ipy) trivial.ipy.push(await ipy.kernel.execute(`${i} + 1`));
      }
      const importMs = await seqlab.kernel.execute(IMPORT_CELL);
      if (ipy) await ipy.kernel.execute("import json, math");
      for (let i = 0; i < repeats; i++) {
        after.seqlab.push(await seqlab.kernel.execute(smallCell(i)));
        if (ipy) after.ipy.push(await ipy.kernel.execute(`v${i} = math.floor(${i}) + 1\nv${i}`));
        expression.seqlab.push(await seqlab.kernel.execute(expressionCell(i)));
        if (ipy) expression.ipy.push(await ipy.kernel.execute(`math.floor(${i}) + 1`));
        if (i % 5 === 4) ctx.log(`kernel: ${i + 1}/${repeats} cells after the imports`);
      }
      ctx.log("kernel: the same cells compiled in-process (seqlab's compiler and tslab's converter), right after the kernels ran them");
      // The same cells compiled here after the kernels' cells, not between them: this process's
      // compile work (and its garbage collection) would otherwise delay reading the next replies.
      compilers = inProcessCompilers(cwd);
      for (let i = 0; i < repeats; i++) compilers.step(i);
      const compiled = compilers.result();
      const row = (name: string, s: number, p: number | undefined): BenchRow => ({
        bench: "kernel",
        case: name,
        metrics: {
          "seqlab ms": Number(s.toFixed(1)),
          "ipykernel ms": p === undefined ? "n/a" : Number(p.toFixed(1)),
          "seqlab/ipykernel": p === undefined ? "n/a" : Number((s / p).toFixed(2)),
        },
      });
      compilers.close();
      compilers = undefined;
      ctx.log("kernel: first cells in-process, a fresh compiler cold and after the warm-up steps (twice each, alternating)");
      const firsts = [firstCells(cwd, false), firstCells(cwd, true), firstCells(cwd, false), firstCells(cwd, true)];
      const warmUp = await warmUpSteps(cwd);
      const firstOf = (warm: boolean, key: keyof FirstCells): number => median(firsts.filter((_, k) => k % 2 === (warm ? 1 : 0)).map((f) => f[key]));
      const compile = compiled;
      const afterMs = median(after.seqlab);
      const afterIpy = ipy ? median(after.ipy) : undefined;
      const round = (x: number): number => Number(x.toFixed(2));
      const small = row(`small cell after the imports, round trip (median of ${repeats})`, afterMs, afterIpy);
      small.metrics["within 2x of ipykernel"] = afterIpy === undefined ? "n/a" : afterMs <= 2 * afterIpy ? "yes" : "no";
      const exprMs = median(expression.seqlab);
      const exprIpy = ipy ? median(expression.ipy) : undefined;
      const expr = row(`small cell declaring nothing after the imports, round trip (median of ${repeats})`, exprMs, exprIpy);
      expr.metrics["within 2x of ipykernel"] = exprIpy === undefined ? "n/a" : exprMs <= 2 * exprIpy ? "yes" : "no";
      return [
        row("kernel start (spawn to kernel_info_reply)", seqlab.startMs, ipy?.startMs),
        row("first cell (1 + 1), sent once both kernels started (seqlab's compiler warm-up may be running)", first.seqlab, first.ipy),
        row(`trivial cell before the imports, ${AFTER_WARM_UP_MS / 1000} s after the first, round trip (median of ${repeats})`, median(trivial.seqlab), ipy ? median(trivial.ipy) : undefined),
        row("first import cell (tfjs-node + kernel-helpers; ipykernel: no equivalent)", importMs, undefined),
        small,
        expr,
        {
          bench: "kernel",
          case: `where the small cell's time goes (the same cells compiled in-process right after the kernels' cells, medians of ${repeats}; rest = round trip - compile)`,
          metrics: {
            "prepare ms": round(compile.phases.program),
            "check ms": round(compile.phases.check),
            "emit ms": round(compile.phases.emit),
            "declarations ms": round(compile.phases.declarations),
            "compile ms": round(compile.seqlabMs),
            "run+protocol ms": round(Math.max(0, afterMs - compile.seqlabMs)),
            "cells without a new program": `${compile.reused}/${compile.cells}`,
          },
        },
        {
          bench: "kernel",
          case: `where the small cell declaring nothing goes (same, medians of ${repeats})`,
          metrics: {
            "prepare ms": round(compile.expression.phases.program),
            "check ms": round(compile.expression.phases.check),
            "emit ms": round(compile.expression.phases.emit),
            "declarations ms": round(compile.expression.phases.declarations),
            "compile ms": round(compile.expression.seqlabMs),
            "run+protocol ms": round(Math.max(0, exprMs - compile.expression.seqlabMs)),
          },
        },
        {
          bench: "kernel",
          case: "first cells compiled in-process by a fresh compiler: cold vs after the kernel's warm-up steps (first program, package typings preloaded), medians of 2",
          metrics: {
            "warm-up ms": round(firstOf(true, "warmUpMs")),
            "first cell cold ms": round(firstOf(false, "firstMs")),
            "first cell warm ms": round(firstOf(true, "firstMs")),
            "import cell cold ms": round(firstOf(false, "importMs")),
            "import cell warm ms": round(firstOf(true, "importMs")),
          },
        },
        {
          bench: "kernel",
          case: `the kernel's warm-up in-process on a fresh compiler (a cell arriving during a step waits for the rest of it; preload steps end after about ${SLICE_MS} ms)`,
          metrics: {
            "first program ms": round(warmUp.firstProgramMs),
            "typings files": warmUp.files,
            "preload steps": warmUp.slices,
            "preload ms": round(warmUp.ms - warmUp.firstProgramMs),
            "longest preload step ms": round(warmUp.longestSliceMs),
          },
        },
        {
          bench: "kernel",
          case: `small cell compile: seqlab's compiler vs tslab 1.0.22's converter (the kernel's compiler before), interleaved, medians of ${repeats}`,
          metrics: { "seqlab ms": round(compile.seqlabMs), "tslab ms": round(compile.tslabMs), "tslab/seqlab": round(compile.tslabMs / compile.seqlabMs) },
        },
      ];
    } finally {
      compilers?.close();
      await seqlab.kernel.stop();
      await ipy?.kernel.stop();
    }
  },
};

export default bench;
