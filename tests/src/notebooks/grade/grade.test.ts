import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Notebook } from "../../../../src/notebooks/grade/assignment";
import { gradeSubmission } from "../../../../src/notebooks/grade/grade-submission";
import type { Gradebook } from "../../../../src/notebooks/grade/outputs";
import { launchBrowser } from "../../../support/browser";
import { artifactsDir, projectRoot } from "../../../support/project";
import { pastedRelease, readNb, released, writeSubmission } from "./_submissions";

const mini = path.join(projectRoot, "tests", "fixtures", "grading", "mini.ipynb");
const cli = path.join(projectRoot, "dist", "src", "cli.js");
const SQUARES = "const squares = [0, 1, 2, 3, 4].map((i) => i * i);";

/** Runs the seqlab command; resolves with its exit code and output. */
function seqlab(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: projectRoot, env: { ...process.env, SEQLAB_QUICK: "" } });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", (code) => resolve({ code, out }));
  });
}

/** Each fixture submission: how it is made, and its expected status, score and task results. */
interface Fixture {
  make: () => Notebook | string;
  status: string;
  score: number;
  /** grade id → [points, status, message pattern]. */
  tasks: Record<string, [number, string, RegExp]>;
}

const fixtures: Record<string, Fixture> = {
  reference: {
    make: () => pastedRelease(mini),
    status: "graded",
    score: 5,
    tasks: { "t1-double": [2, "passed", /^$/], "t2-squares": [3, "passed", /^$/], "t3-answer": [0, "pending", /^$/] },
  },
  "partly-wrong": {
    // Passes the public test (double(2) = 4), fails the hidden one (double(-3)).
    make: () => pastedRelease(mini, { "task1-code": "function double(x: number): number {\n  return x + 2;\n}" }),
    status: "graded",
    score: 3,
    tasks: { "t1-double": [0, "failed", /^double\(-3\) is -1; expected -6$/], "t2-squares": [3, "passed", /^$/] },
  },
  "type-error": {
    make: () => pastedRelease(mini, { "task1-code": 'function double(x: number): number {\n  return "2" * x;\n}' }),
    status: "graded",
    score: 3,
    tasks: { "t1-double": [0, "failed", /^TypeScriptError: .*arithmetic operation.*\(raised by your code for this task\)$/], "t2-squares": [3, "passed", /^$/] },
  },
  "infinite-loop": {
    make: () => pastedRelease(mini, { "task1-code": "function double(x: number): number {\n  while (x === x) {}\n  return 2 * x;\n}" }),
    status: "timeout",
    score: 3,
    tasks: { "t1-double": [0, "timeout", /ran longer than 40 s/], "t2-squares": [3, "passed", /^$/] },
  },
  tampered: {
    make: () =>
      pastedRelease(mini, {
        "task2-code": "const squares = [0, 1, 2, 3, 4];",
        "t2-squares": 'await checkTask("t2-squares", 3, () => {});',
      }),
    status: "graded",
    score: 2,
    tasks: { "t1-double": [2, "passed", /^$/], "t2-squares": [0, "failed", /^squares is \[0,1,2,3,4\]; expected \[0,1,4,9,16\]$/] },
  },
  crash: {
    make: () => pastedRelease(mini, { "task2-code": `${SQUARES}\nprocess.kill(process.pid, "SIGKILL");` }),
    status: "crashed",
    score: 2,
    tasks: { "t1-double": [2, "passed", /^$/], "t2-squares": [0, "not-run", /kernel died/] },
  },
  "process-exit": {
    // The kernel refuses process.exit(): the student's cell fails, the kernel and grading go on.
    make: () => pastedRelease(mini, { "task2-code": `process.exit(1);\n${SQUARES}` }),
    status: "graded",
    score: 2,
    tasks: { "t1-double": [2, "passed", /^$/], "t2-squares": [0, "failed", /^ProcessExitRefused: process\.exit\(1\) was refused: it would end the kernel/] },
  },
  "out-of-memory": {
    make: () => pastedRelease(mini, { "task2-code": `${SQUARES}\nconst hog: number[][] = [];\nwhile (hog.length >= 0) hog.push(new Array(1_000_000).fill(hog.length));` }),
    status: "crashed",
    score: 2,
    tasks: { "t1-double": [2, "passed", /^$/], "t2-squares": [0, "not-run", /kernel died/] },
  },
  "enormous-output": {
    // Also a warning on stderr, which does not zero the cell.
    make: () => pastedRelease(mini, { "task2-code": `${SQUARES}\nconsole.error("warning: only a warning");\nfor (let i = 0; i < 3000; i++) console.log(String(i).padEnd(10_000, "x"));` }),
    status: "graded",
    score: 5,
    tasks: { "t1-double": [2, "passed", /^$/], "t2-squares": [3, "passed", /^$/] },
  },
  "script-html": {
    make: () => {
      const nb = pastedRelease(mini, {
        "task2-code": [
          'import { display } from "kernel-helpers";',
          SQUARES,
          'display.bundle({ "text/html": "<b id=\\"bold\\">bold</b><script>window.pwned = 1;</script><img src=\\"x\\" onerror=\\"window.pwned = 2\\">", "text/plain": "html" });',
        ].join("\n"),
        "t3-answer": '<script>window.pwned = 3;</script><img src="x" onerror="window.pwned = 4"> It is one multiplication.',
      });
      // Outputs saved in the file are never trusted either (grading re-runs everything).
      nb.cells[1]!.outputs = [{ output_type: "display_data", metadata: {}, data: { "text/html": "<script>window.pwned = 5;</script>" } }];
      return nb;
    },
    status: "graded",
    score: 5,
    tasks: { "t1-double": [2, "passed", /^$/], "t2-squares": [3, "passed", /^$/] },
  },
  "not-json": {
    make: () => "this is not a notebook {",
    status: "invalid",
    score: 0,
    tasks: { "t1-double": [0, "not-run", /not valid JSON/] },
  },
  "other-assignment": {
    make: () => released(path.join(projectRoot, "notebooks", "assignments", "01-imdb-sentiment.ipynb")),
    status: "wrong-assignment",
    score: 0,
    tasks: { "t1-double": [0, "not-run", /assignment "01-imdb-sentiment", not "mini"/] },
  },
};

describe("seqlab grade (hostile submissions of a small assignment)", function () {
  this.timeout(1_200_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-grade-"));
  const subs = path.join(dir, "submissions");
  const out = path.join(dir, "graded");
  let run: { code: number | null; out: string };
  let book: Gradebook;

  before(async () => {
    for (const [name, f] of Object.entries(fixtures)) writeSubmission(subs, name, f.make());
    run = await seqlab(["grade", mini, subs, "--jobs", "2", "--cell-timeout", "40", "--timeout", "240", "--memory", "512", "--out", out]);
    book = JSON.parse(fs.readFileSync(path.join(out, "gradebook.json"), "utf8")) as Gradebook;
  });

  it("exits 0 (only grader failures count) and shows progress: done/total, failures, time left", () => {
    assert.equal(run.code, 0, run.out);
    const total = Object.keys(fixtures).length;
    for (let i = 1; i <= total; i++) assert.match(run.out, new RegExp(`^\\[${i}/${total}\\] \\S+: `, "m"));
    assert.match(run.out, /min left/);
    assert.match(run.out, new RegExp(`\\[${total}/${total}\\] .* · 5 failure\\(s\\)$`, "m"));
  });

  it("gives every submission its expected status, score and per-test messages", () => {
    assert.equal(book.assignment, "mini");
    assert.deepEqual(book.students.map((s) => s.student), Object.keys(fixtures).sort());
    for (const [name, f] of Object.entries(fixtures)) {
      const s = book.students.find((x) => x.student === name)!;
      assert.equal(s.status, f.status, `${name}: ${JSON.stringify(s)}`);
      assert.equal(s.score, f.score, `${name}: ${JSON.stringify(s.tasks)}`);
      assert.equal(s.max, 7);
      assert.deepEqual(s.tasks.map((t) => t.grade_id), ["t1-double", "t2-squares", "t3-answer"]);
      for (const [id, [points, status, message]] of Object.entries(f.tasks)) {
        const t = s.tasks.find((x) => x.grade_id === id)!;
        assert.deepEqual([t.points, t.status], [points, status], `${name} ${id}: ${JSON.stringify(t)}`);
        assert.match(t.message, message, `${name} ${id}`);
      }
    }
  });

  it("reports the tampered test cell and restores it from the source", () => {
    const graded = readNb(path.join(out, "tampered.ipynb"));
    const grading = graded.metadata.seqlab_grading as { notes: string[] };
    assert.deepEqual(grading.notes, ['cell "t2-squares" was changed (its checksum differs); it was restored from the assignment: tests cannot be edited.']);
    assert.match(fs.readFileSync(path.join(out, "tampered.html"), "utf8"), /t2-squares.{0,20} was changed/);
  });

  it("keeps the output of a flooding cell bounded and says how much was dropped", () => {
    const graded = fs.readFileSync(path.join(out, "enormous-output.ipynb"), "utf8");
    assert.ok(graded.length < 1_000_000, `graded notebook is ${graded.length} characters`);
    assert.match(graded, /\[seqlab grade: \d+ more characters of output were not kept\]/);
    assert.ok(fs.statSync(path.join(out, "enormous-output.html")).size < 8_000_000);
  });

  it("writes gradebook.csv with one row per student and the points of every graded cell", () => {
    const csv = fs.readFileSync(path.join(out, "gradebook.csv"), "utf8").trim().split("\n");
    assert.equal(csv[0], "student,status,score,max,seconds,t1-double,t2-squares,t3-answer");
    assert.equal(csv.length, Object.keys(fixtures).length + 1);
    assert.match(csv.find((l) => l.startsWith("partly-wrong,"))!, /^partly-wrong,graded,3,7,[\d.]+,0,3,0$/);
  });

  it("feedback HTML opens offline: score table first, the plot drawn, no script from the submission ran", async () => {
    const browser = await launchBrowser({ offline: true });
    const { page } = browser;
    try {
      for (const name of ["reference", "script-html"]) {
        const file = path.join(out, `${name}.html`);
        const html = fs.readFileSync(file, "utf8");
        assert.ok(!/<script>window\.pwned|<img[^>]*onerror/i.test(html), `${name}.html carries the submission's script`);
        await page.goto(`file://${file}`);
        await page.waitForFunction(() => document.querySelectorAll(".js-plotly-plot .main-svg").length >= 1, undefined, { timeout: 30_000 });
        const first = await page.evaluate(() => {
          const h = document.querySelector("#seqlab-feedback");
          const table = document.querySelector(".seqlab-score-table");
          const plot = document.querySelector(".js-plotly-plot") as (Element & { data?: Array<{ x?: unknown[] }> }) | null;
          return {
            heading: h?.textContent ?? "",
            tableBeforeCode: !!table && !!document.querySelector(".jp-CodeCell") && (table.compareDocumentPosition(document.querySelector(".jp-CodeCell")!) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0,
            rows: Array.from(document.querySelectorAll(".seqlab-score-table tbody tr")).map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => td.textContent ?? "")),
            score: document.querySelector(".seqlab-score")?.textContent ?? "",
            plotPoints: plot?.data?.[0]?.x?.length ?? 0,
            pwned: (window as unknown as { pwned?: number }).pwned ?? null,
          };
        });
        assert.equal(first.heading, `Feedback: mini, ${name}`);
        assert.ok(first.tableBeforeCode, "the score table comes before the notebook");
        assert.deepEqual(first.rows.map((r) => r.slice(1, 4)), [["t1-double", "passed", "2 / 2"], ["t2-squares", "passed", "3 / 3"], ["t3-answer", "pending", "– / 2"]]);
        assert.match(first.rows[2]![4]!, /not graded yet/);
        assert.match(first.score, /Score: 5 \/ 7/);
        assert.ok(first.plotPoints > 0, "the student's plot is drawn from its data");
        assert.equal(first.pwned, null, `a script from ${name} ran`);
        if (name === "script-html") {
          assert.equal(await page.locator("#bold, b:text('bold')").count() > 0, true, "harmless HTML is kept");
          assert.match(await page.locator(".jp-MarkdownCell").filter({ hasText: "It is one multiplication" }).innerText(), /<script>window/, "the student's answer shows as text");
        }
        fs.mkdirSync(artifactsDir, { recursive: true });
        await page.screenshot({ path: path.join(artifactsDir, `grade-feedback-${name}.png`), fullPage: false });
      }
      assert.deepEqual(browser.externalRequests, []);
    } finally {
      await browser.close();
    }
  });

  it("grading the same submissions again gives the same gradebook (times aside)", async () => {
    const again = path.join(dir, "again");
    const names = ["partly-wrong", "reference", "tampered", "type-error"];
    const subset = path.join(dir, "subset");
    for (const n of names) writeSubmission(subset, n, fs.readFileSync(path.join(subs, `${n}.ipynb`), "utf8"));
    const r = await seqlab(["grade", mini, subset, "--jobs", "2", "--cell-timeout", "40", "--out", again]);
    assert.equal(r.code, 0, r.out);
    const second = JSON.parse(fs.readFileSync(path.join(again, "gradebook.json"), "utf8")) as Gradebook;
    const strip = (b: Gradebook) => b.students.filter((s) => names.includes(s.student)).map(({ seconds: _s, ...rest }) => rest);
    assert.deepEqual(strip(second), strip(book));
  });

  it("gradeSubmission() (the queue's unit of work) stops a notebook at its time limit with status timeout", async () => {
    const slow = pastedRelease(mini, { "task2-code": `${SQUARES}\nwhile (squares.length > 0) {}` });
    const r = await gradeSubmission({ source: readNb(mini), submissionBytes: JSON.stringify(slow), student: "slow", timeouts: { notebook: 45, cell: 600 } });
    assert.equal(r.status, "timeout", r.message);
    assert.match(r.message, /^the notebook ran longer than its 45 s limit/);
    assert.deepEqual(r.tasks.map((t) => [t.grade_id, t.points, t.status]), [["t1-double", 2, "passed"], ["t2-squares", 0, "not-run"], ["t3-answer", 0, "pending"]]);
    assert.ok(r.seconds < 45 + 60, `took ${r.seconds} s`);
  });

  it("`seqlab feedback` takes the manual grades filled in and rewrites the HTML and the gradebook", async () => {
    const file = path.join(out, "reference.ipynb");
    const nb = readNb(file);
    const cell = nb.cells.find((c) => (c.metadata.seqlab as { manual_grade?: string } | undefined)?.manual_grade === "t3-answer")!;
    assert.match(String(cell.source), /Points: _ \/ 2/);
    cell.source = "**Instructor's grade**\n\nPoints: 1.5 / 2\n\nComment: Right idea; say why the cost does not grow.";
    fs.writeFileSync(file, JSON.stringify(nb));
    const r = await seqlab(["feedback", out]);
    assert.equal(r.code, 0, r.out);
    const after = JSON.parse(fs.readFileSync(path.join(out, "gradebook.json"), "utf8")) as Gradebook;
    const ref = after.students.find((s) => s.student === "reference")!;
    assert.equal(ref.score, 6.5);
    assert.deepEqual(ref.tasks[2], { grade_id: "t3-answer", points: 1.5, max: 2, status: "graded", message: "Right idea; say why the cost does not grow." });
    assert.deepEqual(after.students.filter((s) => s.student !== "reference"), book.students.filter((s) => s.student !== "reference"));
    const html = fs.readFileSync(path.join(out, "reference.html"), "utf8");
    assert.match(html, /Score: 6\.5 \/ 7/);
    assert.match(html, /Right idea; say why the cost does not grow\./);
    cell.source = "Points: 3 / 2";
    fs.writeFileSync(file, JSON.stringify(nb));
    const bad = await seqlab(["feedback", file]);
    assert.equal(bad.code, 1);
    assert.match(bad.out, /the grade for "t3-answer" is 3, more than its 2 points/);
  });
});
