/**
 * seqlab's JupyterLab extension: the Plotly renderer that redraws live displays, installed
 * as a prebuilt federated extension into `.venv/share/jupyter/labextensions/` — no Node or
 * webpack build at the user's side, nothing fetched.
 *
 * What gets installed (folder {@link LABEXTENSION_NAME}):
 * - `package.json` with `jupyterlab._build` (how JupyterLab loads it: a `load` script and a
 *   `./mimeExtension` module) and `jupyterlab.disabledExtensions` naming the renderer of
 *   plotly's wheel, so exactly one renderer owns `application/vnd.plotly.v1+json`;
 * - `static/remoteEntry.<hash>.js`: `dist/src/labextension/remote-entry.js` (compiled from
 *   `src/labextension/remote-entry.ts`), named by its content hash so browsers never use a
 *   stale copy;
 * - `static/plotly.min.js`: from the `plotly.js-dist-min` npm dependency.
 *
 * @module
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { projectRoot, venvDir, venvPython } from "./paths";
import { runCommand, SetupError } from "./run";

/** The extension's package name, as JupyterLab lists it (`jupyter labextension list`). */
export const LABEXTENSION_NAME = "seqlab-plotly-renderer";

/** The plugin id of the renderer in plotly's wheel (`jupyterlab-plotly`), which ours replaces. */
export const PLOTLY_WHEEL_RENDERER_ID = "@jupyterlab/plotly-extension:factory";

/** Our renderer's plugin id. */
export const RENDERER_PLUGIN_ID = `${LABEXTENSION_NAME}:factory`;

/**
 * Where JupyterLab in `.venv` finds the extension.
 *
 * @param venv The Python environment. @default `.venv` (or `$SEQLAB_VENV`)
 * @returns The extension's folder.
 * @example
 * ```ts
 * labextensionDir(); // ".../.venv/share/jupyter/labextensions/seqlab-plotly-renderer"
 * ```
 */
export function labextensionDir(venv: string = venvDir): string {
  return path.join(venv, "share", "jupyter", "labextensions", LABEXTENSION_NAME);
}

/** The compiled browser script (see `src/labextension/remote-entry.ts`). */
const remoteEntrySource = (): string => path.join(projectRoot, "dist", "src", "labextension", "remote-entry.js");

function plotlyDist(): { file: string; version: string } {
  const pkg = require.resolve("plotly.js-dist-min/package.json", { paths: [projectRoot] });
  const version = (JSON.parse(fs.readFileSync(pkg, "utf8")) as { version: string }).version;
  return { file: path.join(path.dirname(pkg), "plotly.min.js"), version };
}

/** The files the extension folder must hold: relative path → content. */
export interface LabextensionFiles {
  /** Relative path → file content. */
  files: Map<string, Buffer>;
  /** The plotly.js file to copy to `static/plotly.min.js`. */
  plotlyFile: string;
}

/**
 * Computes what {@link ensureLabextension} installs, from the build and node_modules.
 *
 * @returns The files and the plotly.js file to copy.
 * @throws {SetupError} When the TypeScript build or `plotly.js-dist-min` is missing.
 * @example
 * ```ts
 * [...expectedLabextension().files.keys()]; // ["package.json", "install.json", "static/remoteEntry.<hash>.js"]
 * ```
 */
export function expectedLabextension(): LabextensionFiles {
  if (!fs.existsSync(remoteEntrySource())) {
    throw new SetupError(`${path.relative(projectRoot, remoteEntrySource())} is missing: the TypeScript build did not run. Run \`npm install\` again.`);
  }
  let plotly: { file: string; version: string };
  try {
    plotly = plotlyDist();
  } catch {
    throw new SetupError("the npm package plotly.js-dist-min is missing: run `npm install` in the project folder.");
  }
  const script = fs
    .readFileSync(remoteEntrySource(), "utf8")
    .replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n")
    .replace("__PLOTLY_VERSION__", plotly.version);
  const hash = crypto.createHash("sha256").update(script).digest("hex").slice(0, 16);
  const load = `static/remoteEntry.${hash}.js`;
  const pkg = {
    name: LABEXTENSION_NAME,
    version: "0.1.0",
    description: "Plotly figures that redraw when a display is updated (live training curves); installed by seqlab setup.",
    license: "MIT",
    jupyterlab: {
      mimeExtension: true,
      disabledExtensions: [PLOTLY_WHEEL_RENDERER_ID],
      _build: { load, mimeExtension: "./mimeExtension" },
    },
  };
  const install = { packageManager: "npm", packageName: "seqlab", uninstallInstructions: "installed by `npm install` in the seqlab project (seqlab setup)" };
  const files = new Map<string, Buffer>([
    ["package.json", Buffer.from(JSON.stringify(pkg, null, 2) + "\n")],
    ["install.json", Buffer.from(JSON.stringify(install, null, 2) + "\n")],
    [load, Buffer.from(script)],
  ]);
  return { files, plotlyFile: plotly.file };
}

function sameContent(file: string, content: Buffer): boolean {
  return fs.existsSync(file) && fs.readFileSync(file).equals(content);
}

/**
 * Which of the extension's files are missing or differ from what setup would write.
 *
 * @param venv The Python environment. @default `.venv` (or `$SEQLAB_VENV`)
 * @returns Relative paths of stale files (empty when the extension is current).
 * @throws {SetupError} As {@link expectedLabextension}.
 * @example
 * ```ts
 * staleLabextensionFiles(); // [] after `npm install`
 * ```
 */
export function staleLabextensionFiles(venv: string = venvDir): string[] {
  const dir = labextensionDir(venv);
  const { files, plotlyFile } = expectedLabextension();
  const stale = [...files].filter(([rel, content]) => !sameContent(path.join(dir, rel), content)).map(([rel]) => rel);
  const plotly = path.join(dir, "static", "plotly.min.js");
  if (!sameContent(plotly, fs.readFileSync(plotlyFile))) stale.push("static/plotly.min.js");
  return stale;
}

/**
 * Installs or refreshes the extension in `.venv` (idempotent: untouched when current).
 *
 * @param log Progress printer.
 * @throws {SetupError} When the build output or plotly.js is missing, or `.venv` has no JupyterLab.
 * @example
 * ```ts
 * ensureLabextension(console.log); // "JupyterLab extension seqlab-plotly-renderer already installed"
 * ```
 */
export function ensureLabextension(log: (line: string) => void): void {
  const dir = labextensionDir();
  if (!fs.existsSync(path.join(venvDir, "share", "jupyter"))) {
    throw new SetupError(`${path.basename(venvDir)}/ has no Jupyter data folder: the Python environment step did not finish. Run \`npm install\` again.`);
  }
  const stale = staleLabextensionFiles();
  if (stale.length === 0) {
    log(`JupyterLab extension ${LABEXTENSION_NAME} already installed`);
    return;
  }
  const { files, plotlyFile } = expectedLabextension();
  fs.mkdirSync(path.join(dir, "static"), { recursive: true });
  for (const old of fs.readdirSync(path.join(dir, "static"))) {
    if (/^remoteEntry\..*\.js$/.test(old) && !files.has(`static/${old}`)) fs.rmSync(path.join(dir, "static", old));
  }
  for (const [rel, content] of files) fs.writeFileSync(path.join(dir, rel), content);
  fs.copyFileSync(plotlyFile, path.join(dir, "static", "plotly.min.js"));
  const where = path.relative(projectRoot, dir).startsWith("..") ? dir : path.relative(projectRoot, dir);
  log(`installed JupyterLab extension ${LABEXTENSION_NAME} in ${where} (Plotly figures redraw on display updates; replaces ${PLOTLY_WHEEL_RENDERER_ID})`);
}

/** What JupyterLab's page configuration says about the Plotly renderers. */
export interface RendererStatus {
  /** Whether JupyterLab lists our extension among its federated extensions. */
  listed: boolean;
  /** Whether plotly's own renderer plugin is disabled. */
  wheelRendererDisabled: boolean;
  /** Whether our renderer plugin is disabled (by the user's config). */
  ourRendererDisabled: boolean;
}

/**
 * Asks JupyterLab in `.venv` (its own page-config code) which extensions a page would load.
 *
 * @returns The status, or an error message when `.venv`'s Python could not answer.
 * @example
 * ```ts
 * rendererStatus(); // { listed: true, wheelRendererDisabled: true, ourRendererDisabled: false }
 * ```
 */
export function rendererStatus(): RendererStatus | { error: string } {
  const script =
    "import json\n" +
    "from jupyter_core.paths import jupyter_path\n" +
    "from jupyterlab_server.config import get_page_config\n" +
    "pc = get_page_config(jupyter_path('labextensions'), logger=None)\n" +
    "print(json.dumps({'federated': [e['name'] for e in pc.get('federated_extensions', [])], 'disabled': list(pc.get('disabledExtensions', []))}))";
  const r = runCommand(venvPython, ["-c", script], { timeoutMs: 60_000 });
  if (r.status !== 0) return { error: (r.error?.message ?? r.stderr.trim().split("\n").pop() ?? "python failed").slice(0, 300) };
  const { federated, disabled } = JSON.parse(r.stdout) as { federated: string[]; disabled: string[] };
  const isDisabled = (id: string): boolean => disabled.some((d) => d === id || d === id.slice(0, id.indexOf(":")));
  return {
    listed: federated.includes(LABEXTENSION_NAME),
    wheelRendererDisabled: isDisabled(PLOTLY_WHEEL_RENDERER_ID),
    ourRendererDisabled: isDisabled(RENDERER_PLUGIN_ID) || disabled.includes(LABEXTENSION_NAME),
  };
}
