/**
 * The kernel's iopub send queue: every iopub message goes through it, one ZeroMQ send at a
 * time, in order.
 *
 * Why a queue: zeromq's `Publisher.send` allows one pending send; a second call while the
 * first waits (the socket's high water mark reached) throws `EBUSY`. The kernel's iopub
 * socket is set to `noDrop` (wait instead of silently dropping when a client is slow), so
 * sends can wait, and only a queue keeps every message.
 *
 * What it guarantees:
 * - {@link IopubQueue.push} never throws and never writes to the notebook: a failed send is
 *   reported through `log` (the kernel's own stderr) and the next message is sent.
 * - Order is kept. An `update_display_data` for a `display_id` that already has an update
 *   waiting replaces that waiting update (live plots send many; only the latest matters).
 * - Pacing: Jupyter Server drops iopub messages (with a warning) when a kernel sends more
 *   than 1000 messages/s or 1 MB/s of stream text averaged over 3 s (its defaults). The
 *   queue holds messages back so that no 3 s window carries more than 80% of either, so
 *   JupyterLab receives everything.
 *
 * @module
 */

/** One iopub message before encoding. */
export interface IopubMessage {
  /** `stream`, `display_data`, `status`, ... */
  msgType: string;
  /** The message content. */
  content: object;
  /** The request it answers (its header), if any. */
  parent: object | undefined;
}

/** What the queue needs from the outside world (injected in tests). */
export interface IopubQueueIo {
  /**
   * Encodes and sends one message. Like zeromq's `send`: may return a pending promise, and
   * throws an error with `code: "EBUSY"` when called while an earlier send still waits.
   */
  send(message: IopubMessage): Promise<void>;
  /** The kernel's own log. */
  log(text: string): void;
  /** Milliseconds, monotonic. */
  now(): number;
  /** Calls `fn` once after `ms` (a timer, never a microtask). */
  setTimer(fn: () => void, ms: number): void;
}

/** Jupyter Server's defaults (`ZMQChannelsWebsocketConnection`), and the share of them used. */
export const JUPYTER_RATE_LIMITS = { messagesPerSecond: 1000, streamBytesPerSecond: 1_000_000, windowSeconds: 3, share: 0.8 } as const;

/** Messages Jupyter Server does not count against its rate limits. */
const UNCOUNTED = new Set(["status", "comm_open", "execute_input"]);

interface Entry {
  message: IopubMessage;
  displayId: string | undefined;
}

/** A paced, ordered, never-throwing iopub sender. */
export interface IopubQueue {
  /** Queues a message. Never throws. */
  push(message: IopubMessage): void;
  /** Resolves when every queued message has been handed to the socket (or failed). */
  drained(): Promise<void>;
  /** Messages whose send failed (each reported through `log`). */
  readonly failed: number;
}

function updateDisplayId(message: IopubMessage): string | undefined {
  if (message.msgType !== "update_display_data") return undefined;
  const transient = (message.content as { transient?: { display_id?: unknown } }).transient;
  return typeof transient?.display_id === "string" ? transient.display_id : undefined;
}

/** The size Jupyter Server counts for a stream message (it counts the whole message; the text dominates). */
function streamBytes(message: IopubMessage): number {
  if (message.msgType !== "stream") return 0;
  const text = (message.content as { text?: unknown }).text;
  return 300 + (typeof text === "string" ? Buffer.byteLength(text) : 0);
}

/**
 * Creates the queue.
 *
 * Sending is driven synchronously from {@link IopubQueue.push} and from timers, never from a
 * promise continuation alone: when the kernel stops a cell stuck in a loop (see
 * `blocked-cell-watchdog.ts`), V8 drops every queued microtask, and a queue that waited on
 * `await send()` would stall for good. A message goes out in the `push` call when the socket
 * takes it at once (so output printed just before a long synchronous step is seen).
 *
 * @param io Sending, logging and the clock.
 * @param limits Rate limits to stay under (default: Jupyter Server's); `null` disables pacing.
 * @returns The queue.
 * @example
 * ```ts
 * const queue = createIopubQueue({
 *   send: (m) => socket.send(encode(m)),
 *   log: (text) => process.stderr.write(text),
 *   now: () => performance.now(),
 *   setTimer: (fn, ms) => void setTimeout(fn, ms),
 * });
 * queue.push({ msgType: "status", content: { execution_state: "busy" }, parent: header });
 * ```
 */
export function createIopubQueue(io: IopubQueueIo, limits: { messagesPerSecond: number; streamBytesPerSecond: number; windowSeconds: number; share: number } | null = JUPYTER_RATE_LIMITS): IopubQueue {
  const pending: Entry[] = [];
  const sent: Array<{ at: number; bytes: number }> = [];
  let windowMessages = 0;
  let windowBytes = 0;
  let failed = 0;
  let pumping = false;
  let timerAt = Infinity;
  let lastSend: Promise<void> | undefined;
  let idleWaiters: Array<() => void> = [];
  const windowMs = (limits?.windowSeconds ?? 0) * 1000;
  const maxMessages = limits ? Math.floor(limits.messagesPerSecond * limits.windowSeconds * limits.share) : Infinity;
  const maxBytes = limits ? Math.floor(limits.streamBytesPerSecond * limits.windowSeconds * limits.share) : Infinity;
  /** While the socket is busy, how often to retry even if the send's promise never reports back. */
  const RETRY_MS = 20;

  function expire(now: number): void {
    while (sent.length > 0 && sent[0]!.at + windowMs <= now) {
      const old = sent.shift()!;
      windowMessages--;
      windowBytes -= old.bytes;
    }
  }

  /** How long to wait before `message` fits in the window (0: send now). */
  function waitFor(message: IopubMessage): number {
    if (!limits || UNCOUNTED.has(message.msgType)) return 0;
    const now = io.now();
    expire(now);
    const bytes = streamBytes(message);
    const fits = (messages: number, total: number): boolean => messages + 1 <= maxMessages && (total + bytes <= maxBytes || total === 0);
    let messages = windowMessages;
    let total = windowBytes;
    if (fits(messages, total)) return 0;
    // Wait until enough of the oldest sends leave the window. A message larger than the whole
    // byte budget goes once the window holds no stream bytes.
    for (const old of sent) {
      messages--;
      total -= old.bytes;
      if (fits(messages, total)) return Math.max(1, old.at + windowMs - now);
    }
    return 0;
  }

  function record(message: IopubMessage): void {
    if (!limits || UNCOUNTED.has(message.msgType)) return;
    const bytes = streamBytes(message);
    sent.push({ at: io.now(), bytes });
    windowMessages++;
    windowBytes += bytes;
  }

  function report(message: IopubMessage, err: unknown): void {
    failed++;
    try {
      io.log(`iopub: could not send a ${message.msgType} message: ${err instanceof Error ? err.message : String(err)}`);
    } catch {
      // The log itself failed: nothing else can be done, and nothing may be thrown.
    }
  }

  function schedule(ms: number): void {
    const at = io.now() + ms;
    if (at >= timerAt) return;
    timerAt = at;
    io.setTimer(() => {
      timerAt = Infinity;
      pump();
    }, ms);
  }

  function pump(): void {
    if (pumping) return;
    pumping = true;
    try {
      while (pending.length > 0) {
        const entry = pending[0]!;
        const wait = waitFor(entry.message);
        if (wait > 0) {
          schedule(wait);
          return;
        }
        let sending: Promise<void>;
        try {
          sending = io.send(entry.message);
        } catch (err) {
          if ((err as { code?: unknown } | null)?.code === "EBUSY") {
            // An earlier send waits for a slow client: retry when it is done.
            const retry = (): void => schedule(0);
            lastSend?.then(retry, retry);
            schedule(RETRY_MS);
            return;
          }
          pending.shift();
          report(entry.message, err);
          continue;
        }
        pending.shift();
        record(entry.message);
        lastSend = sending;
        sending.catch((err: unknown) => report(entry.message, err));
      }
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    } finally {
      pumping = false;
    }
  }

  return {
    push(message) {
      const displayId = updateDisplayId(message);
      if (displayId !== undefined) {
        const waiting = pending.find((e) => e.displayId === displayId);
        if (waiting) {
          waiting.message = message;
          return;
        }
      }
      pending.push({ message, displayId });
      if (pending.length === 1) pump();
    },
    drained() {
      if (pending.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    get failed() {
      return failed;
    },
  };
}
