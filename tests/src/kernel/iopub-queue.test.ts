import { strict as assert } from "node:assert";
import { createIopubQueue, type IopubMessage, type IopubQueueIo } from "../../../src/kernel/iopub-queue";

/** A fake clock whose timers run when `settle()` is called, advancing time to each. */
function fakeTimers() {
  let t = 0;
  let timers: Array<{ at: number; fn: () => void }> = [];
  return {
    now: () => t,
    setTimer: (fn: () => void, ms: number) => void timers.push({ at: t + ms, fn }),
    /** Runs timers and microtasks until nothing is left. */
    async settle(): Promise<void> {
      for (let rounds = 0; rounds < 100_000; rounds++) {
        await new Promise((r) => setImmediate(r));
        if (timers.length === 0) return;
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift()!;
        t = Math.max(t, next.at);
        next.fn();
      }
      throw new Error("timers never settled");
    },
  };
}

const stream = (text: string): IopubMessage => ({ msgType: "stream", content: { name: "stdout", text }, parent: undefined });
const update = (id: string, value: number): IopubMessage => ({ msgType: "update_display_data", content: { data: { "text/plain": String(value) }, metadata: {}, transient: { display_id: id } }, parent: undefined });
const textOf = (m: IopubMessage): string => (m.content as { text: string }).text;

/** A socket like zeromq's Publisher: one waiting send at a time, a second call throws EBUSY synchronously. */
function slowSocket(sent: string[], slowEvery = 3): IopubQueueIo["send"] {
  let waiting = false;
  let n = 0;
  return (m) => {
    if (waiting) throw Object.assign(new Error("Socket is busy writing; only one send operation may be in progress at any time"), { code: "EBUSY" });
    sent.push(textOf(m));
    if (++n % slowEvery !== 0) return Promise.resolve();
    waiting = true;
    return new Promise((resolve) =>
      setImmediate(() => {
        waiting = false;
        resolve();
      }),
    );
  };
}

describe("iopub send queue", () => {
  it("sends every message in order although the socket is busy (EBUSY) now and then", async () => {
    const clock = fakeTimers();
    const sent: string[] = [];
    const queue = createIopubQueue({ send: slowSocket(sent), log: () => assert.fail("nothing should fail"), ...clock });
    for (let i = 0; i < 500; i++) queue.push(stream(`L${i}`));
    await clock.settle();
    await queue.drained();
    assert.deepEqual(sent, Array.from({ length: 500 }, (_, i) => `L${i}`));
    assert.equal(queue.failed, 0);
  });

  it("a message goes out within push() when the socket takes it at once", () => {
    const sent: string[] = [];
    const queue = createIopubQueue({ send: (m) => (sent.push(textOf(m)), Promise.resolve()), log: () => undefined, ...fakeTimers() });
    queue.push(stream("a"));
    queue.push(stream("b"));
    assert.deepEqual(sent, ["a", "b"]);
  });

  it("a send that throws or rejects is logged, never thrown, and the next message still goes", async () => {
    const clock = fakeTimers();
    const logged: string[] = [];
    const sent: string[] = [];
    let n = 0;
    const queue = createIopubQueue({
      send(m) {
        n++;
        if (n === 1) throw new Error("Socket is closed");
        if (n === 2) return Promise.reject(new Error("timed out"));
        sent.push(textOf(m));
        return Promise.resolve();
      },
      log: (t) => logged.push(t),
      ...clock,
    });
    assert.doesNotThrow(() => ["a", "b", "c"].forEach((t) => queue.push(stream(t))));
    await clock.settle();
    assert.deepEqual(sent, ["c"]);
    assert.equal(queue.failed, 2);
    assert.deepEqual(logged, ["iopub: could not send a stream message: Socket is closed", "iopub: could not send a stream message: timed out"]);
  });

  it("keeps going when the continuation of a busy send is lost (a stopped cell drops V8's microtasks)", async () => {
    const clock = fakeTimers();
    const sent: string[] = [];
    let busy = true;
    const queue = createIopubQueue({
      send(m) {
        if (busy) throw Object.assign(new Error("busy"), { code: "EBUSY" });
        sent.push(textOf(m));
        return Promise.resolve();
      },
      log: () => undefined,
      ...clock,
    });
    queue.push(stream("a"));
    busy = false; // the earlier send finished, but nothing told the queue
    await clock.settle();
    assert.deepEqual(sent, ["a"]);
  });

  it("a waiting update_display_data is replaced by a newer one for the same display_id, in its place", async () => {
    const clock = fakeTimers();
    const sent: string[] = [];
    let busy = true;
    const queue = createIopubQueue({
      send(m) {
        if (busy) throw Object.assign(new Error("busy"), { code: "EBUSY" });
        const c = m.content as { text?: string; data?: { "text/plain": string }; transient?: { display_id: string } };
        sent.push(c.text ?? `${c.transient?.display_id}=${c.data?.["text/plain"]}`);
        return Promise.resolve();
      },
      log: () => undefined,
      ...clock,
    });
    queue.push(stream("first"));
    for (let i = 0; i < 1000; i++) {
      queue.push(update("loss", i));
      queue.push(update("acc", i));
    }
    queue.push(stream("last"));
    busy = false;
    await clock.settle();
    assert.deepEqual(sent, ["first", "loss=999", "acc=999", "last"]);
  });

  it("paces messages to stay under Jupyter Server's rate limits (fake clock, no waiting)", async () => {
    const clock = fakeTimers();
    const times: number[] = [];
    const queue = createIopubQueue({ send: async () => void times.push(clock.now()), log: () => undefined, ...clock }, { messagesPerSecond: 10, streamBytesPerSecond: 1e9, windowSeconds: 1, share: 1 });
    for (let i = 0; i < 25; i++) queue.push(stream(String(i)));
    queue.push({ msgType: "status", content: { execution_state: "idle" }, parent: undefined });
    await clock.settle();
    assert.equal(times.length, 26);
    // At most 10 counted messages in any 1 s window; status is not counted.
    for (let i = 10; i < 25; i++) assert.ok(times[i]! - times[i - 10]! >= 1000, `message ${i} at ${times[i]}`);
    assert.equal(times[0], 0);
    assert.equal(times[24], 2000);
  });

  it("paces stream bytes; a message larger than the whole budget still goes", async () => {
    const clock = fakeTimers();
    const times: number[] = [];
    const queue = createIopubQueue({ send: async () => void times.push(clock.now()), log: () => undefined, ...clock }, { messagesPerSecond: 1e9, streamBytesPerSecond: 1000, windowSeconds: 1, share: 1 });
    queue.push(stream("x".repeat(5000)));
    queue.push(stream("y".repeat(600)));
    queue.push(stream("z".repeat(10)));
    await clock.settle();
    assert.equal(times.length, 3);
    assert.equal(times[0], 0);
    assert.ok(times[1]! >= 1000);
  });
});
