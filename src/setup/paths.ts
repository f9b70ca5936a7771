/**
 * Where seqlab keeps things: the project root, the Python environment and the download cache.
 *
 * @module
 */
import * as os from "node:os";
import * as path from "node:path";

/** The project root: the folder holding seqlab's `package.json`. */
export const projectRoot: string = path.resolve(__dirname, "..", "..", "..");

/**
 * The Python virtual environment with JupyterLab, created by `seqlab setup`:
 * `.venv` in the project, or `$SEQLAB_VENV` when set.
 */
export const venvDir: string = process.env.SEQLAB_VENV ? path.resolve(process.env.SEQLAB_VENV) : path.join(projectRoot, ".venv");

/** The venv's Python interpreter. */
export const venvPython: string = path.join(venvDir, "bin", "python");

/** Returns the path of an executable inside the venv (`jupyter`, `pip`, ...). */
export function venvBin(name: string): string {
  return path.join(venvDir, "bin", name);
}

/**
 * The download cache shared by every clone on this machine, so a wheel is fetched once:
 * `$SEQLAB_CACHE_DIR`, else `$XDG_CACHE_HOME/seqlab`, else `~/.cache/seqlab`.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SEQLAB_CACHE_DIR) return path.resolve(env.SEQLAB_CACHE_DIR);
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(os.homedir(), ".cache");
  return path.join(base, "seqlab");
}

/** The folder of the installed `@tensorflow/tfjs-node` package. */
export function tfjsNodeDir(): string {
  return path.dirname(require.resolve("@tensorflow/tfjs-node/package.json", { paths: [projectRoot] }));
}

/** Notebooks shipped with the course. */
export const notebooksDir: string = path.join(projectRoot, "notebooks");

/** Where executed notebooks and HTML exports are written. */
export const outDir: string = path.join(projectRoot, "out");
