import { strict as assert } from "node:assert";
import { createIopubQueue, type IopubMessage } from "../../../src/kernel/iopub-queue";

/** A fake clock: `sleep` advances time at once. */
function fakeClock(): { now(): number; sleep(ms: number): Promise<void>; slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
    slept,
  };
}

const stream = (text: string): IopubMessage => ({ msgType: "stream", content: { name: "stdout", text }, parent: undefined });
const update = (id: string, value: number): IopubMessage => ({ msgType: "update_display_data", content: { data: { "text/plain": String(value) }, metadata: {}, transient: { display_id: id } }, parent: undefined });

describe("iopub send queue", () => {
  it("sends every message in order, one send at a time, even when the socket is slow", async () => {
    const clock = fakeClock();
    const sent: string[] = [];
    let inFlight = 0;
    const queue = createIopubQueue({
      async send(m) {
        if (inFlight > 0) throw new Error("EBUSY: only one send at a time");
        inFlight++;
        await new Promise((r) => setImmediate(r));
        inFlight--;
        sent.push((m.content as { text: string }).text);
      },
      log: () => assert.fail("nothing should fail"),
      ...clock,
    });
    for (let i = 0; i < 500; i++) queue.push(stream(`L${i}`));
    await queue.drained();
    assert.deepEqual(sent, Array.from({ length: 500 }, (_, i) => `L${i}`));
    assert.equal(queue.failed, 0);
  });

  it("a send that throws synchronously or rejects is logged, never thrown, and the next message still goes", async () => {
    const logged: string[] = [];
    const sent: string[] = [];
    let n = 0;
    const queue = createIopubQueue({
      send(m) {
        n++;
        if (n === 1) throw Object.assign(new Error("Socket is busy writing (EBUSY)"), { code: "EBUSY" });
        if (n === 2) return Promise.reject(new Error("timed out"));
        sent.push((m.content as { text: string }).text);
        return Promise.resolve();
      },
      log: (t) => logged.push(t),
      ...fakeClock(),
    });
    assert.doesNotThrow(() => ["a", "b", "c"].forEach((t) => queue.push(stream(t))));
    await queue.drained();
    assert.deepEqual(sent, ["c"]);
    assert.equal(queue.failed, 2);
    assert.deepEqual(logged, ["iopub: could not send a stream message: Socket is busy writing (EBUSY)", "iopub: could not send a stream message: timed out"]);
  });

  it("a waiting update_display_data is replaced by a newer one for the same display_id, in its place", async () => {
    const sent: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const queue = createIopubQueue({
      async send(m) {
        if (sent.length === 0) await gate;
        const c = m.content as { text?: string; data?: { "text/plain": string }; transient?: { display_id: string } };
        sent.push(c.text ?? `${c.transient?.display_id}=${c.data?.["text/plain"]}`);
      },
      log: () => undefined,
      ...fakeClock(),
    });
    queue.push(stream("first"));
    for (let i = 0; i < 1000; i++) {
      queue.push(update("loss", i));
      queue.push(update("acc", i));
    }
    queue.push(stream("last"));
    release();
    await queue.drained();
    assert.deepEqual(sent, ["first", "loss=999", "acc=999", "last"]);
  });

  it("paces messages to stay under Jupyter Server's rate limits (fake clock, no waiting)", async () => {
    const clock = fakeClock();
    const times: number[] = [];
    const queue = createIopubQueue({ send: async () => void times.push(clock.now()), log: () => undefined, ...clock }, { messagesPerSecond: 10, streamBytesPerSecond: 1e9, windowSeconds: 1, share: 1 });
    for (let i = 0; i < 25; i++) queue.push(stream(String(i)));
    queue.push({ msgType: "status", content: { execution_state: "idle" }, parent: undefined });
    await queue.drained();
    assert.equal(times.length, 26);
    // At most 10 counted messages in any 1 s window; status is not counted.
    for (let i = 10; i < 25; i++) assert.ok(times[i]! - times[i - 10]! >= 1000, `message ${i} at ${times[i]}`);
    assert.equal(times[0], 0);
    assert.ok(clock.slept.length > 0);
  });

  it("paces stream bytes; a message larger than the whole budget still goes", async () => {
    const clock = fakeClock();
    const times: number[] = [];
    const queue = createIopubQueue({ send: async () => void times.push(clock.now()), log: () => undefined, ...clock }, { messagesPerSecond: 1e9, streamBytesPerSecond: 1000, windowSeconds: 1, share: 1 });
    queue.push(stream("x".repeat(5000)));
    queue.push(stream("y".repeat(600)));
    queue.push(stream("z".repeat(10)));
    await queue.drained();
    assert.deepEqual(times.length, 3);
    assert.equal(times[0], 0);
    assert.ok(times[1]! >= 1000);
  });
});
