/**
 * One cell's output on its way to iopub: stream text is buffered and sent in coalesced
 * `stream` messages (the first write after a quiet spell at once, then at most every
 * {@link OutputLimits.flushMs}, as IPython does, and always before any other message, so
 * order is kept), and the per-cell output limit is applied.
 *
 * The limit (documented in the README, set by `SEQLAB_OUTPUT_LIMIT`): a cell's stream
 * output is sent in full up to `streamHeadChars` characters; past that, only the last
 * `streamTailChars` characters are kept and sent when the cell ends, after a line saying how
 * many lines and characters were left out. Displays likewise: the first `displayHead`
 * `display_data` messages are sent, then only the last `displayTail` are kept. Nothing is
 * dropped without a line in the cell saying so. `update_display_data` messages are not
 * counted (they change an existing display; the iopub queue coalesces bursts of them).
 *
 * Output written after the cell ended (timers, background training) still belongs to it;
 * past the limit, its kept tail is sent every {@link OutputLimits.lateFlushMs}.
 *
 * @module
 */
import type { DisplayContent } from "./display-channel";

/** How a cell's output is limited and coalesced. */
export interface OutputLimits {
  /** Stream characters sent as they come (`Infinity`: no limit). */
  streamHeadChars: number;
  /** Stream characters kept past the head and sent at the end. */
  streamTailChars: number;
  /** `display_data` messages sent as they come. */
  displayHead: number;
  /** `display_data` messages kept past the head and sent at the end. */
  displayTail: number;
  /** Stream text waits at most this long before it is sent. */
  flushMs: number;
  /** A stream message carries at most this many characters. */
  maxMessageChars: number;
  /** Past the limit, output written after the cell ended is sent this often. */
  lateFlushMs: number;
}

/** The variable that sets the stream limit (characters per cell; `0` or `none`: no limit). */
export const OUTPUT_LIMIT_ENV = "SEQLAB_OUTPUT_LIMIT";

/** The default stream limit in characters per cell. */
export const DEFAULT_OUTPUT_LIMIT = 1_000_000;

/**
 * The limits for an environment: `SEQLAB_OUTPUT_LIMIT` characters per cell (default
 * 1,000,000), of which the first 80% are sent as they come and the last 20% at the end;
 * 5,000 displays, then the last 100.
 *
 * @param env The environment.
 * @returns The limits.
 * @throws {RangeError} When `SEQLAB_OUTPUT_LIMIT` is not a non-negative integer or `none`.
 * @example
 * ```ts
 * outputLimitsFromEnv({ SEQLAB_OUTPUT_LIMIT: "20000" }).streamHeadChars; // 16000
 * ```
 */
export function outputLimitsFromEnv(env: NodeJS.ProcessEnv): OutputLimits {
  const raw = env[OUTPUT_LIMIT_ENV]?.trim();
  let total = DEFAULT_OUTPUT_LIMIT;
  if (raw) {
    if (raw === "none" || raw === "0") total = Infinity;
    else if (/^\d+$/.test(raw)) total = Number(raw);
    else throw new RangeError(`${OUTPUT_LIMIT_ENV} must be a number of characters per cell, or 0 or "none" for no limit. Received: ${OUTPUT_LIMIT_ENV}=${JSON.stringify(raw)}`);
  }
  const head = Number.isFinite(total) ? Math.ceil(total * 0.8) : Infinity;
  return {
    streamHeadChars: head,
    streamTailChars: Number.isFinite(total) ? total - head : 0,
    displayHead: 5000,
    displayTail: 100,
    flushMs: 100,
    maxMessageChars: 256 * 1024,
    lateFlushMs: 2000,
  };
}

/** What a cell's output sends through, and its timers (injected in tests). */
export interface CellOutputIo {
  /** Queues one iopub message for this cell. Must not throw. */
  publish(msgType: "stream" | "display_data" | "update_display_data", content: object): void;
  /** Calls `fn` once after `ms`. */
  setTimer(fn: () => void, ms: number): unknown;
  /** Cancels a timer from {@link CellOutputIo.setTimer}. */
  clearTimer(timer: unknown): void;
  /** Milliseconds, monotonic. */
  now(): number;
}

/** A cell's output. */
export interface CellOutput {
  /** Stream text written by the cell. */
  stream(name: "stdout" | "stderr", text: string): void;
  /**
   * A display; `update` sends `update_display_data`.
   *
   * @throws {TypeError} When `content.data` is not an object, or `update` lacks a `display_id`.
   */
  display(content: DisplayContent, update: boolean): void;
  /** Sends buffered stream text now (called before the kernel sends any other message of the cell). */
  flush(): void;
  /** The cell ended: flushes, then sends the kept tail and how much was left out. */
  finish(): void;
}

type StreamName = "stdout" | "stderr";
interface Chunk {
  name: StreamName;
  text: string;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

const fmt = (n: number): string => n.toLocaleString("en-US");

/**
 * Creates a cell's output.
 *
 * @param io Where messages go, and timers.
 * @param limits The limits ({@link outputLimitsFromEnv}).
 * @returns The output.
 * @example
 * ```ts
 * const out = createCellOutput({ publish: (type, content) => queue.push({ msgType: type, content, parent }), setTimer: setTimeout, clearTimer: (t) => clearTimeout(t as NodeJS.Timeout) }, outputLimitsFromEnv(process.env));
 * out.stream("stdout", "hello\n");
 * out.finish();
 * ```
 */
export function createCellOutput(io: CellOutputIo, limits: OutputLimits): CellOutput {
  // Buffered stream text, in order; consecutive writes to one stream share a chunk list.
  const buffer: Array<{ name: StreamName; parts: string[] }> = [];
  let buffered = 0;
  let flushTimer: unknown;
  let lastFlush = -Infinity;
  let headLeft = limits.streamHeadChars;
  let pastHead = false;
  // Past the head: a queue of chunks (read from `tailStart`) holding at least the last streamTailChars.
  let tail: Chunk[] = [];
  let tailStart = 0;
  let tailChars = 0;
  let droppedChars = 0;
  let droppedLines = 0;
  let displaysSent = 0;
  let displayTail: DisplayContent[] = [];
  let droppedDisplays = 0;
  let finished = false;
  let lateTimer: unknown;

  function publishStream(name: StreamName, text: string): void {
    for (let i = 0; i < text.length; i += limits.maxMessageChars) io.publish("stream", { name, text: text.slice(i, i + limits.maxMessageChars) });
  }

  function flush(): void {
    if (flushTimer !== undefined) {
      io.clearTimer(flushTimer);
      flushTimer = undefined;
    }
    const segments = buffer.splice(0);
    buffered = 0;
    lastFlush = io.now();
    for (const s of segments) publishStream(s.name, s.parts.join(""));
  }

  function buffer_(name: StreamName, text: string): void {
    if (!text) return;
    const last = buffer[buffer.length - 1];
    if (last && last.name === name) last.parts.push(text);
    else buffer.push({ name, parts: [text] });
    buffered += text.length;
    if (buffered >= limits.maxMessageChars) flush();
    else if (flushTimer === undefined) {
      // The first write after a quiet spell goes at once (a cell may block right after
      // printing, e.g. in a long synchronous step); writes that follow are coalesced.
      const since = io.now() - lastFlush;
      if (since >= limits.flushMs) flush();
      else flushTimer = io.setTimer(flush, limits.flushMs - since);
    }
  }

  function toTail(name: StreamName, text: string): void {
    if (!text) return;
    tail.push({ name, text });
    tailChars += text.length;
    // Drop whole chunks from the front while the rest still holds the tail.
    while (tailStart < tail.length && tailChars - tail[tailStart]!.text.length >= limits.streamTailChars) {
      const dropped = tail[tailStart++]!.text;
      tailChars -= dropped.length;
      droppedChars += dropped.length;
      droppedLines += countLines(dropped);
    }
    if (tailStart > 1024 && tailStart * 2 > tail.length) {
      tail = tail.slice(tailStart);
      tailStart = 0;
    }
    scheduleLate();
  }

  function scheduleLate(): void {
    if (finished && lateTimer === undefined) {
      lateTimer = io.setTimer(() => {
        lateTimer = undefined;
        sendKept();
      }, limits.lateFlushMs);
    }
  }

  /** Sends what was kept past the limits, preceded by how much was left out. */
  function sendKept(): void {
    flush();
    let chunks = tail.slice(tailStart);
    tail = [];
    tailStart = 0;
    // Trim the oldest kept chunk to the tail size, then to the start of a line.
    const excess = tailChars - limits.streamTailChars;
    tailChars = 0;
    if (chunks.length > 0) {
      const first = chunks[0]!;
      let cut = Math.max(0, excess);
      const nl = first.text.indexOf("\n", cut);
      if (droppedChars + cut > 0 && nl >= 0) cut = nl + 1;
      const dropped = first.text.slice(0, cut);
      droppedChars += dropped.length;
      droppedLines += countLines(dropped);
      chunks = first.text.length > cut ? [{ name: first.name, text: first.text.slice(cut) }, ...chunks.slice(1)] : chunks.slice(1);
    }
    if (droppedChars > 0) {
      publishStream("stderr", `\n[seqlab] ${fmt(droppedLines)} lines (${fmt(droppedChars)} characters) of output were left out here; the last ${fmt(limits.streamTailChars)} characters follow.\n`);
      droppedChars = 0;
      droppedLines = 0;
    }
    for (const c of chunks) buffer_(c.name, c.text);
    flush();
    if (droppedDisplays > 0) {
      publishStream("stderr", `[seqlab] ${fmt(droppedDisplays)} displays were left out here; the last ${fmt(displayTail.length)} follow.\n`);
      droppedDisplays = 0;
    }
    for (const d of displayTail.splice(0)) io.publish("display_data", d);
  }

  return {
    stream(name, text) {
      if (typeof text !== "string" || text.length === 0) return;
      if (headLeft >= text.length) {
        headLeft -= text.length;
        buffer_(name, text);
        return;
      }
      if (!pastHead) {
        // Keep whole lines in the head (a single line longer than what is left is cut).
        let cut = text.lastIndexOf("\n", headLeft - 1) + 1;
        if (cut === 0 && !text.includes("\n")) cut = headLeft;
        buffer_(name, text.slice(0, cut));
        headLeft = 0;
        pastHead = true;
        buffer_(
          "stderr",
          `\n[seqlab] This cell's output passed ${fmt(limits.streamHeadChars)} characters: from here on only the last ${fmt(limits.streamTailChars)} characters are kept, and shown when the cell ends (limit: SEQLAB_OUTPUT_LIMIT).\n`,
        );
        toTail(name, text.slice(cut));
        return;
      }
      toTail(name, text);
    },
    display(content, update) {
      if (typeof content !== "object" || content === null || typeof content.data !== "object" || content.data === null) {
        throw new TypeError("display content must be an object with a `data` MIME bundle");
      }
      if (update && !content.transient?.display_id) {
        throw new TypeError("update_display_data needs `transient.display_id` (the id of the display to update)");
      }
      const message = { data: content.data, metadata: content.metadata ?? {}, transient: content.transient ?? {} };
      flush();
      if (update) {
        io.publish("update_display_data", message);
        return;
      }
      if (displaysSent < limits.displayHead) {
        displaysSent++;
        io.publish("display_data", message);
        return;
      }
      if (displayTail.length === 0 && droppedDisplays === 0) {
        publishStream(
          "stderr",
          `[seqlab] This cell made ${fmt(limits.displayHead)} displays: from here on only the last ${fmt(limits.displayTail)} are kept, and shown when the cell ends.\n`,
        );
      }
      displayTail.push(message);
      if (displayTail.length > limits.displayTail) {
        displayTail = displayTail.slice(displayTail.length - limits.displayTail);
        droppedDisplays++;
      }
      scheduleLate();
    },
    flush,
    finish() {
      finished = true;
      sendKept();
    },
  };
}
