/**
 * Jupyter messaging protocol (version 5.3) types: the requests the kernel accepts, typed as
 * a union on `msg_type`, with validation of what arrives off the socket.
 *
 * @module
 */

/** A message header. */
export interface MessageHeader {
  /** Unique id of the message. */
  msg_id: string;
  /** Session of the client that sent it. */
  session: string;
  /** User name. */
  username: string;
  /** ISO 8601 date. */
  date: string;
  /** The message's type, e.g. `"execute_request"`. */
  msg_type: string;
  /** Protocol version. */
  version: string;
}

/** `execute_request` content. */
export interface ExecuteRequestContent {
  /** The cell's source. */
  code: string;
  /** Run without broadcasting or counting. */
  silent: boolean;
  /** Add to history. */
  store_history: boolean;
  /** Abort the queued requests when this one fails. */
  stop_on_error: boolean;
}

/** `complete_request` / `inspect_request` content. */
export interface CodeAtCursorContent {
  /** The cell's source. */
  code: string;
  /** The cursor, a character offset in `code`. */
  cursor_pos: number;
}

/** `is_complete_request` content. */
export interface IsCompleteRequestContent {
  /** The code typed so far. */
  code: string;
}

/** `shutdown_request` content. */
export interface ShutdownRequestContent {
  /** Whether the client restarts the kernel after shutting it down. */
  restart: boolean;
}

/** Every request the kernel handles, discriminated by `msg_type`. */
export type KernelRequest =
  | { msg_type: "execute_request"; content: ExecuteRequestContent }
  | { msg_type: "complete_request"; content: CodeAtCursorContent }
  | { msg_type: "inspect_request"; content: CodeAtCursorContent }
  | { msg_type: "is_complete_request"; content: IsCompleteRequestContent }
  | { msg_type: "kernel_info_request"; content: Record<string, never> }
  | { msg_type: "comm_info_request"; content: Record<string, never> }
  | { msg_type: "history_request"; content: Record<string, never> }
  | { msg_type: "shutdown_request"; content: ShutdownRequestContent }
  | { msg_type: "interrupt_request"; content: Record<string, never> };

/** A request's `msg_type`. */
export type RequestType = KernelRequest["msg_type"];

/** The content of an `error` iopub message and of a failed `execute_reply`. */
export interface ErrorContent {
  /** The error's class name, e.g. `"TypeError"`, `"TypeScriptError"`, `"KeyboardInterrupt"`. */
  ename: string;
  /** The error's message. */
  evalue: string;
  /** Traceback lines (may contain ANSI colours). */
  traceback: string[];
}

/**
 * Thrown when a message off the socket does not follow the protocol (the kernel logs and
 * drops such messages).
 *
 * @example
 * ```ts
 * throw new ProtocolError("message header must be an object");
 * ```
 */
export class ProtocolError extends Error {
  override name = "ProtocolError";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Checks that `value` is a message header.
 *
 * @param value Parsed JSON.
 * @returns `value`, typed.
 * @throws {ProtocolError} When a field is missing or not a string.
 * @example
 * ```ts
 * parseHeader(JSON.parse(frames[0].toString()));
 * ```
 */
export function parseHeader(value: unknown): MessageHeader {
  if (!isRecord(value)) throw new ProtocolError("message header must be an object");
  for (const key of ["msg_id", "msg_type"] as const) {
    if (typeof value[key] !== "string") throw new ProtocolError(`message header field \`${key}\` must be a string`);
  }
  return {
    msg_id: value.msg_id as string,
    msg_type: value.msg_type as string,
    session: typeof value.session === "string" ? value.session : "",
    username: typeof value.username === "string" ? value.username : "",
    date: typeof value.date === "string" ? value.date : new Date().toISOString(),
    version: typeof value.version === "string" ? value.version : "5.3",
  };
}

function str(content: Record<string, unknown>, key: string, msgType: string): string {
  const v = content[key];
  if (typeof v !== "string") throw new ProtocolError(`${msgType}: \`${key}\` must be a string. Received: ${JSON.stringify(v)}`);
  return v;
}

function int(content: Record<string, unknown>, key: string, msgType: string): number {
  const v = content[key];
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
    throw new ProtocolError(`${msgType}: \`${key}\` must be a non-negative integer. Received: ${JSON.stringify(v)}`);
  }
  return v;
}

function bool(content: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const v = content[key];
  return typeof v === "boolean" ? v : fallback;
}

/**
 * Validates a request's content against its `msg_type`.
 *
 * @param msgType The header's `msg_type`.
 * @param content Parsed JSON content.
 * @returns The typed request, or `undefined` for a type the kernel does not handle.
 * @throws {ProtocolError} When a known request lacks a required field.
 * @example
 * ```ts
 * const req = parseRequest("execute_request", { code: "1 + 1" });
 * if (req?.msg_type === "execute_request") console.log(req.content.code);
 * ```
 */
export function parseRequest(msgType: string, content: unknown): KernelRequest | undefined {
  const c = isRecord(content) ? content : {};
  switch (msgType) {
    case "execute_request":
      return {
        msg_type: msgType,
        content: {
          code: str(c, "code", msgType),
          silent: bool(c, "silent", false),
          store_history: bool(c, "store_history", true),
          stop_on_error: bool(c, "stop_on_error", true),
        },
      };
    case "complete_request":
    case "inspect_request":
      return { msg_type: msgType, content: { code: str(c, "code", msgType), cursor_pos: int(c, "cursor_pos", msgType) } };
    case "is_complete_request":
      return { msg_type: msgType, content: { code: str(c, "code", msgType) } };
    case "shutdown_request":
      return { msg_type: msgType, content: { restart: bool(c, "restart", false) } };
    case "kernel_info_request":
    case "comm_info_request":
    case "history_request":
    case "interrupt_request":
      return { msg_type: msgType, content: {} };
    default:
      return undefined;
  }
}

/**
 * Whether `req` is an `execute_request`.
 *
 * @param req A parsed request.
 * @returns `true` for an execute request.
 * @example
 * ```ts
 * if (isExecuteRequest(req)) queue.push(req);
 * ```
 */
export function isExecuteRequest(req: KernelRequest): req is Extract<KernelRequest, { msg_type: "execute_request" }> {
  return req.msg_type === "execute_request";
}
