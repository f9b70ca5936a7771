/**
 * Internal: the `vega-lite` compiler, loaded lazily from its UMD builds (its ES module build
 * uses top-level await, which `require` cannot load).
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { SeqlabError } from "../errors";

interface VegaLiteApi {
  compile(spec: Record<string, unknown>): { spec: Record<string, unknown> };
}

let cached: VegaLiteApi | undefined;

function packageDir(name: string): string {
  // The packages' `exports` hide package.json; their main entry lives in build/.
  for (const base of module.paths) {
    const dir = path.join(base, name);
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
  }
  throw new SeqlabError(`The \`${name}\` package is not installed: run \`npm install\` in the seqlab project. Received: no ${name} in node_modules`);
}

function loadUmd(file: string, deps: Record<string, unknown>): Record<string, unknown> {
  const mod = { exports: {} as Record<string, unknown> };
  const req = (name: string): unknown => {
    if (name in deps) return deps[name];
    throw new SeqlabError(`Unexpected dependency \`${name}\` while loading ${path.basename(file)}.`);
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function("exports", "module", "require", fs.readFileSync(file, "utf8"))(mod.exports, mod, req);
  return mod.exports;
}

/**
 * Compiles a Vega-Lite spec to a Vega spec.
 *
 * @param spec The Vega-Lite spec.
 * @returns The Vega spec.
 * @throws {SeqlabError} When vega-lite is missing or rejects the spec.
 */
export function compileVegaLite(spec: Record<string, unknown>): Record<string, unknown> {
  if (!cached) {
    const vega = loadUmd(path.join(packageDir("vega"), "build", "vega.min.js"), {});
    cached = loadUmd(path.join(packageDir("vega-lite"), "build", "vega-lite.min.js"), { vega }) as unknown as VegaLiteApi;
  }
  try {
    return cached.compile(spec).spec;
  } catch (e) {
    throw new SeqlabError(`vega-lite could not compile the spec: ${(e as Error).message}. Received: ${JSON.stringify(spec).slice(0, 80)}`);
  }
}
