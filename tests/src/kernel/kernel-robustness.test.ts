import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { fixturesDir, iopubOf, KernelDriver, startTestKernel, type ExecuteResult } from "./_kernel-driver";

/** All stream text of one name, in order. */
function streamText(r: ExecuteResult, name = "stdout"): string {
  return r.iopub
    .filter((m) => m.msg_type === "stream" && m.content.name === name)
    .map((m) => m.content.text ?? "")
    .join("");
}

const lines = (n: number, prefix = "L"): string => Array.from({ length: n }, (_, i) => `${prefix}${i}\n`).join("");

describe("seqlab kernel: output floods, failed imports, file writes and process.exit", function () {
  this.timeout(300_000);
  let kernel: KernelDriver;
  // The kernel works in its own folder, so files the cells write stay there.
  const dir = path.join(fixturesDir, `robustness-${process.pid}`);

  before(async function () {
    fs.mkdirSync(dir, { recursive: true });
    kernel = await startTestKernel({}, dir);
  });
  after(async () => {
    await kernel?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("2000 lines then a throw: every line arrives in order, then the error; the kernel and its variables live on", async () => {
    await kernel.execute("const kept = 41;");
    const r = await kernel.execute('for (let i = 0; i < 2000; i++) console.log("L" + i);\nthrow new Error("x");');
    assert.equal(r.reply.status, "error");
    assert.equal(streamText(r), lines(2000));
    assert.equal(iopubOf(r, "error")?.content.evalue, "x");
    const types = r.iopub.map((m) => m.msg_type);
    assert.ok(types.lastIndexOf("stream") < types.indexOf("error"), types.join(","));
    assert.equal(types[types.length - 1], "status");
    const next = await kernel.execute("kept + 1");
    assert.deepEqual(iopubOf(next, "execute_result")?.content.data, { "text/plain": "42" });
  });

  it("100,000 lines arrive in full (under the default limit), in a few coalesced stream messages", async () => {
    const r = await kernel.execute('for (let i = 0; i < 100000; i++) console.log("L" + i);\n"done"');
    assert.equal(r.reply.status, "ok");
    const text = streamText(r);
    assert.equal(text.length, lines(100_000).length);
    assert.equal(text, lines(100_000));
    assert.ok(r.iopub.filter((m) => m.msg_type === "stream").length < 50);
    assert.equal(iopubOf(r, "execute_result")?.content.data?.["text/plain"], "'done'");
    assert.equal(streamText(r, "stderr"), "");
  });

  it("stdout and stderr written in turns keep their order", async () => {
    const r = await kernel.execute('for (let i = 0; i < 300; i++) { console.log("out " + i); console.error("err " + i); }');
    const sequence = r.iopub
      .filter((m) => m.msg_type === "stream")
      .flatMap((m) => (m.content.text ?? "").split("\n").filter(Boolean));
    assert.deepEqual(sequence, Array.from({ length: 300 }, (_, i) => [`out ${i}`, `err ${i}`]).flat());
  });

  it("2000 display() calls then a result: all 2000 displays arrive in order before the result", async () => {
    const r = await kernel.execute(
      'const sink = (globalThis as Record<symbol, unknown>)[Symbol.for("seqlab.kernel.display")] as (c: object, u: boolean) => void;\n' +
        'for (let i = 0; i < 2000; i++) sink({ data: { "text/plain": "d" + i }, metadata: {} }, false);\n"after"',
    );
    assert.equal(r.reply.status, "ok");
    const shown = r.iopub.filter((m) => m.msg_type === "display_data").map((m) => m.content.data?.["text/plain"]);
    assert.deepEqual(shown, Array.from({ length: 2000 }, (_, i) => `d${i}`));
    const types = r.iopub.map((m) => m.msg_type);
    assert.ok(types.lastIndexOf("display_data") < types.indexOf("execute_result"));
  });

  it("a burst of update_display_data (a live curve) ends with the latest value, and nothing fails", async () => {
    const r = await kernel.execute(
      'sink({ data: { "text/plain": "epoch 0" }, metadata: {}, transient: { display_id: "curve" } }, false);\n' +
        'for (let i = 1; i <= 5000; i++) sink({ data: { "text/plain": "epoch " + i }, metadata: {}, transient: { display_id: "curve" } }, true);\n"trained"',
    );
    assert.equal(r.reply.status, "ok");
    const updates = r.iopub.filter((m) => m.msg_type === "update_display_data");
    assert.ok(updates.length >= 1 && updates.length <= 5000);
    assert.equal(updates[updates.length - 1]?.content.data?.["text/plain"], "epoch 5000");
    assert.ok(updates.every((m) => m.content.transient?.display_id === "curve"));
    assert.doesNotMatch(await kernel.stderr(), /could not send|EBUSY/);
  });

  it("a failed relative import, then creating the file: the import works, and so does every later cell", async () => {
    const failed = await kernel.execute('import { helper } from "./utils";');
    assert.equal(failed.reply.status, "error");
    assert.match(failed.reply.evalue ?? "", /Cannot find module '\.\/utils'.*\(TS2307\)/);
    fs.writeFileSync(path.join(dir, "utils.ts"), "export function helper(): number {\n  return 7;\n}\n");
    const again = await kernel.execute('import { helper } from "./utils";\nhelper() * 6');
    assert.equal(again.reply.status, "ok", JSON.stringify(again.reply));
    assert.deepEqual(iopubOf(again, "execute_result")?.content.data, { "text/plain": "42" });
    const simple = await kernel.execute("1 + 1");
    assert.deepEqual(iopubOf(simple, "execute_result")?.content.data, { "text/plain": "2" });
  });

  it("writing .json and .ts files in the notebook folder (after a failed import) never breaks compilation", async () => {
    const failed = await kernel.execute('import { missing } from "./not-there";');
    assert.match(failed.reply.evalue ?? "", /\(TS2307\)/);
    for (let round = 0; round < 3; round++) {
      const write = await kernel.execute(`require("fs").writeFileSync("results-${round}.json", JSON.stringify({ round: ${round}, loss: [0.5, 0.4] }));`);
      assert.equal(write.reply.status, "ok", JSON.stringify(write.reply));
      fs.writeFileSync(path.join(dir, `extra-${round}.json`), "{}");
      fs.writeFileSync(path.join(dir, `scratch-${round}.ts`), `export const v${round} = ${round};\n`);
      await new Promise((resolve) => setTimeout(resolve, 400));
      const next = await kernel.execute(`${round} + 1`);
      assert.equal(next.reply.status, "ok", JSON.stringify(next.reply));
      assert.deepEqual(iopubOf(next, "execute_result")?.content.data, { "text/plain": String(round + 1) });
    }
    const typed = await kernel.execute('const wrong: number = "text";');
    assert.match(typed.reply.evalue ?? "", /\(TS2322\)/);
    fs.writeFileSync(path.join(dir, "utils.ts"), "export function helper(): number {\n  return 8;\n}\n");
    await new Promise((resolve) => setTimeout(resolve, 400));
    const reimported = await kernel.execute('import { helper as helper2 } from "./utils";\nhelper2()');
    assert.equal(reimported.reply.status, "ok", JSON.stringify(reimported.reply));
    assert.deepEqual(iopubOf(reimported, "execute_result")?.content.data, { "text/plain": "8" });
  });

  it("process.exit() in a cell is refused with an error in the cell; the kernel and its variables live on", async () => {
    const r = await kernel.execute('console.log("before");\nprocess.exit(1);\nconsole.log("after");');
    assert.equal(r.reply.status, "error");
    assert.equal(r.reply.ename, "ProcessExitRefused");
    assert.match(r.reply.evalue ?? "", /^process\.exit\(1\) was refused: it would end the kernel and lose every variable\./);
    assert.equal(streamText(r), "before\n");
    assert.equal(await kernel.alive(), true);
    const next = await kernel.execute("kept");
    assert.deepEqual(iopubOf(next, "execute_result")?.content.data, { "text/plain": "41" });
  });
});

describe("seqlab kernel: the output limit (SEQLAB_OUTPUT_LIMIT)", function () {
  this.timeout(300_000);
  let kernel: KernelDriver;
  before(async function () {
    kernel = await startTestKernel({ SEQLAB_OUTPUT_LIMIT: "50000" });
  });
  after(async () => {
    await kernel?.stop();
  });

  it("past the limit the cell keeps the first and last lines and says plainly how many were left out", async () => {
    const r = await kernel.execute('for (let i = 0; i < 100000; i++) console.log("line " + i);\nthrow new Error("after the flood");');
    assert.equal(r.reply.status, "error");
    assert.equal(iopubOf(r, "error")?.content.evalue, "after the flood");
    const kept = streamText(r).split("\n").filter(Boolean);
    const gap = kept.findIndex((l, i) => l !== `line ${i}`);
    assert.ok(gap > 1000, `the head ends at line ${gap}`);
    const firstTail = Number(kept[gap]!.slice(5));
    assert.deepEqual(kept.slice(gap), Array.from({ length: 100_000 - firstTail }, (_, i) => `line ${firstTail + i}`));
    const stderr = streamText(r, "stderr");
    assert.match(stderr, /This cell's output passed 40,000 characters: from here on only the last 10,000 characters are kept, and shown when the cell ends/);
    const m = /\[seqlab\] ([\d,]+) lines \(([\d,]+) characters\) of output were left out here/.exec(stderr);
    assert.ok(m, stderr);
    assert.equal(Number(m[1]!.replace(/,/g, "")), firstTail - gap);
    const types = r.iopub.map((msg) => msg.msg_type);
    assert.ok(types.lastIndexOf("stream") < types.indexOf("error"));
  });
});
