/**
 * The Python virtual environment `.venv` with pinned JupyterLab, nbconvert, nbclient,
 * nbformat and plotly.
 *
 * @module
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { venvBin, venvDir, venvPython } from "./paths";
import { runCommand, SetupError } from "./run";

/** The requirements file shipped next to this module's source. */
export const requirementsFile: string = path.join(__dirname, "..", "..", "..", "src", "setup", "requirements.txt");

/** A stamp inside the venv recording which requirements were installed. */
const stampFile = (): string => path.join(venvDir, ".seqlab-requirements.sha256");

function requirementsHash(): string {
  return crypto.createHash("sha256").update(fs.readFileSync(requirementsFile)).digest("hex");
}

/**
 * Creates `.venv` (if missing) and installs the pinned requirements (if they changed).
 *
 * pip is told not to retry unreachable indexes (`--retries 0 --timeout 15`), which keeps an
 * offline mirror setup fast and is harmless elsewhere.
 *
 * @param log Progress printer.
 * @throws {SetupError} When python3's venv module is missing or pip fails.
 */
export function ensureVenv(log: (line: string) => void): void {
  if (!fs.existsSync(venvPython)) {
    log(`creating the Python environment ${path.basename(venvDir)}/`);
    const made = runCommand("python3", ["-m", "venv", venvDir]);
    if (made.error) {
      throw new SetupError("python3 was not found. Install Python 3.9 or newer (Debian/Ubuntu: `sudo apt-get install python3 python3-venv`).");
    }
    if (made.status !== 0 || !fs.existsSync(venvPython)) {
      fs.rmSync(venvDir, { recursive: true, force: true });
      throw new SetupError(
        "python3 could not create a virtual environment: the venv module or ensurepip is missing. " +
          "Install it (Debian/Ubuntu: `sudo apt-get install python3-venv`) and run `npm install` again.\n" +
          made.stderr.trim(),
      );
    }
  }
  const hash = requirementsHash();
  if (fs.existsSync(stampFile()) && fs.readFileSync(stampFile(), "utf8").trim() === hash) {
    log("Python requirements already installed");
    return;
  }
  log(`installing ${path.relative(process.cwd(), requirementsFile) || requirementsFile} into ${path.basename(venvDir)}/ (JupyterLab, nbconvert, nbclient, plotly)`);
  const pip = runCommand(
    venvBin("pip"),
    ["install", "--disable-pip-version-check", "--retries", "0", "--timeout", "15", "-q", "-r", requirementsFile],
  );
  if (pip.status !== 0) {
    const tail = (pip.stderr + pip.stdout).trim().split("\n").filter((l) => !l.startsWith("WARNING: Location")).slice(-10).join("\n");
    throw new SetupError(
      tail + "\n" +
      "pip could not install the Python requirements. Check network access to a package index " +
        "(`pip config list`) and free disk space, then run `npm install` again.",
    );
  }
  fs.writeFileSync(stampFile(), hash + "\n");
}

/**
 * Reads the installed versions of the Python packages seqlab pins.
 *
 * @returns Package name → version, for those importable in `.venv`.
 */
export function installedPythonVersions(): Record<string, string> {
  const names = [...new Set([...Object.keys(pinnedRequirements()), "jupyterlab", "nbconvert", "nbclient", "nbformat", "plotly", "jupyter_client"])];
  const script =
    "import json, importlib.metadata as m\n" +
    "out = {}\n" +
    `for n in ${JSON.stringify(names)}:\n` +
    "    try: out[n] = m.version(n)\n" +
    "    except Exception: pass\n" +
    "print(json.dumps(out))";
  const r = runCommand(venvPython, ["-c", script]);
  if (r.status !== 0) return {};
  return JSON.parse(r.stdout) as Record<string, string>;
}

/**
 * Parses `requirements.txt` into name → pinned version.
 *
 * @returns The pins.
 */
export function pinnedRequirements(): Record<string, string> {
  const pins: Record<string, string> = {};
  for (const line of fs.readFileSync(requirementsFile, "utf8").split("\n")) {
    const m = /^\s*([A-Za-z0-9_.-]+)==([^\s#]+)/.exec(line);
    if (m) pins[m[1]!.toLowerCase()] = m[2]!;
  }
  return pins;
}
