/**
 * Every global patch the seqlab kernel runs with, in one list, installed explicitly by
 * `main.ts` before the first cell. Each is a `GlobalPatch` of the kernel-helpers contract
 * (idempotent install, uninstall restores; the keys are the contract's); `scope: "call"` ones are installed only around
 * one synchronous call by their owner and are listed here so that nothing is hidden.
 *
 * | patch | changes | scope | defined in |
 * | --- | --- | --- | --- |
 * | tf.layers recurrent factories | `tf.layers.lstm/gru/simpleRNN` → fused layers | process | kernel-helpers `models/_recurrent-patches.ts` |
 * | tfjs recurrent class registry | registry `"LSTM"/"GRU"/"SimpleRNN"` → fused layers | process | same |
 * | console.warn orthogonal notice | `console.warn` during a builder call | call | same |
 * | display sink | `globalThis[DISPLAY_SINK_KEY]` | process | here |
 * | interrupt signal | `globalThis[INTERRUPT_SIGNAL_KEY]` | process | here |
 * | cell scope | `globalThis[CELL_SCOPE_KEY]` | process | `executor.ts` |
 * | stdout/stderr routing | `process.stdout.write`, `process.stderr.write` | process | `output-router.ts` |
 * | tslab display hook | tslab's `lastWriteDisplayData` | process | here |
 * | process.exit guard | `process.exit` | process | `exit-guard.ts` |
 * | tfjs fit wrapper | `LayersModel.prototype.fit/fitDataset` of each tfjs cells load | process | `training-interrupt.ts` |
 * | compiler options overlay | `Object.prototype` during a compile | call | `compiler.ts` |
 *
 * Not listed: tslab's converter swaps TypeScript's `ts.sys.setTimeout`/`clearTimeout` while it
 * is created (`compiler.ts`, `withWatchTimers`), an object of the compiler's own module.
 *
 * @module
 */
import {
  DISPLAY_SINK_KEY,
  INTERRUPT_SIGNAL_KEY,
  definePatch,
  helperPatches,
  installDisplaySink,
  installInterruptSignal,
  type DisplaySink,
  type GlobalPatch,
  type InterruptSignal,
} from "kernel-helpers/dist/contract";

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

/**
 * The kernel's global patches in install order: the helpers' (fused layers behind
 * `tf.layers.*`), then the kernel's (see the module table).
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
    ...helperPatches(),
    globalKeyPatch("display sink", DISPLAY_SINK_KEY, "helpers' display() reaches the running cell", installDisplaySink, parts.displaySink),
    globalKeyPatch("interrupt signal", INTERRUPT_SIGNAL_KEY, "helpers' loops see the stop button", installInterruptSignal, parts.interruptSignal),
    tslabHook,
    ...parts.owned,
  ];
}
