/**
 * Makes tfjs training interruptible: wraps `LayersModel.prototype.fit` and `fitDataset` of
 * the tfjs the notebook loaded so that every fit gets one more callback which, after each
 * batch, sets `model.stopTraining = true` once the user has interrupted (and yields to the
 * event loop so the SIGINT handler can run between batches). When such a fit returns, it
 * throws {@link KeyboardInterrupt} instead of returning its history.
 *
 * @module
 */
import { KeyboardInterrupt } from "./interrupt-channel";
import type { InterruptController } from "./interrupt";

/** The parts of a tfjs module (`@tensorflow/tfjs-layers`, `-node`, ...) this needs. */
interface TfjsLike {
  LayersModel: { prototype: Record<PropertyKey, unknown> };
  CustomCallback: new (args: Record<string, unknown>, yieldEvery?: unknown) => object;
}

/** Training arguments, as far as callbacks go. */
interface FitArgsLike {
  callbacks?: unknown;
  yieldEvery?: unknown;
  [key: string]: unknown;
}

interface TrainableLike {
  stopTraining: boolean;
  name?: string;
}

const PATCHED = Symbol.for("seqlab.kernel.fitPatched");

function isTfjsLike(value: unknown): value is TfjsLike {
  if (typeof value !== "object" || value === null) return false;
  const v = value as { LayersModel?: unknown; CustomCallback?: unknown };
  return (
    typeof v.LayersModel === "function" &&
    typeof (v.LayersModel as { prototype?: { fit?: unknown } }).prototype?.fit === "function" &&
    typeof v.CustomCallback === "function"
  );
}

/**
 * Wraps `fit` and `fitDataset` of `tfModule.LayersModel` (once per prototype).
 *
 * @param tfModule A loaded module's exports; ignored unless it exports `LayersModel` and `CustomCallback`.
 * @param controller The kernel's interrupt state.
 * @returns Whether `tfModule` is a tfjs module (patched now or before).
 * @example
 * ```ts
 * patchTfjsTraining(require("@tensorflow/tfjs-node"), controller);
 * ```
 */
export function patchTfjsTraining(tfModule: unknown, controller: InterruptController): boolean {
  if (!isTfjsLike(tfModule)) return false;
  const proto = tfModule.LayersModel.prototype;
  if (proto[PATCHED]) return true;
  const BaseCallback = Object.getPrototypeOf(tfModule.CustomCallback) as abstract new (...a: never[]) => object;
  const CustomCallback = tfModule.CustomCallback;

  function withInterruptCallback(model: TrainableLike, args: FitArgsLike | undefined): FitArgsLike {
    const a: FitArgsLike = { ...(args ?? {}) };
    const given = a.callbacks === undefined ? [] : Array.isArray(a.callbacks) ? a.callbacks : [a.callbacks];
    const callbacks = given.map((c: unknown) => (c instanceof BaseCallback ? c : new CustomCallback(c as Record<string, unknown>, a.yieldEvery)));
    const check = async (): Promise<void> => {
      if (controller.requested) model.stopTraining = true;
      await new Promise<void>((resolve) => setImmediate(resolve));
    };
    callbacks.push(new CustomCallback({ onBatchEnd: check, onEpochEnd: check }, "never"));
    a.callbacks = callbacks;
    return a;
  }

  for (const [method, argIndex] of [["fit", 2], ["fitDataset", 1]] as const) {
    const original = proto[method];
    if (typeof original !== "function") continue;
    proto[method] = async function (this: TrainableLike, ...args: unknown[]): Promise<unknown> {
      args[argIndex] = withInterruptCallback(this, args[argIndex] as FitArgsLike | undefined);
      controller.fitStarted();
      try {
        const history: unknown = await (original as (...a: unknown[]) => Promise<unknown>).apply(this, args);
        if (controller.requested) {
          throw new KeyboardInterrupt(`Training of model "${this.name ?? "model"}" was interrupted; it stopped at a batch boundary`);
        }
        return history;
      } finally {
        controller.fitEnded();
      }
    };
  }
  proto[PATCHED] = true;
  return true;
}
