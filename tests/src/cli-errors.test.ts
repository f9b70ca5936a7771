import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { reportError } from "../../src/cli";
import { InputError, UsageError } from "../../src/errors";
import { SetupError } from "../../src/setup/run";
import { projectRoot } from "../support/project";

const cli = path.join(projectRoot, "dist", "src", "cli.js");

/** Runs reportError and returns its exit code and what it printed on stderr. */
function report(err: unknown): { code: number; printed: string } {
  const original = console.error;
  let printed = "";
  console.error = (...args: unknown[]) => {
    printed += args.map(String).join(" ") + "\n";
  };
  try {
    return { code: reportError(err), printed };
  } finally {
    console.error = original;
  }
}

describe("seqlab command errors", () => {
  it("a bad option value is a UsageError: message and usage, exit 2, no stack", () => {
    const r = spawnSync(process.execPath, [cli, "run", "--timeout", "soon"], { encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^seqlab: --timeout must be a positive number of seconds. Received: --timeout soon\n\nusage: seqlab <command>/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
  it("an unknown flag prints node's parser message with the usage, exit 2", () => {
    const r = spawnSync(process.execPath, [cli, "run", "--fast"], { encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /Unknown option '--fast'[\s\S]*usage: seqlab/);
  });
  it("a SetupError prints its remedy without a stack, exit 1", () => {
    const { code, printed } = report(new SetupError("g++ is missing: apt-get install g++."));
    assert.equal(code, 1);
    assert.equal(printed, "seqlab: g++ is missing: apt-get install g++.\n");
  });
  it("a file the user gave that cannot be used is an InputError: its message alone, exit 1", () => {
    const r = spawnSync(process.execPath, [cli, "export", "no/such/notebook.ipynb"], { encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, "seqlab: no/such/notebook.ipynb: no such file or folder. Give a notebook (.ipynb) or a folder of notebooks.\n");
    assert.equal(report(new InputError("x.ipynb: not a notebook.")).printed, "seqlab: x.ipynb: not a notebook.\n");
  });
  it("any other error, a plain Error included, is a bug and keeps its stack, exit 1", () => {
    for (const err of [new Error("boom"), new TypeError("x is undefined")]) {
      const { code, printed } = report(err);
      assert.equal(code, 1);
      assert.match(printed, new RegExp(`^seqlab: ${err.name}: ${err.message}\\n\\s+at `));
    }
    assert.equal(report("a string").printed, "seqlab: a string\n");
    assert.equal(report(new UsageError("bad")).code, 2);
  });
});
