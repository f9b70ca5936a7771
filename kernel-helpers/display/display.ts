/**
 * `display(value)` and `display.bundle(bundle)`: put anything in the notebook, updatable in place.
 *
 * @module
 */
import { displayBundle, type DisplayOptions, type MimeBundle } from "./bundle";
import { toMimeBundle } from "./mime";

/** The `display` function, with `display.bundle` for raw MIME bundles. */
export interface DisplayFunction {
  /**
   * Shows `value` as one output (see {@link toMimeBundle} for how each kind of value looks).
   *
   * @param value Anything.
   * @param options `id` to name the display, `update: true` to redraw an existing one, `metadata`.
   */
  (value: unknown, options?: DisplayOptions): void;
  /**
   * Sends a multi-MIME bundle as it is.
   *
   * @param bundle MIME type → data.
   * @param options `id`, `update`, `metadata`.
   */
  bundle(bundle: MimeBundle, options?: DisplayOptions): void;
}

/**
 * Shows a value in the notebook as one output: figures as interactive plots, DataFrames and
 * models as tables, tensors as summaries, anything else as text. Pass `{id, update: true}` to
 * redraw an earlier display in place. `display.bundle(bundle, options)` sends any multi-MIME
 * bundle. Outside the kernel (plain Node), the `text/plain` part is printed instead.
 *
 * @param value Anything (see {@link toMimeBundle}).
 * @param options Display id (any string you choose), update flag and metadata.
 * @returns Nothing (so a `display(...)` last in a cell prints nothing more).
 * @throws {InvalidArgumentError} From `display.bundle` when the bundle is not a non-empty object.
 * @example
 * ```ts
 * display({ data: [{ y: [3, 2, 1] }] }, { id: "loss" });
 * display({ data: [{ y: [3, 2, 1, 0.5] }] }, { id: "loss", update: true }); // redraws the same output
 * display.bundle({ "text/html": "<b>done</b>", "text/plain": "done" });
 * ```
 */
export const display: DisplayFunction = Object.assign(
  (value: unknown, options: DisplayOptions = {}): void => {
    displayBundle(toMimeBundle(value), options);
  },
  {
    bundle: (bundle: MimeBundle, options: DisplayOptions = {}): void => {
      displayBundle(bundle, options);
    },
  },
);
