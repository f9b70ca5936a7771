/**
 * Every global patch the seqlab kernel runs with, in one list, installed explicitly by
 * `main.ts` before the first cell. Each is a `GlobalPatch` of the kernel-helpers contract
 * (idempotent install, uninstall restores; the keys are the contract's); `scope: "call"` ones are installed only around
 * one synchronous call by their owner and are listed here so that nothing is hidden.
 *
 * | patch | changes | scope | defined in |
 * | --- | --- | --- | --- |
 * | kernel-helpers patches | installs the three below when a cell first loads tfjs | process | here |
 * | · tf.layers recurrent factories | `tf.layers.lstm/gru/simpleRNN` → fused layers | process | kernel-helpers `models/_recurrent-patches.ts` |
 * | · tfjs recurrent class registry | registry `"LSTM"/"GRU"/"SimpleRNN"` → fused layers | process | same |
 * | · console.warn orthogonal notice | `console.warn` during a builder call | call | same |
 * | display sink | `globalThis[DISPLAY_SINK_KEY]` | process | here |
 * | interrupt signal | `globalThis[INTERRUPT_SIGNAL_KEY]` | process | here |
 * | cell scope | `globalThis[CELL_SCOPE_KEY]` | process | `executor.ts` |
 * | stdout/stderr routing | `process.stdout.write`, `process.stderr.write` | process | `output-router.ts` |
 * | tslab display hook | tslab's `lastWriteDisplayData` | process | here |
 * | process.exit guard | `process.exit` | process | `exit-guard.ts` |
 * | tfjs fit wrapper | `LayersModel.prototype.fit/fitDataset` of each tfjs cells load | process | `training-interrupt.ts` |
 *
 * The helpers' patches wait for tfjs: loading TensorFlow takes about a second, which the kernel
 * does not add to its start; the executor calls {@link tfjsLoaded} when a cell's import loads
 * tfjs (before the cell's next statement), so `tf.layers.lstm` is fused in every cell that can
 * call it, whether or not the cell imports `kernel-helpers` (whose import installs them too).
 *
 * @module
 */
import {
  DISPLAY_SINK_KEY,
  INTERRUPT_SIGNAL_KEY,
  definePatch,
  helperPatches,
  installDisplaySink,
  installPatches,
  uninstallPatches,
  installInterruptSignal,
  type DisplaySink,
  type GlobalPatch,
  type InterruptSignal,
} from "kernel-helpers/contract";

/** What the kernel's patches install. */
export interface KernelPatchParts {
  /** The display sink cells' `display()` sends through. */
  displaySink: DisplaySink;
  /** The kernel's interrupt state. */
  interruptSignal: InterruptSignal;
  /** Where tslab's own display API (`tslab.display.html(...)`) sends. */
  tslabDisplay: DisplaySink;
  /** The patches other kernel modules define, e.g. the executor's cell scope. */
  owned: readonly GlobalPatch[];
}

/** tslab's module whose `lastWriteDisplayData` its display API sends through. */
interface TslabDisplayHook {
  lastWriteDisplayData: DisplaySink | null;
}

function globalKeyPatch<T>(name: string, key: symbol, purpose: string, install: (v: T | undefined) => T | undefined, value: T): GlobalPatch {
  return definePatch({
    name,
    target: `globalThis[${String(key)}]`,
    purpose,
    owner: "kernel",
    scope: "process",
    apply() {
      const previous = install(value);
      return () => {
        install(previous);
      };
    },
  });
}

let helpersWanted = false;
let helpersInstalled = false;

/**
 * Tells the kernel's patches that a cell has loaded tfjs: installs the helpers' patches when
 * {@link HELPERS_ON_TFJS_PATCH} is installed.
 *
 * @example
 * ```ts
 * tfjsLoaded();
 * ```
 */
export function tfjsLoaded(): void {
  if (!helpersWanted || helpersInstalled) return;
  installPatches(helperPatches());
  helpersInstalled = true;
}

/**
 * The helpers' patches (`helperPatches()` of the contract), installed when a cell first loads
 * tfjs (see the module notes); uninstalling uninstalls them.
 */
export const HELPERS_ON_TFJS_PATCH: GlobalPatch = definePatch({
  name: "kernel-helpers patches",
  target: "tf.layers.lstm/gru/simpleRNN, registry LSTM/GRU/SimpleRNN (helperPatches(), once a cell loads tfjs)",
  purpose: "students' tf.layers.lstm/gru/simpleRNN and loaded models use seqlab's fused layers",
  owner: "kernel",
  scope: "process",
  apply() {
    helpersWanted = true;
    return () => {
      helpersWanted = false;
      if (helpersInstalled) uninstallPatches(helperPatches());
      helpersInstalled = false;
    };
  },
});

/**
 * The kernel's global patches in install order: the helpers' (fused layers behind
 * `tf.layers.*`, once a cell loads tfjs), then the kernel's (see the module table).
 *
 * @param parts What the patches install, and the patches other modules define.
 * @returns The list.
 * @example
 * ```ts
 * installPatches(kernelPatches({ displaySink, interruptSignal: interrupts, tslabDisplay: displaySink, owned: [executor.cellScopePatch] }));
 * ```
 */
export function kernelPatches(parts: KernelPatchParts): readonly GlobalPatch[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tslab = require("tslab/dist/jupyter") as TslabDisplayHook;
  const tslabHook = definePatch({
    name: "tslab display hook",
    target: "tslab/dist/jupyter lastWriteDisplayData",
    purpose: "notebooks written for tslab (tslab.display.html(...)) display in the running cell",
    owner: "kernel",
    scope: "process",
    apply() {
      const previous = tslab.lastWriteDisplayData;
      tslab.lastWriteDisplayData = parts.tslabDisplay;
      return () => {
        tslab.lastWriteDisplayData = previous;
      };
    },
  });
  return [
    HELPERS_ON_TFJS_PATCH,
    globalKeyPatch("display sink", DISPLAY_SINK_KEY, "helpers' display() reaches the running cell", installDisplaySink, parts.displaySink),
    globalKeyPatch("interrupt signal", INTERRUPT_SIGNAL_KEY, "helpers' loops see the stop button", installInterruptSignal, parts.interruptSignal),
    tslabHook,
    ...parts.owned,
  ];
}
