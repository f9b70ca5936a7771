/**
 * Makes tfjs training interruptible: wraps `LayersModel.prototype.fit` and `fitDataset` of
 * the tfjs the notebook loaded so that every fit gets one more callback which, after each
 * batch, sets `model.stopTraining = true` once the user has interrupted (and yields to the
 * event loop so the SIGINT handler can run between batches). When such a fit returns, it
 * throws {@link KeyboardInterrupt} instead of returning its history.
 *
 * @module
 */
import { definePatch, type GlobalPatch } from "kernel-helpers/contract";
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

/** Prototypes wrapped so far, with their original methods (to restore on uninstall). */
const wrapped = new Map<Record<PropertyKey, unknown>, Array<[string, unknown]>>();
let active: InterruptController | null = null;

/**
 * The fit wrapper as a global patch (listed in `global-patches.ts`): while installed,
 * {@link patchTfjsTraining} wraps `LayersModel.prototype.fit`/`fitDataset` of each tfjs module
 * cells load; uninstalling restores every wrapped prototype.
 *
 * @param controller The kernel's interrupt state.
 * @returns The patch (not installed).
 * @example
 * ```ts
 * trainingInterruptPatch(controller).install();
 * ```
 */
export function trainingInterruptPatch(controller: InterruptController): GlobalPatch {
  return definePatch({
    name: "tfjs fit wrapper",
    target: "LayersModel.prototype.fit, LayersModel.prototype.fitDataset (of each tfjs a cell loads)",
    purpose: "the stop button ends model training at the next batch",
    owner: "kernel",
    scope: "process",
    apply() {
      active = controller;
      return () => {
        active = null;
        for (const [proto, originals] of wrapped) for (const [method, original] of originals) proto[method] = original;
        wrapped.clear();
      };
    },
  });
}

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
 * Wraps `fit` and `fitDataset` of `tfModule.LayersModel` (once per prototype) while the
 * {@link trainingInterruptPatch} is installed.
 *
 * @param tfModule A loaded module's exports; ignored unless it exports `LayersModel` and `CustomCallback`.
 * @returns Whether `tfModule` is a tfjs module, patched now or before (`false` while the patch is not installed).
 * @example
 * ```ts
 * patchTfjsTraining(require("@tensorflow/tfjs-node"));
 * ```
 */
export function patchTfjsTraining(tfModule: unknown): boolean {
  if (active === null || !isTfjsLike(tfModule)) return false;
  const controller: InterruptController = active;
  const proto = tfModule.LayersModel.prototype;
  if (wrapped.has(proto)) return true;
  const originals: Array<[string, unknown]> = [];
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
    originals.push([method, original]);
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
  wrapped.set(proto, originals);
  return true;
}
