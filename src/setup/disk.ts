/**
 * Free disk space checks, so a full disk gives a clear message instead of a broken install.
 *
 * @module
 */
import * as fs from "node:fs";

/**
 * Free bytes on the file system holding `dir` (or its nearest existing parent).
 *
 * @param dir Any path.
 * @returns Bytes available to this user.
 */
export function freeBytes(dir: string): number {
  let probe = dir;
  while (!fs.existsSync(probe)) {
    const parent = probe.replace(/\/[^/]*\/?$/, "") || "/";
    if (parent === probe) break;
    probe = parent;
  }
  const s = fs.statfsSync(probe);
  return s.bavail * s.bsize;
}

/** Formats a byte count as GB with one decimal. */
export function formatGb(bytes: number): string {
  return `${(bytes / 1e9).toFixed(1)} GB`;
}
