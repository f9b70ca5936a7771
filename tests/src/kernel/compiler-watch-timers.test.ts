import { strict as assert } from "node:assert";
import { createWatchTimers } from "../../../src/kernel/compiler";

/** tslab's single timer slot, as its converter implements it: a second timer throws. */
function tslabSlot() {
  let pending: { callback: () => void } | null = null;
  return {
    setTimeout(cb: () => void) {
      if (pending) throw new Error("Unexpected pending rebuildTimer");
      pending = {
        callback: () => {
          cb();
          pending = null;
        },
      };
      return pending;
    },
    clearTimeout(handle: unknown) {
      if (pending !== handle) throw new Error("clearing unexpected tiemr");
      pending = null;
    },
    /** What tslab does at each compile: run the pending timer, which must exist. */
    runPending() {
      if (!pending) throw new Error("rebuildTimer is not set properly");
      pending.callback();
    },
  };
}

describe("kernel compiler: TypeScript's watch timers in front of tslab's single slot", () => {
  it("the failed-lookup timer never takes the slot, so the program update that follows does not throw", () => {
    const slot = tslabSlot();
    const timers = createWatchTimers(slot);
    const log: string[] = [];
    // A file appears where a module lookup failed: TypeScript schedules its failed-lookup timer.
    function invalidateResolutionsOfFailedLookup(): void {
      log.push("failed lookups re-checked");
    }
    const held = timers.setTimeout(invalidateResolutionsOfFailedLookup, 250);
    // The next cell: tslab notifies a change, TypeScript schedules a program update, tslab runs it.
    function updateProgramWithWatchStatus(): void {
      log.push("program updated");
    }
    let t = timers.setTimeout(updateProgramWithWatchStatus, 250);
    timers.clearTimeout(t);
    t = timers.setTimeout(updateProgramWithWatchStatus, 250);
    slot.runPending();
    assert.deepEqual(log, ["program updated"]);
    // TypeScript clears its failed-lookup timer when it synchronises the program.
    timers.clearTimeout(held);
    timers.runHeld();
    assert.deepEqual(log, ["program updated"]);
  });

  it("held timers run before the next compile, and what they schedule reaches the slot", () => {
    const slot = tslabSlot();
    const timers = createWatchTimers(slot);
    const log: string[] = [];
    function updateProgramWithWatchStatus(): void {
      log.push("program updated");
    }
    function invalidateResolutionsOfFailedLookup(): void {
      log.push("failed lookups re-checked");
      timers.setTimeout(updateProgramWithWatchStatus, 250);
    }
    timers.setTimeout(invalidateResolutionsOfFailedLookup, 250);
    timers.runHeld();
    slot.runPending();
    assert.deepEqual(log, ["failed lookups re-checked", "program updated"]);
  });

  it("a timer asked for while the slot's callback runs is held instead of throwing", () => {
    const slot = tslabSlot();
    const timers = createWatchTimers(slot);
    let again = 0;
    function update(): void {
      if (again++ === 0) timers.setTimeout(update, 250);
    }
    timers.setTimeout(update, 250);
    assert.doesNotThrow(() => slot.runPending());
    timers.runHeld();
    assert.equal(again, 2);
  });
});
