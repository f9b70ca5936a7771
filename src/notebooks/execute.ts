/**
 * Executing notebooks headlessly through the real kernel (nbclient) and exporting HTML
 * (nbconvert), by driving `execute_notebooks.py` inside `.venv`.
 *
 * @module
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import { projectRoot, venvPython } from "../setup/paths";
import type { NotebookJob } from "./discover";
import { SetupError } from "../setup/run";

/** How a notebook's run ended. */
export interface NotebookResult {
  /** The source notebook. */
  input: string;
  /** `ok`, or `failed` when a cell raised, timed out or the kernel died. */
  status: "ok" | "failed";
  /** Wall-clock seconds for execution and export. */
  seconds: number;
  /** The failing cell and its error, when one failed. */
  error: {
    cell?: number;
    execution_count?: number;
    source?: string;
    ename?: string;
    evalue?: string;
    traceback?: string[];
  } | null;
}

/** Options for {@link executeNotebooks}. */
export interface ExecuteOptions {
  /** Run the cells (otherwise only convert what is saved). @default true */
  execute?: boolean;
  /** Per-cell timeout in seconds. @default 1800 */
  timeout?: number;
  /** Kernel to use instead of the notebook's own. */
  kernel?: string;
  /** Keep going after a failing cell, recording its error output. @default false */
  allowErrors?: boolean;
  /** Extra environment for the kernel (e.g. `SEQLAB_QUICK=1`). */
  env?: NodeJS.ProcessEnv;
  /** Write the executed `.ipynb`. @default true */
  writeIpynb?: boolean;
  /** Write the `.html` export. @default true */
  writeHtml?: boolean;
  /**
   * Keep the notebook's own HTML and script in the `.html` export. Off by default: HTML from
   * outputs and markdown is sanitized and script outputs are dropped, so opening an export
   * never runs what the notebook carries (Plotly, Vega and MathJax still draw). Set it only
   * for notebooks you wrote yourself. @default false
   */
  trusted?: boolean;
  /** Called as each notebook finishes. */
  onResult?: (result: NotebookResult) => void;
}

/** plotly.js (minified, from plotly.js-dist-min), embedded once in each exported HTML file that has a plot. */
export function plotlyJsPath(): string {
  return require.resolve("plotly.js-dist-min/plotly.min.js", { paths: [projectRoot] });
}

/**
 * Runs the notebooks one after the other in a single Python process.
 *
 * @param jobs What to run and where to write.
 * @param options See {@link ExecuteOptions}.
 * @returns One result per notebook, in order.
 * @throws {Error} When `.venv` is missing (with the fix) or the runner itself crashes.
 */
export async function executeNotebooks(jobs: readonly NotebookJob[], options: ExecuteOptions = {}): Promise<NotebookResult[]> {
  if (!fs.existsSync(venvPython)) {
    throw new SetupError("the Python environment .venv is missing: run `npm install` first (`npm run doctor` checks the setup).");
  }
  const job = {
    notebooks: jobs.map((j) => ({
      input: j.input,
      ipynb: options.writeIpynb === false ? null : j.ipynb,
      html: options.writeHtml === false ? null : j.html,
    })),
    execute: options.execute ?? true,
    timeout: options.timeout ?? 1800,
    kernel: options.kernel ?? null,
    allow_errors: options.allowErrors ?? false,
    trusted: options.trusted ?? false,
    plotly_js: plotlyJsPath(),
    templates: path.join(projectRoot, "src", "notebooks", "templates"),
  };
  const script = path.join(projectRoot, "src", "notebooks", "execute_notebooks.py");
  const child = spawn(venvPython, [script], {
    cwd: projectRoot,
    env: { ...process.env, ...options.env, PYDEVD_DISABLE_FILE_VALIDATION: "1" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdin.end(JSON.stringify(job));
  const results: NotebookResult[] = [];
  const lines = readline.createInterface({ input: child.stdout });
  for await (const line of lines) {
    if (!line.trim().startsWith("{")) continue;
    const result = JSON.parse(line) as NotebookResult;
    results.push(result);
    options.onResult?.(result);
  }
  const code: number | null = await new Promise((resolve) => child.on("close", resolve));
  if (code !== 0 || results.length !== jobs.length) {
    throw new Error(`the notebook runner stopped (exit ${code}):\n${stderr.trim().split("\n").slice(-15).join("\n")}`);
  }
  return results;
}
