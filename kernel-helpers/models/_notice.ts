/**
 * One-time notices from the fused layers (why a layer runs as the standard one).
 *
 * @module
 */

/** Receives a notice line. */
export type NoticeHandler = (message: string) => void;

let handler: NoticeHandler = (message) => console.warn(message);
const seen = new Set<string>();

/**
 * Routes the fused layers' one-time notices (e.g. "recurrentDropout cannot be fused; using
 * the standard LSTM") somewhere else than `console.warn`, or silences them with `() => {}`.
 *
 * @param fn The new handler.
 * @returns The previous handler.
 * @example
 * ```ts
 * import { setFusedNoticeHandler } from "kernel-helpers";
 * const notices: string[] = [];
 * setFusedNoticeHandler((m) => notices.push(m));
 * ```
 */
export function setFusedNoticeHandler(fn: NoticeHandler): NoticeHandler {
  const previous = handler;
  handler = fn;
  return previous;
}

/**
 * Emits `message` once per process for `key`.
 *
 * @param key What the notice is about.
 * @param message The text.
 */
export function noticeOnce(key: string, message: string): void {
  if (seen.has(key)) return;
  seen.add(key);
  handler(message);
}
