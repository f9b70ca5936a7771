import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectRoot } from "../support/project";

const cli = path.join(projectRoot, "dist", "src", "cli.js");
const welcome = path.join(projectRoot, "notebooks", "lessons", "00-welcome.ipynb");
const failing = path.join(projectRoot, "tests", "fixtures", "kernel", "failing-cells.ipynb");

function seqlab(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 600_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("seqlab command", function () {
  this.timeout(600_000);

  it("`seqlab run --quick` executes a notebook, mirrors notebooks/ under --out and prints the table", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-cli-"));
    const r = seqlab(["run", "--quick", "--out", out, welcome]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^notebook {2,}status {2}seconds$/m);
    assert.match(r.stdout, /^lessons\/00-welcome\.ipynb {2}ok {6,}\d+\.\d$/m);
    const executed = JSON.parse(fs.readFileSync(path.join(out, "lessons", "00-welcome.ipynb"), "utf8")) as { cells: Array<{ outputs?: Array<{ text?: string[] }> }> };
    const text = executed.cells.flatMap((c) => c.outputs ?? []).map((o) => (o.text ?? []).join("")).join("");
    assert.match(text, /backend: tensorflow/);
    const html = fs.readFileSync(path.join(out, "lessons", "00-welcome.html"), "utf8");
    assert.equal(html.split("* plotly.js v").length - 1, 1, "plotly.js embedded exactly once");
  });

  it("`seqlab run` exits 1 on a failing notebook and shows the failing cell and its error", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-cli-"));
    const r = seqlab(["run", "--out", out, failing]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /failing-cells\.ipynb {2}failed/);
    assert.match(r.stdout, /failing-cells\.ipynb: cell 2 failed/);
    assert.match(r.stdout, /\| +if \(b === 0\) throw new RangeError\("division by zero"\);/);
    assert.match(r.stdout, /RangeError: division by zero/);
    assert.ok(fs.existsSync(path.join(out, "failing-cells.ipynb")), "the partly executed notebook is kept for inspection");
  });

  it("`seqlab export` writes HTML of a saved notebook without running it", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-cli-"));
    const r = seqlab(["export", "--out", out, welcome]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const html = fs.readFileSync(path.join(out, "lessons", "00-welcome.html"), "utf8");
    assert.match(html, /Welcome to seqlab/);
    assert.ok(!fs.existsSync(path.join(out, "lessons", "00-welcome.ipynb")));
  });

  it("rejects an unknown command, a missing path and a bad timeout with a clear message", () => {
    const unknown = seqlab(["frobnicate"]);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
    const missing = seqlab(["run", "no/such.ipynb"]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no\/such\.ipynb: no such file or folder\. Give a notebook \(\.ipynb\) or a folder of notebooks\./);
    const timeout = seqlab(["run", "--timeout=-3", welcome]);
    assert.equal(timeout.status, 2);
    assert.match(timeout.stderr, /--timeout must be a positive number of seconds\. Received: --timeout -3\n\nusage: seqlab/);
    const option = seqlab(["run", "--fast", welcome]);
    assert.equal(option.status, 2);
    assert.match(option.stderr, /^seqlab: Unknown option '--fast'/);
    assert.match(option.stderr, /usage: seqlab <command>/);
    assert.doesNotMatch(option.stderr, /\n\s+at /, "no stack trace for a usage error");
  });
});

describe("seqlab run --json", function () {
  this.timeout(600_000);

  it("writes <out>/results.json with each notebook's mode, status, seconds and computed metrics", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-cli-"));
    const r = seqlab(["run", "--quick", "--json", "--out", out, welcome]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^Wrote the course results \(1 notebooks\) to .*results\.json\.$/m);
    const data = JSON.parse(fs.readFileSync(path.join(out, "results.json"), "utf8")) as {
      mode: string;
      date: string;
      notebooks: Array<{ notebook: string; mode: string; status: string; seconds: number; title: string; metrics: Record<string, unknown> }>;
    };
    assert.equal(data.mode, "quick");
    assert.ok(!Number.isNaN(Date.parse(data.date)));
    assert.equal(data.notebooks.length, 1);
    const [nb] = data.notebooks;
    assert.equal(nb!.notebook, "lessons/00-welcome.ipynb");
    assert.equal(nb!.status, "ok");
    assert.ok(nb!.seconds > 0);
    assert.equal(nb!.title, "welcome");
    assert.equal(nb!.metrics.backend, "tensorflow");
    assert.equal(nb!.metrics.epochs, 5);
    const table = new RegExp(`^lessons/00-welcome\\.ipynb {2}ok {6,}${nb!.seconds.toFixed(1).replace(".", "\\.")}$`, "m");
    assert.match(r.stdout, table, "the file's seconds are the table's");
  });

  it("rejects --json for export", () => {
    const r = seqlab(["export", "--json", welcome]);
    assert.equal(r.status, 2); // a usage error
    assert.match(r.stderr, /--json belongs to `seqlab run`/);
  });
});
