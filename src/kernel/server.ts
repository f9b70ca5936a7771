/**
 * The kernel's Jupyter side: ZeroMQ sockets, request dispatch, the execute queue with
 * Jupyter's `stop_on_error` semantics, and iopub publishing. Every iopub message goes through
 * one ordered, paced send queue (`iopub-queue.ts`); a cell's stream output and displays go
 * through its {@link CellPublisher} (`cell-output.ts`: coalescing and the output limit).
 *
 * @module
 */
import * as fs from "node:fs";
import { isCompleteCode } from "tslab/dist/converter";
import * as zmq from "zeromq";
import { createCellOutput, type OutputLimits } from "./cell-output";
import type { DisplayContent } from "./display-channel";
import type { CellExecutor } from "./executor";
import { createIopubQueue } from "./iopub-queue";
import {
  isExecuteRequest,
  parseRequest,
  ProtocolError,
  type KernelRequest,
  type MessageHeader,
} from "./messages";
import { createWireCodec, type WireCodec, type WireMessage } from "./wire";

/** A Jupyter connection file. */
export interface ConnectionInfo {
  /** `"tcp"` or `"ipc"`. */
  transport: string;
  /** Address to bind. */
  ip: string;
  /** HMAC key. */
  key: string;
  /** Ports. */
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
}

/**
 * Reads and checks a connection file.
 *
 * @param file Its path.
 * @returns The connection info.
 * @throws {ProtocolError} When a field is missing.
 * @example
 * ```ts
 * readConnectionFile("/run/user/1000/jupyter/kernel-1.json").shell_port;
 * ```
 */
export function readConnectionFile(file: string): ConnectionInfo {
  const raw = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  for (const key of ["shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"]) {
    if (typeof raw[key] !== "number") throw new ProtocolError(`connection file ${file}: \`${key}\` must be a number`);
  }
  return {
    transport: typeof raw.transport === "string" ? raw.transport : "tcp",
    ip: typeof raw.ip === "string" ? raw.ip : "127.0.0.1",
    key: typeof raw.key === "string" ? raw.key : "",
    shell_port: raw.shell_port as number,
    iopub_port: raw.iopub_port as number,
    stdin_port: raw.stdin_port as number,
    control_port: raw.control_port as number,
    hb_port: raw.hb_port as number,
  };
}

/** What the server reports in `kernel_info_reply`. */
export interface KernelInfo {
  /** Kernel implementation version. */
  implementationVersion: string;
  /** TypeScript version. */
  languageVersion: string;
  /** The banner. */
  banner: string;
}

/** What the server needs from the rest of the kernel. */
export interface KernelServerOptions {
  /** The connection. */
  connection: ConnectionInfo;
  /** The cell runner. */
  executor: CellExecutor;
  /** `kernel_info_reply` facts. */
  info: KernelInfo;
  /** Handles an `interrupt_request` (same as SIGINT). */
  interrupt(): void;
  /** Called with a publisher for the cell that starts, to route stdout, stderr and displays. */
  onCellStart(output: CellPublisher): void;
  /** The kernel's own log (not the notebook). */
  log(text: string): void;
  /** The per-cell output limits. */
  outputLimits: OutputLimits;
  /** Called after each `kernel_info_reply` is sent (the kernel starts warming its compiler after the first). */
  onKernelInfo?(): void;
}

/** Publishes iopub messages on behalf of one request. */
export interface CellPublisher {
  /** A `stream` message. */
  stream(name: "stdout" | "stderr", text: string): void;
  /** A `display_data` or `update_display_data` message. */
  display(content: DisplayContent, update: boolean): void;
  /** Sends what is buffered and what the output limit kept back. */
  finish(): void;
}

interface QueuedExecute {
  msg: WireMessage;
  socket: zmq.Router;
  request: Extract<KernelRequest, { msg_type: "execute_request" }>;
}

/** The running server. */
export interface KernelServer {
  /** Closes the sockets. */
  close(): void;
}

/**
 * Binds the sockets and serves requests until a `shutdown_request`.
 *
 * @param options Connection, executor and hooks.
 * @param onShutdown Called after the shutdown reply is sent.
 * @returns The server.
 * @example
 * ```ts
 * await startKernelServer({ connection, executor, info, interrupt, onCellStart, log }, () => process.exit(0));
 * ```
 */
export async function startKernelServer(options: KernelServerOptions, onShutdown: () => void): Promise<KernelServer> {
  const { connection, executor, log } = options;
  const codec: WireCodec = createWireCodec(connection.key);
  // Wait for a slow client instead of dropping its messages; the queue below serialises sends.
  const iopub = new zmq.Publisher({ noDrop: true, sendTimeout: 30_000 });
  const shell = new zmq.Router();
  const control = new zmq.Router();
  const stdin = new zmq.Router();
  const hb = new zmq.Reply();
  const address = (port: number): string =>
    connection.transport === "ipc" ? `ipc://${connection.ip}-${port}` : `${connection.transport}://${connection.ip}:${port}`;
  await Promise.all([
    iopub.bind(address(connection.iopub_port)),
    shell.bind(address(connection.shell_port)),
    control.bind(address(connection.control_port)),
    stdin.bind(address(connection.stdin_port)),
    hb.bind(address(connection.hb_port)),
  ]);

  let executionCount = 0;
  const queue: QueuedExecute[] = [];
  let running = false;

  const iopubQueue = createIopubQueue({
    send: (m) => iopub.send(codec.encode([Buffer.from(m.msgType)], codec.header(m.msgType, m.parent as MessageHeader | undefined), m.parent ?? {}, {}, m.content)),
    log,
    now: () => performance.now(),
    setTimer: (fn, ms) => void setTimeout(fn, ms),
  });
  function publish(msgType: string, content: object, parent: MessageHeader | undefined): void {
    iopubQueue.push({ msgType, content, parent });
  }
  function reply(socket: zmq.Router, msg: WireMessage, msgType: string, content: object): void {
    const header = codec.header(msgType, msg.header);
    try {
      void socket.send(codec.encode(msg.identities, header, msg.header, {}, content)).catch((err: unknown) => log(`reply send failed: ${String(err)}`));
    } catch (err) {
      log(`reply send failed: ${String(err)}`);
    }
  }
  function publisherFor(parent: MessageHeader): CellPublisher {
    const output = createCellOutput(
      {
        publish: (msgType, content) => publish(msgType, content, parent),
        setTimer: (fn, ms) => setTimeout(fn, ms),
        clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout),
        now: () => performance.now(),
      },
      options.outputLimits,
    );
    return { stream: output.stream, display: output.display, finish: output.finish };
  }

  async function runExecute(job: QueuedExecute): Promise<void> {
    const { msg, socket, request } = job;
    const { code, silent, store_history, stop_on_error } = request.content;
    publish("status", { execution_state: "busy" }, msg.header);
    if (!silent && store_history) executionCount++;
    const count = executionCount;
    if (!silent) publish("execute_input", { code, execution_count: count }, msg.header);
    const output = publisherFor(msg.header);
    options.onCellStart(output);
    const outcome = await executor.execute(code, `cell ${count}`);
    output.finish();
    if (outcome.status === "ok") {
      if (outcome.result && !silent) publish("execute_result", { execution_count: count, data: outcome.result, metadata: {} }, msg.header);
      reply(socket, msg, "execute_reply", { status: "ok", execution_count: count, payload: [], user_expressions: {} });
    } else {
      if (!silent) publish("error", outcome.error, msg.header);
      if (stop_on_error) {
        // Let requests the client sent before this failure reach the queue, then abort them.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      reply(socket, msg, "execute_reply", { status: "error", execution_count: count, ...outcome.error });
      if (stop_on_error) {
        for (const aborted of queue.splice(0)) {
          publish("status", { execution_state: "busy" }, aborted.msg.header);
          reply(aborted.socket, aborted.msg, "execute_reply", { status: "aborted", execution_count: count });
          publish("status", { execution_state: "idle" }, aborted.msg.header);
        }
      }
    }
    publish("status", { execution_state: "idle" }, msg.header);
  }

  async function pump(): Promise<void> {
    if (running) return;
    running = true;
    try {
      for (let job = queue.shift(); job; job = queue.shift()) await runExecute(job);
    } finally {
      running = false;
    }
  }

  function handle(socket: zmq.Router, msg: WireMessage, request: KernelRequest): void {
    if (isExecuteRequest(request)) {
      queue.push({ msg, socket, request });
      void pump();
      return;
    }
    publish("status", { execution_state: "busy" }, msg.header);
    try {
      switch (request.msg_type) {
        case "kernel_info_request":
          reply(socket, msg, "kernel_info_reply", {
            status: "ok",
            protocol_version: "5.3",
            implementation: "seqlab",
            implementation_version: options.info.implementationVersion,
            language_info: {
              name: "typescript",
              version: options.info.languageVersion,
              mimetype: "text/typescript",
              file_extension: ".ts",
              codemirror_mode: { mode: "typescript", name: "javascript", typescript: true },
            },
            banner: options.info.banner,
            help_links: [],
          });
          options.onKernelInfo?.();
          break;
        case "complete_request": {
          const info = executor.complete(request.content.code, request.content.cursor_pos);
          reply(socket, msg, "complete_reply", { status: "ok", matches: info.candidates, cursor_start: info.start, cursor_end: info.end, metadata: {} });
          break;
        }
        case "inspect_request": {
          const text = executor.inspect(request.content.code, request.content.cursor_pos);
          reply(socket, msg, "inspect_reply", { status: "ok", found: text !== undefined, data: text === undefined ? {} : { "text/plain": text }, metadata: {} });
          break;
        }
        case "is_complete_request": {
          const res = isCompleteCode(request.content.code);
          reply(socket, msg, "is_complete_reply", res.completed ? { status: "complete" } : { status: "incomplete", indent: res.indent ?? "" });
          break;
        }
        case "comm_info_request":
          reply(socket, msg, "comm_info_reply", { status: "ok", comms: {} });
          break;
        case "history_request":
          reply(socket, msg, "history_reply", { status: "ok", history: [] });
          break;
        case "interrupt_request":
          options.interrupt();
          reply(socket, msg, "interrupt_reply", { status: "ok" });
          break;
        case "shutdown_request":
          reply(socket, msg, "shutdown_reply", { status: "ok", restart: request.content.restart });
          publish("status", { execution_state: "idle" }, msg.header);
          // Let queued output reach the client first (at most 2 s).
          void Promise.race([iopubQueue.drained(), new Promise((resolve) => setTimeout(resolve, 2000))]).then(() =>
            setTimeout(() => {
              server.close();
              onShutdown();
            }, 50),
          );
          return;
      }
    } catch (err) {
      log(`error handling ${request.msg_type}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      reply(socket, msg, request.msg_type.replace(/_request$/, "_reply"), {
        status: "error",
        ename: err instanceof Error ? err.name : "Error",
        evalue: err instanceof Error ? err.message : String(err),
        traceback: [],
      });
    }
    publish("status", { execution_state: "idle" }, msg.header);
  }

  async function serve(socket: zmq.Router, name: string): Promise<void> {
    for await (const frames of socket) {
      let msg: WireMessage;
      let request: KernelRequest | undefined;
      try {
        msg = codec.decode(frames);
        request = parseRequest(msg.header.msg_type, msg.content);
      } catch (err) {
        log(`${name}: dropped a message: ${err instanceof Error ? err.message : String(err)}`);
        continue;
      }
      if (!request) {
        log(`${name}: unsupported msg_type ${msg.header.msg_type}`);
        continue;
      }
      handle(socket, msg, request);
    }
  }

  void serve(shell, "shell").catch((err: unknown) => log(`shell socket closed: ${String(err)}`));
  void serve(control, "control").catch((err: unknown) => log(`control socket closed: ${String(err)}`));
  void (async () => {
    for await (const frames of hb) await hb.send(frames);
  })().catch(() => undefined);

  const server: KernelServer = {
    close() {
      for (const s of [iopub, shell, control, stdin, hb]) s.close();
      executor.close();
    },
  };
  return server;
}
