/**
 * Registers the seqlab kernel with the Jupyter inside `.venv` (never the user's global
 * Jupyter): `.venv/share/jupyter/kernels/seqlab/kernel.json`; and, on request
 * (`seqlab install-kernel`), into any other Jupyter environment.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectRoot, venvDir } from "./paths";

/** The kernel's name, as notebooks' `kernelspec.name` refers to it. */
export const KERNEL_NAME = "seqlab";

/** The name JupyterLab shows in its launcher and kernel picker. */
export const KERNEL_DISPLAY_NAME = "TypeScript (seqlab)";

/** The folder holding `kernel.json`. */
export const kernelSpecDir: string = path.join(venvDir, "share", "jupyter", "kernels", KERNEL_NAME);

/** The kernel process' entry point. */
export const kernelMain: string = path.join(projectRoot, "dist", "src", "kernel", "main.js");

/** The content of Jupyter's `kernel.json` for seqlab. */
export interface KernelSpec {
  /** Command line; `{connection_file}` is filled in by Jupyter. */
  argv: string[];
  /** Name shown in JupyterLab. */
  display_name: string;
  /** Language of the cells. */
  language: string;
  /** How Jupyter interrupts the kernel: a SIGINT. */
  interrupt_mode: "signal";
  /** Extra metadata. */
  metadata: Record<string, unknown>;
}

/**
 * The kernelspec this checkout should have.
 *
 * @returns `kernel.json`'s content, launching this Node with this checkout's kernel.
 */
export function expectedKernelSpec(): KernelSpec {
  return {
    argv: [process.execPath, kernelMain, "--config-path", "{connection_file}"],
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
    interrupt_mode: "signal",
    metadata: { debugger: false },
  };
}

/**
 * Writes the kernelspec when it differs from the expected one.
 *
 * @param log Progress printer.
 */
export function ensureKernelSpec(log: (line: string) => void): void {
  const file = path.join(kernelSpecDir, "kernel.json");
  const wanted = JSON.stringify(expectedKernelSpec(), null, 2) + "\n";
  if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === wanted) {
    log(`kernel "${KERNEL_NAME}" already registered in ${path.basename(venvDir)}/`);
    return;
  }
  fs.mkdirSync(kernelSpecDir, { recursive: true });
  fs.writeFileSync(file, wanted);
  log(`registered kernel "${KERNEL_NAME}" ("${KERNEL_DISPLAY_NAME}") in ${path.relative(projectRoot, kernelSpecDir)}`);
}

/** Where `seqlab install-kernel` registers the kernel (Jupyter's own three choices). */
export type KernelInstallTarget = { kind: "user" } | { kind: "sys-prefix"; python: string } | { kind: "prefix"; dir: string };

/**
 * The `kernels/` folder of a Jupyter data directory for a target, as Jupyter resolves it:
 * `--user` is `$JUPYTER_DATA_DIR`, else `$XDG_DATA_HOME/jupyter`, else `~/.local/share/jupyter`
 * (`~/Library/Jupyter` on macOS); `--sys-prefix` is `<sys.prefix of the Python>/share/jupyter`;
 * `--prefix DIR` is `DIR/share/jupyter`.
 *
 * @param target Where to install.
 * @param env The environment (for the user data directory).
 * @returns The folder that will hold `seqlab/kernel.json`.
 * @throws {Error} When the Python of `--sys-prefix` cannot be run.
 * @example
 * ```ts
 * kernelsDirFor({ kind: "prefix", dir: "/opt/conda" }); // "/opt/conda/share/jupyter/kernels"
 * ```
 */
export function kernelsDirFor(target: KernelInstallTarget, env: NodeJS.ProcessEnv = process.env): string {
  if (target.kind === "prefix") return path.join(path.resolve(target.dir), "share", "jupyter", "kernels");
  if (target.kind === "sys-prefix") {
    const r = spawnSync(target.python, ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`--sys-prefix needs the Python of the Jupyter environment; could not run ${target.python} (${r.error?.message ?? r.stderr.trim()}). Pass --python <path>.`);
    return path.join(r.stdout.trim(), "share", "jupyter", "kernels");
  }
  if (env.JUPYTER_DATA_DIR) return path.join(path.resolve(env.JUPYTER_DATA_DIR), "kernels");
  if (process.platform === "darwin") return path.join(os.homedir(), "Library", "Jupyter", "kernels");
  const base = env.XDG_DATA_HOME ? path.resolve(env.XDG_DATA_HOME) : path.join(os.homedir(), ".local", "share");
  return path.join(base, "jupyter", "kernels");
}

/**
 * Registers the seqlab kernel (this checkout's Node and kernel) in any Jupyter environment: a
 * JupyterHub single-user image, a shared conda environment, a user's own Jupyter.
 *
 * @param target Where to install.
 * @returns The `kernel.json` written.
 * @throws {Error} When the kernel is not built (`npm install` first) or the folder is not writable.
 * @example
 * ```ts
 * installKernelSpec({ kind: "sys-prefix", python: "/opt/conda/bin/python" });
 * ```
 */
export function installKernelSpec(target: KernelInstallTarget): string {
  if (!fs.existsSync(kernelMain)) throw new Error(`the kernel is not built (${path.relative(process.cwd(), kernelMain)} is missing): run \`npm install\` in the seqlab folder first.`);
  const dir = path.join(kernelsDirFor(target), KERNEL_NAME);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "kernel.json");
  fs.writeFileSync(file, JSON.stringify(expectedKernelSpec(), null, 2) + "\n");
  return file;
}
