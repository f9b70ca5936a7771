import { strict as assert } from "node:assert";
import { createCellOutput, outputLimitsFromEnv, type OutputLimits } from "../../../src/kernel/cell-output";

interface Sent {
  msgType: string;
  content: { name?: string; text?: string; data?: Record<string, unknown>; transient?: { display_id?: string } };
}

/** A cell output with injected publishing and a manual timer. */
function harness(limits: Partial<OutputLimits> = {}) {
  const sent: Sent[] = [];
  const timers = new Map<number, () => void>();
  let next = 0;
  const out = createCellOutput(
    {
      publish: (msgType, content) => sent.push({ msgType, content: content as Sent["content"] }),
      setTimer: (fn) => {
        timers.set(++next, fn);
        return next;
      },
      clearTimer: (t) => timers.delete(t as number),
      now: () => 0,
    },
    { ...outputLimitsFromEnv({}), ...limits },
  );
  const fire = (): void => {
    for (const [id, fn] of [...timers]) {
      timers.delete(id);
      fn();
    }
  };
  const text = (name = "stdout"): string => sent.filter((m) => m.msgType === "stream" && m.content.name === name).map((m) => m.content.text).join("");
  return { out, sent, fire, timers, text };
}

describe("cell output: coalescing and the output limit", () => {
  it("sends the first write at once, coalesces the rest into one message per flush, and flushes before a display", () => {
    const { out, sent, fire, timers } = harness();
    for (let i = 0; i < 1000; i++) out.stream("stdout", `L${i}\n`);
    assert.deepEqual(sent.map((m) => m.content.text), ["L0\n"]);
    assert.equal(timers.size, 1);
    fire();
    assert.equal(sent.length, 2);
    assert.equal(sent[1]!.content.text!.split("\n").length, 1000);
    out.stream("stdout", "a\n");
    out.stream("stderr", "warn\n");
    out.stream("stdout", "b\n");
    out.display({ data: { "text/plain": "shown" }, metadata: {} }, false);
    assert.deepEqual(sent.slice(2).map((m) => [m.msgType, m.content.text ?? m.content.data?.["text/plain"]]), [
      ["stream", "a\n"],
      ["stream", "warn\n"],
      ["stream", "b\n"],
      ["display_data", "shown"],
    ]);
  });

  it("under the limit everything is delivered, and finish() sends nothing more", () => {
    const { out, sent, text } = harness();
    const lines = Array.from({ length: 100_000 }, (_, i) => `L${i}\n`);
    for (const l of lines) out.stream("stdout", l);
    out.finish();
    assert.equal(text(), lines.join(""));
    assert.ok(sent.every((m) => (m.content.text ?? "").length <= 256 * 1024));
  });

  it("past the limit keeps the first and last lines and says how many lines and characters were left out", () => {
    const { out, text } = harness({ ...outputLimitsFromEnv({ SEQLAB_OUTPUT_LIMIT: "20000" }) });
    const lines = Array.from({ length: 10_000 }, (_, i) => `line ${i}\n`);
    for (const l of lines) out.stream("stdout", l);
    out.finish();
    const stdout = text("stdout");
    const stderr = text("stderr");
    const kept = stdout.split("\n").filter(Boolean);
    // The head: line 0 onwards, contiguous; the tail: contiguous up to the last line.
    const gap = kept.findIndex((l, i) => l !== `line ${i}`);
    assert.ok(gap > 1000 && gap < 2000, `head ends at ${gap}`);
    const tail = kept.slice(gap);
    assert.equal(tail[tail.length - 1], "line 9999");
    const firstTail = Number(tail[0]!.split(" ")[1]);
    assert.deepEqual(tail, Array.from({ length: 10_000 - firstTail }, (_, i) => `line ${firstTail + i}`));
    assert.ok(stdout.length <= 20_000);
    const m = /\[seqlab\] ([\d,]+) lines \(([\d,]+) characters\) of output were left out here/.exec(stderr);
    assert.ok(m, stderr);
    const leftOut = lines.slice(gap, firstTail);
    assert.equal(Number(m[1]!.replace(/,/g, "")), leftOut.length);
    assert.equal(Number(m[2]!.replace(/,/g, "")), leftOut.join("").length);
    assert.match(stderr, /This cell's output passed 16,000 characters: from here on only the last 4,000 characters are kept/);
  });

  it("past the display limit keeps the first and last displays and says how many were left out", () => {
    const { out, sent, text } = harness({ displayHead: 10, displayTail: 3 });
    for (let i = 0; i < 25; i++) out.display({ data: { "text/plain": `d${i}` }, metadata: {} }, false);
    out.finish();
    const shown = sent.filter((m) => m.msgType === "display_data").map((m) => m.content.data?.["text/plain"]);
    assert.deepEqual(shown, ["d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9", "d22", "d23", "d24"]);
    assert.match(text("stderr"), /\[seqlab\] 12 displays were left out here; the last 3 follow\./);
  });

  it("updates are never counted or dropped, and bad display content is a TypeError", () => {
    const { out, sent } = harness({ displayHead: 1, displayTail: 1 });
    out.display({ data: { "text/plain": "0" }, metadata: {}, transient: { display_id: "p" } }, false);
    for (let i = 1; i <= 50; i++) out.display({ data: { "text/plain": String(i) }, metadata: {}, transient: { display_id: "p" } }, true);
    assert.equal(sent.filter((m) => m.msgType === "update_display_data").length, 50);
    assert.throws(() => out.display({ data: { "text/plain": "x" }, metadata: {} }, true), /needs `transient.display_id`/);
    assert.throws(() => out.display({ metadata: {} } as never, false), TypeError);
  });

  it("output written after the cell ended past the limit is sent on a timer", () => {
    const { out, fire, text } = harness({ ...outputLimitsFromEnv({ SEQLAB_OUTPUT_LIMIT: "100" }) });
    out.stream("stdout", "x".repeat(200) + "\n");
    out.finish();
    const before = text();
    out.stream("stdout", "late\n");
    assert.equal(text(), before);
    fire();
    assert.ok(text().endsWith("late\n"));
  });

  it("SEQLAB_OUTPUT_LIMIT accepts a number, 0 or none, and names a bad value", () => {
    assert.equal(outputLimitsFromEnv({ SEQLAB_OUTPUT_LIMIT: "none" }).streamHeadChars, Infinity);
    assert.equal(outputLimitsFromEnv({ SEQLAB_OUTPUT_LIMIT: "0" }).streamHeadChars, Infinity);
    assert.equal(outputLimitsFromEnv({}).streamHeadChars + outputLimitsFromEnv({}).streamTailChars, 1_000_000);
    assert.throws(() => outputLimitsFromEnv({ SEQLAB_OUTPUT_LIMIT: "1MB" }), /SEQLAB_OUTPUT_LIMIT must be a number of characters per cell, or 0 or "none" for no limit\. Received: SEQLAB_OUTPUT_LIMIT="1MB"/);
  });
});
