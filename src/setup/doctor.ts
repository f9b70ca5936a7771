/**
 * `seqlab doctor`: checks each part of the installation and prints one line per part,
 * with the fix for anything broken.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { freeBytes, formatGb } from "./disk";
import { expectedKernelSpec, kernelSpecDir, KERNEL_NAME } from "./kernelspec";
import { LABEXTENSION_NAME, PLOTLY_WHEEL_RENDERER_ID, labextensionDir, rendererStatus, staleLabextensionFiles } from "./labextension";
import { cacheDir, projectRoot, venvDir, venvPython } from "./paths";
import { runCommand } from "./run";
import { probeTensorflow } from "./tensorflow";
import { installedPythonVersions, pinnedRequirements } from "./venv";

/** The verdict on one part of the installation. */
export interface CheckResult {
  /** The part, e.g. "TensorFlow backend". */
  name: string;
  /** Whether it is healthy. */
  ok: boolean;
  /** What was found. */
  detail: string;
  /** What to do when it is not healthy. */
  fix?: string;
}

const REINSTALL = "run `npm install` (or `npm run seqlab -- setup`) in the project folder";

/** Node.js must be 20 or newer. */
export function checkNode(version: string = process.versions.node): CheckResult {
  const major = Number(version.split(".")[0]);
  return major >= 20
    ? { name: "Node.js", ok: true, detail: `v${version}` }
    : { name: "Node.js", ok: false, detail: `v${version} is too old`, fix: "install Node.js 20 or newer" };
}

/** tfjs-node must load with the native `tensorflow` backend. */
export function checkTensorflow(): CheckResult {
  const p = probeTensorflow();
  return p.ok
    ? { name: "TensorFlow backend", ok: true, detail: `${p.backend}, TensorFlow ${p.tfVersion}, tfjs-node ${p.tfjsNodeVersion}` }
    : { name: "TensorFlow backend", ok: false, detail: p.error ?? `backend is ${p.backend}`, fix: REINSTALL };
}

/** `.venv` must exist and its Python must run. */
export function checkVenv(): CheckResult {
  if (!fs.existsSync(venvPython)) {
    return { name: "Python environment", ok: false, detail: `${path.basename(venvDir)}/ is missing`, fix: REINSTALL };
  }
  const r = runCommand(venvPython, ["--version"]);
  return r.status === 0
    ? { name: "Python environment", ok: true, detail: `${path.basename(venvDir)}/ with ${r.stdout.trim()}` }
    : { name: "Python environment", ok: false, detail: `${venvPython} does not run`, fix: `delete ${path.basename(venvDir)}/ and ${REINSTALL}` };
}

/** The Jupyter packages must be installed at their pinned versions. */
export function checkJupyter(): CheckResult {
  const pins = pinnedRequirements();
  const have = installedPythonVersions();
  const wrong = Object.entries(pins)
    .filter(([n]) => n !== "plotly")
    .filter(([n, v]) => have[n] !== v)
    .map(([n, v]) => `${n} ${have[n] ?? "missing"} (want ${v})`);
  const detail = ["jupyterlab", "nbconvert", "nbclient", "nbformat"].map((n) => `${n} ${have[n] ?? "missing"}`).join(", ");
  return wrong.length === 0
    ? { name: "Jupyter", ok: true, detail }
    : { name: "Jupyter", ok: false, detail: wrong.join(", "), fix: REINSTALL };
}

/** The `seqlab` kernelspec must be registered in `.venv` and point at this checkout. */
export function checkKernelSpec(): CheckResult {
  const file = path.join(kernelSpecDir, "kernel.json");
  if (!fs.existsSync(file)) {
    return { name: "Kernel", ok: false, detail: `kernelspec "${KERNEL_NAME}" is not registered`, fix: REINSTALL };
  }
  const spec = JSON.parse(fs.readFileSync(file, "utf8")) as { argv?: string[]; display_name?: string };
  const expected = expectedKernelSpec();
  const main = spec.argv?.[1];
  if (JSON.stringify(spec.argv) !== JSON.stringify(expected.argv) || !main || !fs.existsSync(main)) {
    return { name: "Kernel", ok: false, detail: `kernelspec "${KERNEL_NAME}" points elsewhere (${spec.argv?.slice(0, 2).join(" ")})`, fix: REINSTALL };
  }
  return { name: "Kernel", ok: true, detail: `"${spec.display_name}" (${KERNEL_NAME}) in ${path.relative(projectRoot, kernelSpecDir)}` };
}

/**
 * seqlab's Plotly renderer must be installed, current and enabled in `.venv`'s JupyterLab,
 * with the renderer of plotly's wheel (which never redraws updated displays) disabled.
 */
export function checkPlotlyRenderer(): CheckResult {
  const name = "Plotly renderer";
  let stale: string[];
  try {
    stale = staleLabextensionFiles();
  } catch (err) {
    return { name, ok: false, detail: (err as Error).message, fix: REINSTALL };
  }
  if (stale.length > 0) {
    const where = path.relative(projectRoot, labextensionDir());
    return { name, ok: false, detail: `JupyterLab extension ${LABEXTENSION_NAME} is missing or outdated (${stale.join(", ")} in ${where})`, fix: REINSTALL };
  }
  const status = rendererStatus();
  if ("error" in status) return { name, ok: false, detail: `JupyterLab in ${path.basename(venvDir)}/ could not report its extensions: ${status.error}`, fix: REINSTALL };
  if (!status.listed) return { name, ok: false, detail: `JupyterLab does not list ${LABEXTENSION_NAME}`, fix: REINSTALL };
  if (status.ourRendererDisabled) {
    return { name, ok: false, detail: `${LABEXTENSION_NAME} is disabled in JupyterLab's configuration`, fix: `run \`.venv/bin/jupyter labextension enable ${LABEXTENSION_NAME}\`` };
  }
  if (!status.wheelRendererDisabled) {
    return { name, ok: false, detail: `plotly's own renderer ${PLOTLY_WHEEL_RENDERER_ID} is enabled too (it never redraws updated displays)`, fix: REINSTALL };
  }
  const plotly = installedPythonVersions().plotly;
  return { name, ok: true, detail: `${LABEXTENSION_NAME} (redraws updated displays)${plotly ? `; plotly ${plotly}'s renderer disabled` : ""}` };
}

/** A C++ compiler and make must be present to build native parts. */
export function checkCompiler(): CheckResult {
  const gpp = runCommand("g++", ["--version"]);
  const make = runCommand("make", ["--version"]);
  return gpp.status === 0 && make.status === 0
    ? { name: "Compiler", ok: true, detail: gpp.stdout.split("\n")[0] ?? "g++" }
    : { name: "Compiler", ok: false, detail: "g++ or make is missing", fix: "install them (Debian/Ubuntu: `sudo apt-get install g++ make`)" };
}

/** At least 1 GB should be free for caches and outputs. */
export function checkDisk(): CheckResult {
  const free = Math.min(freeBytes(projectRoot), freeBytes(cacheDir()));
  return free >= 1e9
    ? { name: "Disk space", ok: true, detail: `${formatGb(free)} free` }
    : { name: "Disk space", ok: false, detail: `only ${formatGb(free)} free`, fix: "free at least 1 GB (or set SEQLAB_CACHE_DIR to a larger disk)" };
}

/**
 * Runs every check.
 *
 * @returns One result per part, in a fixed order.
 */
export function runDoctor(): CheckResult[] {
  return [checkNode(), checkTensorflow(), checkVenv(), checkJupyter(), checkKernelSpec(), checkPlotlyRenderer(), checkCompiler(), checkDisk()];
}

/**
 * Formats a result as one line: `ok   Name: detail` or `FAIL Name: detail -> fix: ...`.
 *
 * @param r A check result.
 * @returns The line.
 */
export function formatCheck(r: CheckResult): string {
  return r.ok ? `ok    ${r.name}: ${r.detail}` : `FAIL  ${r.name}: ${r.detail} -> fix: ${r.fix ?? REINSTALL}`;
}
