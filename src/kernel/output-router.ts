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
import { definePatch, type GlobalPatch } from "kernel-helpers/contract";

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
 * The routing of `process.stdout.write` and `process.stderr.write` as a global patch (listed in
 * `global-patches.ts`), and the router that says where routed text goes.
 *
 * @returns The router and its patch (not installed yet).
 * @example
 * ```ts
 * const { router, patch } = createOutputRouter();
 * patch.install();
 * router.routeTo((name, text) => publishStream(parent, name, text));
 * ```
 */
export function createOutputRouter(): { router: OutputRouter; patch: GlobalPatch } {
  let sink: StreamSink | undefined;
  const originalErr = process.stderr.write.bind(process.stderr) as WriteFn;
  const decoder = new TextDecoder();
  const patch = definePatch({
    name: "stdout/stderr routing",
    target: "process.stdout.write, process.stderr.write",
    purpose: "whatever a cell (or a library) writes becomes stream output of the running cell",
    owner: "kernel",
    scope: "process",
    apply() {
      const saved = (["stdout", "stderr"] as const).map((name) => [name, process[name].write] as const);
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
      return () => {
        for (const [name, write] of saved) process[name].write = write;
      };
    },
  });
  const router: OutputRouter = {
    routeTo(next) {
      sink = next;
    },
    log(text) {
      originalErr(text.endsWith("\n") ? text : `${text}\n`);
    },
  };
  return { router, patch };
}

/**
 * Replaces `process.stdout.write` and `process.stderr.write` with routing versions (installs
 * the patch of {@link createOutputRouter}).
 *
 * @returns The router.
 * @example
 * ```ts
 * const router = installOutputRouter();
 * router.routeTo((name, text) => publishStream(parent, name, text));
 * ```
 */
export function installOutputRouter(): OutputRouter {
  const { router, patch } = createOutputRouter();
  patch.install();
  return router;
}
