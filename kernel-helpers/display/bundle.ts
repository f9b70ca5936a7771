/**
 * Sending MIME bundles to the notebook through the seqlab kernel's display channel (the
 * display sink of `contract/display-sink.ts`).
 *
 * @module
 */
import { InvalidArgumentError, describeValue } from "../errors";
import { randomBytes } from "node:crypto";
import { displaySink } from "../contract/display-sink";

/** A Jupyter MIME bundle: MIME type → data. */
export type MimeBundle = Record<string, unknown>;

/** Options of {@link displayBundle}. */
export interface DisplayOptions {
  /** Per-MIME-type or global metadata. @default {} */
  metadata?: Record<string, unknown>;
  /** A display id; displays with the same id can be updated in place. @default none */
  id?: string;
  /** Replace the existing display with this `id` instead of adding a new one. @default false */
  update?: boolean;
}

/**
 * Whether code runs inside the seqlab kernel (where displays reach the notebook).
 *
 * @returns `true` inside the kernel.
 * @throws Never.
 * @example
 * ```ts
 * if (!insideKernel()) console.log("plain Node: displays print text");
 * ```
 */
export function insideKernel(): boolean {
  return displaySink() !== undefined;
}

/**
 * Sends a multi-MIME bundle as one display output. Outside the kernel, prints its
 * `text/plain` part (if any) to stdout instead.
 *
 * @param bundle MIME type → data, e.g. `{"text/html": "<b>hi</b>", "text/plain": "hi"}`.
 * @param options Metadata, display id and update flag.
 * @returns The display id used (a fresh one when none was given), for later updates.
 * @throws {InvalidArgumentError} When `bundle` is not an object of MIME types.
 * @example
 * ```ts
 * const id = displayBundle({ "text/plain": "epoch 1" });
 * displayBundle({ "text/plain": "epoch 2" }, { id, update: true });
 * ```
 */
export function displayBundle(bundle: MimeBundle, options: DisplayOptions = {}): string {
  if (bundle === null || typeof bundle !== "object" || Array.isArray(bundle) || Object.keys(bundle).length === 0) {
    throw new InvalidArgumentError(
      `\`bundle\` must be a non-empty object mapping MIME types to data, e.g. {"text/plain": "hi"}. Received: bundle=${describeValue(bundle)}`,
    );
  }
  const id = options.id ?? randomBytes(8).toString("hex");
  const sink = displaySink();
  if (sink) {
    sink({ data: bundle, metadata: options.metadata ?? {}, transient: { display_id: id } }, options.update ?? false);
  } else if (typeof bundle["text/plain"] === "string") {
    process.stdout.write(`${bundle["text/plain"]}\n`);
  }
  return id;
}
