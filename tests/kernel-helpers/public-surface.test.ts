import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { projectRoot } from "../support/project";
import { startTestKernel, type KernelDriver } from "../src/kernel/_kernel-driver";

// The names each public entry point of kernel-helpers exports, values and types. A change to
// the public surface must change tests/kernel-helpers/fixtures/public-surface.json too: run
// this test with SEQLAB_UPDATE_SNAPSHOT=1 to rewrite it, then review the diff.
const snapshotPath = path.join(projectRoot, "tests", "kernel-helpers", "fixtures", "public-surface.json");
const packageDir = path.join(projectRoot, "kernel-helpers");
const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")) as {
  exports: Record<string, string | { types: string; default: string }>;
};
const entryPoints = Object.keys(manifest.exports).filter((k) => k !== "./package.json");

/** Every name each declaration file exports (values and types), sorted; one program for all. */
function declaredNames(files: string[]): Map<string, string[]> {
  const program = ts.createProgram(files, { moduleResolution: ts.ModuleResolutionKind.Node10, noEmit: true });
  const checker = program.getTypeChecker();
  const out = new Map<string, string[]>();
  for (const dts of files) {
    const source = program.getSourceFile(dts);
    assert.ok(source, dts);
    const symbol = checker.getSymbolAtLocation(source);
    assert.ok(symbol, `${dts} is not a module`);
    out.set(dts, checker.getExportsOfModule(symbol).map((s) => s.name).sort());
  }
  return out;
}

function surface(): Record<string, { values: string[]; types: string[] }> {
  const dtsOf = (entry: string): string => {
    const target = manifest.exports[entry];
    return path.join(packageDir, typeof target === "string" ? target : target.types);
  };
  const declared = declaredNames(entryPoints.map(dtsOf));
  const out: Record<string, { values: string[]; types: string[] }> = {};
  for (const entry of entryPoints) {
    const specifier = entry === "." ? "kernel-helpers" : `kernel-helpers/${entry.slice(2)}`;
    const values = Object.keys(require(specifier) as object).sort();
    const types = (declared.get(dtsOf(entry)) ?? []).filter((n) => !values.includes(n));
    out[specifier] = { values, types };
  }
  return out;
}

describe("kernel-helpers public surface", function () {
  this.timeout(120_000);

  it("every entry point exports exactly the names of the snapshot", () => {
    const actual = surface();
    if (process.env.SEQLAB_UPDATE_SNAPSHOT === "1") fs.writeFileSync(snapshotPath, JSON.stringify(actual, null, 2) + "\n");
    const expected = JSON.parse(fs.readFileSync(snapshotPath, "utf8")) as typeof actual;
    assert.deepEqual(actual, expected);
  });

  it("internals stay unexported from the package root", () => {
    const root = require("kernel-helpers") as Record<string, unknown>;
    for (const name of ["isTensor", "tensorBundle", "describeValue", "assertBoolean", "assertPositiveInteger", "assertOneOf"]) {
      assert.equal(name in root, false, `${name} is exported`);
    }
  });

  it("Node refuses deep imports; TypeScript with tslab's node10 resolution refuses them too", () => {
    assert.throws(() => require("kernel-helpers/dist/display/mime"), (e: NodeJS.ErrnoException) => e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED");
    const from = path.join(projectRoot, "notebooks", "lessons", "cell.ts");
    const resolve = (m: string): string | undefined =>
      ts.resolveModuleName(m, from, { moduleResolution: ts.ModuleResolutionKind.Node10, module: ts.ModuleKind.ESNext }, ts.sys).resolvedModule
        ?.resolvedFileName;
    assert.equal(resolve("kernel-helpers"), path.join(packageDir, "dist", "index.d.ts"));
    for (const entry of entryPoints.filter((e) => e !== ".")) {
      assert.equal(resolve(`kernel-helpers/${entry.slice(2)}`), path.join(packageDir, "dist", entry.slice(2), "index.d.ts"));
    }
    assert.equal(resolve("kernel-helpers/dist/display/mime"), undefined);
    assert.equal(resolve("kernel-helpers/text/tokenizer"), undefined);
  });

  describe("in the seqlab kernel", () => {
    let kernel: KernelDriver;
    before(async () => {
      kernel = await startTestKernel();
    });
    after(async () => {
      await kernel?.stop();
    });

    it("a notebook imports the root and a subpath, and a deep import fails to compile", async () => {
      const ok = await kernel.execute('import { padSequences } from "kernel-helpers";\nimport { textToWordSequence } from "kernel-helpers/text";\ntextToWordSequence("A b").length + padSequences([[1]]).length');
      assert.equal(ok.reply.status, "ok", `${ok.reply.ename}: ${ok.reply.evalue}`);
      const result = ok.iopub.find((m) => m.msg_type === "execute_result");
      assert.equal(result?.content.data?.["text/plain"], "3");
      const deep = await kernel.execute('import { toMimeBundle } from "kernel-helpers/dist/display/mime";');
      assert.equal(deep.reply.status, "error");
      assert.match(`${deep.reply.evalue} ${(deep.reply.traceback ?? []).join("\n")}`, /Cannot find module 'kernel-helpers\/dist\/display\/mime'/);
    });
  });
});
