/**
 * A real JupyterLab server from `.venv` for browser tests, on a free localhost port.
 *
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { Page } from "playwright-core";
import { launchBrowser, type TestBrowser } from "./browser";
import { projectRoot } from "./project";

/** A running JupyterLab. */
export interface RunningLab {
  /** Base URL, e.g. `http://127.0.0.1:43123`. */
  baseUrl: string;
  /** The access token. */
  token: string;
  /** The root folder it serves. */
  root: string;
  /** Everything the server printed (for failure messages). */
  log(): string;
  /** Stops the server and its kernels. */
  stop(): Promise<void>;
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts JupyterLab on `root` with the seqlab kernel as the default, and waits until it answers.
 * The app is exposed as `window.jupyterapp` so tests can run its commands.
 *
 * @param root Folder to serve (copy notebooks into a temp folder to keep the repo clean).
 * @param options `renderAllCells`: turn off the notebook's windowing (`windowingMode: "none"`),
 *   so every cell's outputs are in the page, not only the cells in view; for tests that read
 *   outputs all over a long notebook.
 * @returns The running server.
 * @throws {Error} When it does not come up within 90 s.
 */
export async function startJupyterLab(root: string, options: { renderAllCells?: boolean } = {}): Promise<RunningLab> {
  const port = await freePort();
  const token = randomBytes(12).toString("hex");
  const jupyterDir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-lab-"));
  // Throwaway user settings and workspaces: no news prompt over the page, no tabs from earlier runs.
  const settingsDir = path.join(jupyterDir, "lab-settings");
  fs.mkdirSync(path.join(settingsDir, "@jupyterlab", "apputils-extension"), { recursive: true });
  fs.writeFileSync(path.join(settingsDir, "@jupyterlab", "apputils-extension", "notification.jupyterlab-settings"), JSON.stringify({ fetchNews: "false" }));
  if (options.renderAllCells) {
    fs.mkdirSync(path.join(settingsDir, "@jupyterlab", "notebook-extension"), { recursive: true });
    fs.writeFileSync(path.join(settingsDir, "@jupyterlab", "notebook-extension", "tracker.jupyterlab-settings"), JSON.stringify({ windowingMode: "none" }));
  }
  const child: ChildProcess = spawn(
    path.join(projectRoot, ".venv", "bin", "jupyter"),
    [
      "lab",
      "--no-browser",
      "--ServerApp.ip=127.0.0.1",
      `--ServerApp.port=${port}`,
      "--ServerApp.port_retries=0",
      `--IdentityProvider.token=${token}`,
      `--ServerApp.root_dir=${root}`,
      "--MappingKernelManager.default_kernel_name=seqlab",
      "--LabApp.news_url=",
      "--LabApp.expose_app_in_browser=True",
      "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
      ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        JUPYTER_RUNTIME_DIR: jupyterDir,
        JUPYTER_CONFIG_DIR: path.join(jupyterDir, "config"),
        JUPYTERLAB_SETTINGS_DIR: settingsDir,
        JUPYTERLAB_WORKSPACES_DIR: path.join(jupyterDir, "workspaces"),
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`JupyterLab exited early:\n${output}`);
    try {
      const res = await fetch(`${baseUrl}/api/status?token=${token}`);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`JupyterLab did not start within 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    baseUrl,
    token,
    root,
    log: () => output,
    async stop() {
      // The server and the kernels it started share one process group: stop them all.
      const group = (signal: NodeJS.Signals): void => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, signal);
        } catch {
          // already gone
        }
      };
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        group("SIGTERM");
        const timer = setTimeout(() => group("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      group("SIGKILL");
      child.stdout?.destroy();
      child.stderr?.destroy();
      fs.rmSync(jupyterDir, { recursive: true, force: true });
    },
  };
}

/** A JupyterLab and a browser page shared by the tests of one `describe` block. */
export interface LabSession {
  /** The running server. */
  lab(): RunningLab;
  /** The browser's page. */
  page(): Page;
  /** The folder JupyterLab serves. */
  root(): string;
}

/**
 * Registers `before`/`after` hooks in the calling `describe` block: writes `files` (name →
 * notebook JSON or text) into a fresh folder, starts JupyterLab on it and a headless Chromium,
 * and stops both and removes the folder afterwards.
 *
 * @param files The files to serve.
 * @param options `under`: the parent of the temporary folder (default the OS temp folder; a
 *   folder inside the project lets notebooks import `kernel-helpers`).
 * @returns Accessors valid inside the block's tests.
 */
export function useLab(files: () => Record<string, unknown>, options: { under?: string } = {}): LabSession {
  let root = "";
  let lab: RunningLab | undefined;
  let browser: TestBrowser | undefined;
  before(async () => {
    const under = options.under ?? os.tmpdir();
    fs.mkdirSync(under, { recursive: true });
    root = fs.mkdtempSync(path.join(under, ".seqlab-lab-"));
    for (const [name, content] of Object.entries(files())) {
      fs.writeFileSync(path.join(root, name), typeof content === "string" ? content : JSON.stringify(content, null, 1));
    }
    lab = await startJupyterLab(root);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await lab?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });
  return { lab: () => lab!, page: () => browser!.page, root: () => root };
}
