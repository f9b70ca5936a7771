import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { kernelsDirFor } from "../../../src/setup/kernelspec";
import { projectRoot, venvPython } from "../../support/project";

const cli = path.join(projectRoot, "dist", "src", "cli.js");

/** Starts the kernel registered under `dataDir` through jupyter_client and runs a cell. */
const RUN_CELL = `
import sys, jupyter_client
from jupyter_client.kernelspec import KernelSpecManager
ksm = KernelSpecManager()
print("spec dir:", ksm.get_kernel_spec("seqlab").resource_dir)
km, kc = jupyter_client.manager.start_new_kernel(kernel_name="seqlab", startup_timeout=120)
out = []
def hook(msg):
    if msg["msg_type"] == "stream": out.append(msg["content"]["text"])
    if msg["msg_type"] == "execute_result": out.append(msg["content"]["data"]["text/plain"])
kc.execute_interactive('const n: number = 6 * 7; console.log("answer", n);', output_hook=hook, timeout=120)
print("output:", "".join(out).strip())
kc.stop_channels(); km.shutdown_kernel(now=True)
`;

describe("seqlab install-kernel", function () {
  this.timeout(300_000);

  it("finds Jupyter's user, sys-prefix and prefix data folders", () => {
    assert.equal(kernelsDirFor({ kind: "prefix", dir: "/opt/env" }), path.join("/opt/env", "share", "jupyter", "kernels"));
    assert.equal(kernelsDirFor({ kind: "user" }, { JUPYTER_DATA_DIR: "/srv/jd" }), path.join("/srv/jd", "kernels"));
    if (process.platform === "linux") assert.equal(kernelsDirFor({ kind: "user" }, { XDG_DATA_HOME: "/home/u/.data" }), "/home/u/.data/jupyter/kernels");
    const venvPrefix = spawnSync(venvPython, ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8" }).stdout.trim();
    assert.equal(kernelsDirFor({ kind: "sys-prefix", python: venvPython }), path.join(venvPrefix, "share", "jupyter", "kernels"));
    assert.throws(() => kernelsDirFor({ kind: "sys-prefix", python: "/nonexistent/python" }), /--sys-prefix needs the Python of the Jupyter environment.*Pass --python/);
  });

  it("--prefix DIR registers a kernel another Jupyter starts and runs TypeScript in", () => {
    const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-prefix-"));
    const r = spawnSync(process.execPath, [cli, "install-kernel", "--prefix", prefix], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const dir = path.join(prefix, "share", "jupyter", "kernels", "seqlab");
    assert.match(r.stdout, new RegExp(`registered kernel "seqlab" \\("TypeScript \\(seqlab\\)"\\) in ${dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    const spec = JSON.parse(fs.readFileSync(path.join(dir, "kernel.json"), "utf8")) as { argv: string[]; display_name: string };
    assert.equal(spec.display_name, "TypeScript (seqlab)");
    // A Jupyter that only knows this prefix (JUPYTER_PATH) and not the project's .venv kernels.
    const env = { ...process.env, JUPYTER_PATH: path.join(prefix, "share", "jupyter"), JUPYTER_DATA_DIR: path.join(prefix, "user-data") };
    const run = spawnSync(venvPython, ["-c", RUN_CELL], { encoding: "utf8", env, cwd: projectRoot, timeout: 240_000 });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, new RegExp(`spec dir: ${dir.replace(/[.*+?^\${}()|[\]\\]/g, "\\$&")}$`, "m"), "the kernel came from the prefix");
    assert.match(run.stdout, /output: answer 42/);
    fs.rmSync(prefix, { recursive: true, force: true });
  });

  it("rejects two targets at once, naming the choices", () => {
    const r = spawnSync(process.execPath, [cli, "install-kernel", "--user", "--prefix", "/tmp/x"], { encoding: "utf8" });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /install-kernel takes one of --user, --sys-prefix, --prefix <dir>/);
  });
});
