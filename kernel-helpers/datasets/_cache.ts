/**
 * Internal: where datasets keep what is expensive to rebuild.
 *
 * The cache folder is `$SEQLAB_CACHE_DIR`, else `$XDG_CACHE_HOME/seqlab`, else
 * `~/.cache/seqlab` (the same rule as the project's download cache); each dataset uses a
 * sub-folder `datasets/<name>`. Deleting the folder is always safe: it is rebuilt on the
 * next load. Writes are atomic (temporary file, then rename) and a cache that cannot be
 * written is skipped silently: the data is then rebuilt on each load.
 *
 * @module
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The seqlab cache folder: `$SEQLAB_CACHE_DIR`, else `$XDG_CACHE_HOME/seqlab`, else `~/.cache/seqlab`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SEQLAB_CACHE_DIR) return path.resolve(env.SEQLAB_CACHE_DIR);
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(os.homedir(), ".cache");
  return path.join(base, "seqlab");
}

/** The cache folder of one dataset: `<cacheDir>/datasets/<name>` (not created). */
export function datasetCacheDir(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheDir(env), "datasets", name);
}

/** Reads a cached file, or `null` when it is absent or unreadable. */
export function readCache(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch {
    return null;
  }
}

/** Writes a cache file atomically; returns false (and leaves no partial file) on failure. */
export function writeCache(file: string, data: Buffer | string): boolean {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
    return true;
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing to clean
    }
    return false;
  }
}
