/**
 * Registers the seqlab kernel with the Jupyter inside `.venv` (never the user's global
 * Jupyter): `.venv/share/jupyter/kernels/seqlab/kernel.json`.
 *
 * @module
 */
import * as fs from "node:fs";
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
