import { strict as assert } from "node:assert";
import { InterruptController, type InterruptClock } from "../../../src/kernel/interrupt";
import { KeyboardInterrupt } from "../../../src/kernel/interrupt-channel";

/** A clock whose timers run only when the test says so. */
function manualClock(): InterruptClock & { timers: Array<{ fn: () => void; ms: number }>; deferred: Array<() => void>; runAll(): void } {
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const deferred: Array<() => void> = [];
  return {
    timers,
    deferred,
    setTimer: (fn, ms) => void timers.push({ fn, ms }),
    defer: (fn) => void deferred.push(fn),
    runAll() {
      for (const d of deferred.splice(0)) d();
      for (const t of timers.splice(0)) t.fn();
    },
  };
}

/** How a promise has settled so far (after pending promise reactions ran; no timers). */
async function outcome(p: Promise<never>): Promise<string> {
  let state = "pending";
  p.then(
    () => (state = "resolved"),
    (e: unknown) => (state = e instanceof KeyboardInterrupt ? `KeyboardInterrupt: ${e.message}` : `other: ${String(e)}`),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return state;
}

describe("InterruptController (injected clock, no waiting)", () => {
  it("an interrupt with no model training cancels the cell at once and notifies listeners", async () => {
    const c = new InterruptController(manualClock());
    const heard: string[] = [];
    c.onInterrupt(() => heard.push("interrupt"));
    const cancelled = c.beginCell();
    c.requestInterrupt();
    assert.equal(c.requested, true);
    assert.deepEqual(heard, ["interrupt"]);
    assert.equal(await outcome(cancelled), "KeyboardInterrupt: Execution interrupted by the user");
    c.endCell();
  });

  it("while a model trains the cell is cancelled only after the fit ends (deferred), and a second interrupt cancels at once", async () => {
    const clock = manualClock();
    const c = new InterruptController(clock);
    let cancelled = c.beginCell();
    c.fitStarted();
    c.requestInterrupt();
    assert.equal(await outcome(cancelled), "pending");
    c.fitEnded();
    assert.equal(await outcome(cancelled), "pending");
    assert.equal(clock.deferred.length, 1);
    clock.runAll();
    assert.equal(await outcome(cancelled), "KeyboardInterrupt: Execution interrupted by the user; training stopped at a batch boundary");
    c.endCell();

    cancelled = c.beginCell();
    c.fitStarted();
    c.requestInterrupt();
    c.requestInterrupt();
    assert.equal(await outcome(cancelled), "KeyboardInterrupt: Execution interrupted by the user");
    c.endCell();
  });

  it("an interrupt between cells is ignored, and the next cell starts clean", async () => {
    const c = new InterruptController(manualClock());
    c.requestInterrupt();
    const cancelled = c.beginCell();
    assert.equal(c.requested, false);
    assert.equal(await outcome(cancelled), "pending");
    c.endCell();
  });

  it("a relayed SIGINT the process did not see interrupts the cell that was running, after the grace period", async () => {
    const clock = manualClock();
    const c = new InterruptController(clock);
    const cancelled = c.beginCell();
    c.relayedInterrupt(300);
    assert.deepEqual(clock.timers.map((t) => t.ms), [300]);
    assert.equal(await outcome(cancelled), "pending");
    clock.runAll();
    assert.equal(await outcome(cancelled), "KeyboardInterrupt: Execution interrupted by the user");
  });

  it("a relayed SIGINT the process already handled, or one for a cell that has ended, does nothing", async () => {
    const clock = manualClock();
    const c = new InterruptController(clock);
    c.beginCell();
    c.interrupt();
    c.endCell();
    const next = c.beginCell();
    c.relayedInterrupt(300);
    clock.runAll();
    assert.equal(await outcome(next), "pending");
    c.endCell();

    const third = c.beginCell();
    c.relayedInterrupt(300);
    c.endCell();
    const fourth = c.beginCell();
    clock.runAll();
    assert.equal(await outcome(third), "pending");
    assert.equal(await outcome(fourth), "pending");
  });

  it("tells the watchdog when a cell's own code runs unsupervised (a cell running and no model training)", () => {
    const c = new InterruptController(manualClock());
    const states: boolean[] = [];
    c.watchCells((running) => states.push(running));
    c.beginCell();
    c.fitStarted();
    c.fitEnded();
    c.endCell();
    assert.deepEqual(states, [true, false, true, false]);
  });
});
