import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Gradebook } from "../../../../src/notebooks/grade/outputs";
import { EXPECTED, tinySource, writeClass } from "./class-fixture";
import { TestRedis } from "./redis-server";
import { seqlab, WorkerPool } from "./worker-pool";

describe("seqlab grade --queue when Redis restarts mid-run", function () {
  this.timeout(3_600_000);
  let redis: TestRedis;
  let work: string;
  let pool: WorkerPool | null = null;

  before(async () => {
    redis = await TestRedis.start();
    work = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-queue-restart-"));
  });
  after(async () => {
    await pool?.stop();
    await redis.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("resumes after Redis comes back empty: unfinished jobs are enqueued again, finished results kept, each student once", async () => {
    const classDir = path.join(work, "class");
    const students = writeClass(classDir, { correct: 4, wrong: 3 });
    pool = new WorkerPool(["--queue", redis.url, "--source", tinySource, "--visibility-timeout", "10"], 1);
    const out = path.join(work, "out");
    const lines: string[] = [];
    const run = seqlab(["grade", tinySource, classDir, "--queue", redis.url, "--out", out, "--cell-timeout", "45"], (l) => lines.push(l));
    while (!lines.some((l) => l.startsWith("[2/7]"))) await new Promise((r) => setTimeout(r, 200));
    const finishedBefore = fs.readdirSync(out).filter((f) => f.endsWith(".html"));
    // Down for two seconds, back without any of its data (no persistence).
    await redis.stop();
    await new Promise((r) => setTimeout(r, 2000));
    await redis.restart();
    const { code, out: text } = await run;
    assert.equal(code, 0, `${text}\n${pool.output.join("\n")}`);
    assert.match(text, /unfinished job\(s\) are no longer in Redis \(was it restarted\?\): enqueued again/);
    const book = JSON.parse(fs.readFileSync(path.join(out, "gradebook.json"), "utf8")) as Gradebook;
    assert.deepEqual(book.students.map((s) => s.student), [...students.keys()].sort((a, b) => a.localeCompare(b)));
    for (const s of book.students) {
      const kind = students.get(s.student) as "correct" | "wrong";
      assert.deepEqual([s.student, s.status, s.score], [s.student, EXPECTED[kind].status, EXPECTED[kind].score]);
    }
    // What was finished before the restart was not graded again.
    for (const html of finishedBefore) {
      const student = html.replace(/\.html$/, "");
      assert.equal(pool.output.filter((l) => l.includes(`] grading ${student} `)).length, 1, `${student} graded once:\n${pool.output.join("\n")}`);
    }
  });
});
