/**
 * The display channel: how code running inside the seqlab kernel (kernel-helpers' `display`,
 * `displayBundle`, live training) sends Jupyter display messages.
 *
 * The kernel installs a {@link DisplaySink} on `globalThis` under {@link DISPLAY_SINK_KEY}
 * (`Symbol.for("seqlab.kernel.display")`); helpers look it up at call time with
 * {@link displaySink}. Outside a kernel (a plain Node script) the key is absent and helpers
 * fall back to text.
 *
 * Contract: `sink(content, update)` sends one iopub message, `display_data` when `update` is
 * `false`, `update_display_data` when `true`, with `content` as given. It belongs to the cell
 * that runs now, or, after that cell ended (timers, background training), to the last cell
 * that ran, as IPython does. It throws a `TypeError` when `content.data` is not an object or
 * when `update` is `true` without `content.transient.display_id`, and an `Error` before any
 * cell has run.
 *
 * @module
 */

/** The content of a Jupyter `display_data` / `update_display_data` message. */
export interface DisplayContent {
  /** MIME type → data (strings, or JSON for `+json` types). */
  data: Record<string, unknown>;
  /** MIME type → metadata, or global metadata. */
  metadata: Record<string, unknown>;
  /** `display_id` makes a display updatable in place. */
  transient?: { display_id?: string };
}

/** Sends one display message for the cell that is executing now (see the module notes). */
export type DisplaySink = (content: DisplayContent, update: boolean) => void;

/**
 * The global symbol under which the kernel installs its {@link DisplaySink}.
 *
 * @example
 * ```ts
 * import { DISPLAY_SINK_KEY } from "kernel-helpers/contract";
 * DISPLAY_SINK_KEY.description; // "seqlab.kernel.display"
 * ```
 */
export const DISPLAY_SINK_KEY: unique symbol = Symbol.for("seqlab.kernel.display") as never;

/**
 * The display sink the kernel installed, if any.
 *
 * @returns The sink inside the kernel; `undefined` in plain Node.
 * @example
 * ```ts
 * import { displaySink } from "kernel-helpers/contract";
 * const sink = displaySink();
 * if (sink === undefined) console.log("plain Node: no notebook to display in");
 * ```
 */
export function displaySink(): DisplaySink | undefined {
  const value = (globalThis as Record<symbol, unknown>)[DISPLAY_SINK_KEY];
  return typeof value === "function" ? (value as DisplaySink) : undefined;
}

/**
 * Installs `sink` as the process-wide display channel (the kernel does this once; tests and
 * benchmarks may install their own).
 *
 * @param sink Where display messages go, or `undefined` to remove the channel.
 * @returns The sink it replaces (`undefined` when none).
 * @example
 * ```ts
 * import { installDisplaySink } from "kernel-helpers/contract";
 * const sent: unknown[] = [];
 * const previous = installDisplaySink((content) => sent.push(content.data));
 * installDisplaySink(previous);
 * ```
 */
export function installDisplaySink(sink: DisplaySink | undefined): DisplaySink | undefined {
  const previous = displaySink();
  const g = globalThis as Record<symbol, unknown>;
  if (sink === undefined) delete g[DISPLAY_SINK_KEY];
  else g[DISPLAY_SINK_KEY] = sink;
  return previous;
}
