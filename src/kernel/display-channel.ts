/**
 * The channel through which code running inside the kernel (kernel-helpers' `display`)
 * sends Jupyter display messages.
 *
 * The kernel installs a {@link DisplaySink} on `globalThis` under
 * `Symbol.for("seqlab.kernel.display")`; kernel-helpers looks it up at call time. Outside a
 * kernel (a plain Node script) the symbol is absent and helpers fall back to text.
 *
 * Contract: `sink(content, update)` sends one iopub message, `display_data` when `update` is
 * `false`, `update_display_data` when `true`, with `content` as given (`metadata` defaults to
 * `{}`). It belongs to the cell that runs now, or, after that cell ended (timers, background
 * training), to the last cell that ran, as IPython does. It throws a `TypeError` when
 * `content.data` is not an object or when `update` is `true` without
 * `content.transient.display_id`, and an `Error` before any cell has run.
 *
 * The sibling channel for interrupts is in `interrupt-channel.ts`.
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

/** Sends one display message for the cell that is executing now. */
export type DisplaySink = (content: DisplayContent, update: boolean) => void;

/**
 * The global symbol under which the kernel installs its {@link DisplaySink}.
 *
 * @example
 * ```ts
 * const sink = (globalThis as Record<symbol, unknown>)[DISPLAY_SINK_KEY] as DisplaySink | undefined;
 * ```
 */
export const DISPLAY_SINK_KEY: unique symbol = Symbol.for("seqlab.kernel.display") as never;

/**
 * Installs `sink` as the process-wide display channel.
 *
 * @param sink Where display messages go.
 * @example
 * ```ts
 * installDisplaySink((content, update) => publish(update ? "update_display_data" : "display_data", content));
 * ```
 */
export function installDisplaySink(sink: DisplaySink): void {
  (globalThis as Record<symbol, unknown>)[DISPLAY_SINK_KEY] = sink;
}
