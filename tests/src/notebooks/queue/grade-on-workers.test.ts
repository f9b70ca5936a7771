import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Gradebook } from "../../../../src/notebooks/grade/outputs";
import { EXPECTED, tinySource, writeClass, type SubmissionKind } from "./class-fixture";
import { TestRedis } from "./redis-server";
import { seqlab, WorkerPool } from "./worker-pool";

/** A gradebook without the timings, which differ from run to run. */
const withoutSeconds = (book: Gradebook): unknown => ({ ...book, students: book.students.map(({ seconds: _s, ...rest }) => rest) });
const readBook = (dir: string): Gradebook => JSON.parse(fs.readFileSync(path.join(dir, "gradebook.json"), "utf8")) as Gradebook;

describe("seqlab grade --queue with seqlab workers (real Redis, real kernels)", function () {
  this.timeout(3_600_000);
  let redis: TestRedis;
  let work: string;
  let pool: WorkerPool | null = null;
  const limits = ["--cell-timeout", "45", "--timeout", "300"];

  before(async () => {
    redis = await TestRedis.start();
    work = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-queue-"));
  });
  afterEach(async () => {
    await pool?.stop();
    pool = null;
  });
  after(async () => {
    await redis.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("a worker with another version of the assignment refuses its jobs and says so; a matching worker grades them", async () => {
    const classDir = path.join(work, "refusal-class");
    writeClass(classDir, { correct: 1 });
    const other = path.join(work, "tiny-v2.ipynb");
    const nb = JSON.parse(fs.readFileSync(tinySource, "utf8")) as { cells: Array<{ source: string }> };
    nb.cells[0]!.source += "\n\nSecond version: the intro changed.";
    fs.writeFileSync(other, JSON.stringify(nb));
    pool = new WorkerPool(["--queue", redis.url, "--source", other, "--visibility-timeout", "6"], 1);
    const notices: string[] = [];
    const run = seqlab(["grade", tinySource, classDir, "--queue", redis.url, "--out", path.join(work, "refusal-out"), ...limits], (l) => notices.push(l));
    const until = Date.now() + 60_000;
    while (!notices.some((l) => /refused correct-01/.test(l)) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    const refusal = notices.find((l) => /refused correct-01/.test(l));
    assert.ok(refusal, `the instructor was told of the refusal:\n${notices.join("\n")}\n${pool.output.join("\n")}`);
    assert.match(refusal, /the job is for version [0-9a-f]{12} of "tiny" but this worker's copy differs \(tiny-v2\.ipynb is version [0-9a-f]{12}\): give it the instructor's source with --source/);
    assert.ok(pool.output.some((l) => /refusing jobs of "tiny"/.test(l)), pool.output.join("\n"));
    const right = new WorkerPool(["--queue", redis.url, "--source", tinySource, "--visibility-timeout", "6"], 1);
    try {
      const { code, out } = await run;
      assert.equal(code, 0, out);
      const book = readBook(path.join(work, "refusal-out"));
      assert.deepEqual(book.students.map((s) => [s.student, s.status, s.score]), [["correct-01", "graded", 5]]);
      assert.ok(!pool.output.some((l) => /\] grading /.test(l)), "the refusing worker graded nothing");
    } finally {
      await right.stop();
    }
  });

  it("grades a class of 30 on two workers, one SIGKILLed mid-run, writing what a local --jobs run writes", async () => {
    const classDir = path.join(work, "class");
    const counts: Record<SubmissionKind, number> = { correct: 13, wrong: 6, "type-error": 4, "infinite-loop": 1, crash: 5, "kills-worker": 1 };
    const students = writeClass(classDir, counts);
    assert.equal(students.size, 30);
    pool = new WorkerPool(["--queue", redis.url, "--source", tinySource, "--visibility-timeout", "6", "--attempts", "3"], 2);
    const queuedOut = path.join(work, "queued");
    const lines: string[] = [];
    const run = seqlab(["grade", tinySource, classDir, "--queue", redis.url, "--out", queuedOut, ...limits], (l) => lines.push(l));
    // Kill a worker in the middle of a job, once a few results are in.
    while (!lines.some((l) => l.startsWith("[4/30]"))) await new Promise((r) => setTimeout(r, 200));
    const victim = await pool.busyWorker(120_000);
    pool.kill(victim);
    const { code, out } = await run;
    assert.equal(code, 0, `${out}\n${pool.output.join("\n")}`);
    // Progress: done/total, failures, running, time left.
    assert.match(out, /^\[1\/30\] \S+: \w[\w-]* \d\/5 \(\d+\.\d s\).* · \d+ failed · \d+ running, ~\d+ min left$/m);
    assert.match(out, /^\[30\/30\] /m);
    // The test's kill plus three workers killed by the hostile submission (attempts 3).
    assert.ok(pool.deaths >= 4, `deaths: ${pool.deaths}\n${pool.output.join("\n")}`);

    const queued = readBook(queuedOut);
    assert.equal(queued.students.length, 30, "every submission once in the gradebook");
    assert.deepEqual(queued.students.map((s) => s.student), [...students.keys()].sort((a, b) => a.localeCompare(b)));
    for (const s of queued.students) {
      const kind = students.get(s.student)!;
      if (kind === "kills-worker") {
        assert.equal(s.status, "crashed");
        assert.match(s.tasks[0]!.message, /every worker that graded this submission died while running it \(3 times\)/);
      } else assert.deepEqual([s.student, s.status, s.score], [s.student, EXPECTED[kind].status, EXPECTED[kind].score]);
      assert.ok(fs.existsSync(path.join(queuedOut, `${s.student}.ipynb`)) && fs.existsSync(path.join(queuedOut, `${s.student}.html`)), s.student);
    }

    // The same class graded locally.
    const localOut = path.join(work, "local");
    const local = await seqlab(["grade", tinySource, classDir, "--jobs", "2", "--out", localOut, ...limits]);
    assert.equal(local.code, 0, local.out);
    const localBook = readBook(localOut);
    const killer = (b: Gradebook): Gradebook => ({ ...b, students: b.students.filter((s) => students.get(s.student) !== "kills-worker") });
    assert.deepEqual(withoutSeconds(killer(queued)), withoutSeconds(killer(localBook)));
    // The graded notebooks hold the same cells and outputs.
    for (const student of ["correct-01", "wrong-01", "type-error-01", "crash-01", "infinite-loop-01"]) {
      const cells = (dir: string): unknown => (JSON.parse(fs.readFileSync(path.join(dir, `${student}.ipynb`), "utf8")) as { cells: Array<{ source: unknown; outputs?: unknown }> }).cells.map((c) => [c.source, c.outputs ?? null]);
      assert.deepEqual(cells(queuedOut), cells(localOut), student);
    }
    assert.deepEqual(fs.readdirSync(queuedOut).sort(), fs.readdirSync(localOut).sort());
  });
});
