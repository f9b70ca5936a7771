/**
 * Routes the process' stdout and stderr to the notebook: while the kernel serves a cell,
 * whatever is written (by `console.log`, by libraries writing to `process.stdout`
 * directly, e.g. progress bars) becomes iopub `stream` messages of that cell. As in
 * IPython, output written after the cell ended (timers, background promises) goes to the
 * last cell that ran. Before any cell has run, writes reach the real streams (the
 * kernel's log).
 *
 * Libraries write to `process.stdout.write` directly, so the router replaces that method
 * (on the two stream objects only); the originals stay available for the kernel's own log.
 *
 * @module
 */

/** Where routed text goes. */
export type StreamSink = (name: "stdout" | "stderr", text: string) => void;

/** The installed router. */
export interface OutputRouter {
  /** Sends subsequent writes to `sink`. */
  routeTo(sink: StreamSink): void;
  /** Writes to the kernel's real stderr (its log), bypassing the notebook. */
  log(text: string): void;
}

type WriteFn = typeof process.stdout.write;

/**
 * Replaces `process.stdout.write` and `process.stderr.write` with routing versions.
 *
 * @returns The router.
 * @example
 * ```ts
 * const router = installOutputRouter();
 * router.routeTo((name, text) => publishStream(parent, name, text));
 * ```
 */
export function installOutputRouter(): OutputRouter {
  let sink: StreamSink | undefined;
  const originalErr = process.stderr.write.bind(process.stderr) as WriteFn;
  const decoder = new TextDecoder();
  for (const name of ["stdout", "stderr"] as const) {
    const stream = process[name];
    const original = stream.write.bind(stream) as WriteFn;
    const routed = function (chunk: unknown, encodingOrCb?: unknown, cb?: unknown): boolean {
      if (!sink) return (original as (...a: unknown[]) => boolean)(chunk, encodingOrCb, cb);
      const text = typeof chunk === "string" ? chunk : chunk instanceof Uint8Array ? decoder.decode(chunk) : String(chunk);
      sink(name, text);
      const done = typeof encodingOrCb === "function" ? encodingOrCb : cb;
      if (typeof done === "function") process.nextTick(done as () => void);
      return true;
    };
    stream.write = routed as WriteFn;
  }
  return {
    routeTo(next) {
      sink = next;
    },
    log(text) {
      originalErr(text.endsWith("\n") ? text : `${text}\n`);
    },
  };
}
