import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

/** Asserts two nested numeric arrays are equal within `tol` (NaN equals NaN). */
export function assertClose(actual: unknown, expected: unknown, tol = 1e-9, where = "value"): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: expected an array, got ${JSON.stringify(actual)}`);
    assert.equal((actual as unknown[]).length, expected.length, `${where}: length`);
    expected.forEach((e, i) => assertClose((actual as unknown[])[i], e, tol, `${where}[${i}]`));
    return;
  }
  const a = actual as number;
  const e = expected as number;
  if (Number.isNaN(e)) return assert.ok(Number.isNaN(a), `${where}: expected NaN, got ${a}`);
  if (!Number.isFinite(e)) return assert.equal(a, e, where);
  assert.ok(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)), `${where}: expected ${e}, got ${a}`);
}

/** The project root (tests run from dist/tests/...). */
export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json")) || path.basename(dir) === "dist") dir = path.dirname(dir);
  return dir;
}

/** The lesson's AAPL data folder, or null when absent (tests then skip). */
export function lessonDataDir(): string | null {
  const dir = path.resolve(projectRoot(), process.env.SEQLAB_LESSON_DATA ?? path.join("..", "shared", "data", "aapl"));
  return fs.existsSync(path.join(dir, "AAPL.csv")) ? dir : null;
}
