import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { kernelSpecDir } from "../../../src/setup/kernelspec";
import { projectRoot } from "../../support/project";

describe("seqlab setup", function () {
  this.timeout(300_000);

  it("a second `seqlab setup` finds everything in place and changes nothing", () => {
    const spec = path.join(kernelSpecDir, "kernel.json");
    const before = fs.statSync(spec).mtimeMs;
    const r = spawnSync(process.execPath, [path.join(projectRoot, "dist", "src", "cli.js"), "setup"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /1\/6 build the TypeScript/);
    assert.match(r.stdout, /tfjs-node 4\.22\.0 already loads: backend tensorflow, TensorFlow 2\.21/);
    assert.match(r.stdout, /fused recurrent kernels up to date/);
    assert.match(r.stdout, /Python requirements already installed/);
    assert.match(r.stdout, /kernel "seqlab" already registered/);
    assert.match(r.stdout, /JupyterLab extension seqlab-plotly-renderer already installed/);
    assert.doesNotMatch(r.stdout, /download|extracting|compiling/i);
    assert.equal(fs.statSync(spec).mtimeMs, before);
  });

  it("registers the kernel inside .venv with Jupyter's own view of it", () => {
    const r = spawnSync(path.join(projectRoot, ".venv", "bin", "jupyter"), ["kernelspec", "list", "--json"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const specs = (JSON.parse(r.stdout) as { kernelspecs: Record<string, { resource_dir: string; spec: { display_name: string; language: string } }> }).kernelspecs;
    const seqlab = specs.seqlab;
    assert.ok(seqlab, `no seqlab kernel in ${Object.keys(specs).join(", ")}`);
    assert.equal(seqlab.spec.display_name, "TypeScript (seqlab)");
    assert.equal(seqlab.spec.language, "typescript");
    assert.ok(path.resolve(seqlab.resource_dir).startsWith(path.join(projectRoot, ".venv")), seqlab.resource_dir);
  });
});
