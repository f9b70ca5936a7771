import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkNode, formatCheck, runDoctor } from "../../../src/setup/doctor";
import { projectRoot } from "../../support/project";

const cli = path.join(projectRoot, "dist", "src", "cli.js");

describe("seqlab doctor", function () {
  this.timeout(180_000);

  it("checkNode() accepts Node 20 and rejects Node 18 with the fix", () => {
    assert.equal(checkNode("20.20.2").ok, true);
    const old = checkNode("18.19.0");
    assert.equal(old.ok, false);
    assert.match(formatCheck(old), /^FAIL {2}Node\.js: v18\.19\.0 is too old -> fix: install Node\.js 20 or newer$/);
  });

  it("runDoctor() reports every part of this installation healthy", () => {
    const results = runDoctor();
    assert.deepEqual(
      results.map((r) => r.name),
      ["Node.js", "TensorFlow backend", "Python environment", "Jupyter", "Kernel", "Plotly renderer", "Compiler", "Disk space"],
    );
    for (const r of results) assert.ok(r.ok, formatCheck(r));
    const tfLine = formatCheck(results[1]!);
    assert.match(tfLine, /^ok {4}TensorFlow backend: tensorflow, TensorFlow 2\.21\.\d+, tfjs-node 4\.22\.0$/);
  });

  it("`seqlab doctor` exits 0 and prints one line per part when healthy", () => {
    const r = spawnSync(process.execPath, [cli, "doctor"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stdout.split("\n").filter((l) => l.startsWith("ok    ")).length, 8, r.stdout);
    assert.match(r.stdout, /seqlab is healthy\./);
  });

  it("`seqlab doctor` reports a missing .venv with the fix and exits 1", () => {
    const missing = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-doctor-")), "deleted-venv");
    const r = spawnSync(process.execPath, [cli, "doctor"], { encoding: "utf8", env: { ...process.env, SEQLAB_VENV: missing } });
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /^FAIL {2}Python environment: deleted-venv\/ is missing -> fix: run `npm install`/m);
    assert.match(r.stdout, /^FAIL {2}Kernel: kernelspec "seqlab" is not registered -> fix: run `npm install`/m);
    assert.match(r.stdout, /^ok {4}TensorFlow backend/m);
    assert.match(r.stdout, /problem\(s\) found; apply the fixes above\./);
  });
});
