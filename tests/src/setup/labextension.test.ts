import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkPlotlyRenderer } from "../../../src/setup/doctor";
import {
  LABEXTENSION_NAME,
  PLOTLY_WHEEL_RENDERER_ID,
  RENDERER_PLUGIN_ID,
  expectedLabextension,
  labextensionDir,
  rendererStatus,
  staleLabextensionFiles,
} from "../../../src/setup/labextension";
import { projectRoot } from "../../support/project";

describe("seqlab's JupyterLab extension (setup)", function () {
  this.timeout(180_000);

  it("expectedLabextension() is a federated mime extension that replaces plotly's renderer, with a content-hashed remote entry", () => {
    const { files, plotlyFile } = expectedLabextension();
    const pkg = JSON.parse(files.get("package.json")!.toString()) as {
      name: string;
      jupyterlab: { mimeExtension: boolean; disabledExtensions: string[]; _build: { load: string; mimeExtension: string } };
    };
    assert.equal(pkg.name, LABEXTENSION_NAME);
    assert.deepEqual(pkg.jupyterlab.disabledExtensions, [PLOTLY_WHEEL_RENDERER_ID]);
    assert.equal(pkg.jupyterlab._build.mimeExtension, "./mimeExtension");
    assert.match(pkg.jupyterlab._build.load, /^static\/remoteEntry\.[0-9a-f]{16}\.js$/);
    const script = files.get(pkg.jupyterlab._build.load)!.toString();
    assert.ok(script.includes(`const NAME = "${LABEXTENSION_NAME}"`), "the script registers the container under the package name");
    assert.ok(script.includes(`\${NAME}:factory`) && RENDERER_PLUGIN_ID === `${LABEXTENSION_NAME}:factory`);
    assert.doesNotMatch(script, /__PLOTLY_VERSION__|sourceMappingURL|require\(|exports\./, "a self-contained browser script");
    assert.ok(script.includes('"application/vnd.plotly.v1+json"'));
    assert.ok(fs.statSync(plotlyFile).size > 1e6, "plotly.min.js from plotly.js-dist-min");
  });

  it("is installed and current in .venv, and JupyterLab's page config loads it instead of plotly's renderer", () => {
    assert.deepEqual(staleLabextensionFiles(), []);
    assert.ok(fs.existsSync(path.join(labextensionDir(), "static", "plotly.min.js")));
    assert.deepEqual(rendererStatus(), { listed: true, wheelRendererDisabled: true, ourRendererDisabled: false });
    assert.equal(checkPlotlyRenderer().ok, true, checkPlotlyRenderer().detail);
  });

  it("staleLabextensionFiles() lists every file for an environment without the extension", () => {
    const venv = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-venv-"));
    try {
      const stale = staleLabextensionFiles(venv);
      assert.deepEqual(stale.filter((f) => !f.startsWith("static/remoteEntry.")), ["package.json", "install.json", "static/plotly.min.js"]);
      assert.equal(stale.length, 4);
    } finally {
      fs.rmSync(venv, { recursive: true, force: true });
    }
  });

  it("`seqlab doctor` names the missing renderer and the fix", () => {
    const venv = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-venv-"));
    try {
      const r = spawnSync(process.execPath, [path.join(projectRoot, "dist", "src", "cli.js"), "doctor"], { encoding: "utf8", env: { ...process.env, SEQLAB_VENV: venv } });
      assert.equal(r.status, 1);
      assert.match(r.stdout, /^FAIL {2}Plotly renderer: JupyterLab extension seqlab-plotly-renderer is missing or outdated \(package\.json, .*\) -> fix: run `npm install`/m);
    } finally {
      fs.rmSync(venv, { recursive: true, force: true });
    }
  });
});
