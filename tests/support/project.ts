/**
 * Paths tests share: the project root and its `.venv`.
 *
 * @module
 */
import * as path from "node:path";

/** The project root (tests compile to dist/tests/...). */
export const projectRoot: string = path.resolve(__dirname, "..", "..", "..");

/** The venv's Python. */
export const venvPython: string = path.join(projectRoot, ".venv", "bin", "python");

/** Where tests keep screenshots and other artifacts (gitignored). */
export const artifactsDir: string = path.join(projectRoot, "test-artifacts");

/** The real lesson data for tests (absent on users' machines). */
export const sharedDataDir: string = path.resolve(projectRoot, "..", "shared", "data");
