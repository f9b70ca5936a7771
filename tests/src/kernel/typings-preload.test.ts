import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "@tslab/typescript-for-tslab";
import { cellCompilerOptions } from "../../../src/kernel/cell-converter";
import { createCellHost } from "../../../src/kernel/cell-host";
import { createTypingsPreloader } from "../../../src/kernel/typings-preload";

/** Writes `files` (relative name → text) under `dir`. */
function writeTree(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

/** The files a program whose cell imports `imports` reads, outside TypeScript's own lib folder. */
function programFiles(cwd: string, imports: string, host = createCellHost(cellCompilerOptions(cwd, { strict: true }), cwd)): string[] {
  const options = cellCompilerOptions(cwd, { strict: true });
  const cell = path.join(cwd, "__cell__.ts");
  host.setVirtualFile(cell, `export {};\n${imports}`);
  const program = ts.createProgram({ rootNames: [cell], options, host: host.host });
  return program
    .getSourceFiles()
    .map((f) => f.fileName)
    .filter((f) => f !== cell && !f.includes("/typescript-for-tslab/"));
}

describe("kernel typings preload", function () {
  this.timeout(300_000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-preload-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads, in steps, every file a program importing the package reads: imports, `export * as`, import types, references", () => {
    writeTree(dir, {
      "node_modules/pkg/package.json": JSON.stringify({ name: "pkg", version: "1.0.0", types: "index.d.ts" }),
      "node_modules/pkg/index.d.ts": '/// <reference path="./ref.d.ts" />\nexport * as ns from "./ns";\nexport { A } from "./a";\nexport declare function f(): import("./typed").T;\n',
      "node_modules/pkg/ns.d.ts": 'import type { A } from "./a";\nexport declare const n: A;\n',
      "node_modules/pkg/a.d.ts": "export interface A { a: number }\n",
      "node_modules/pkg/typed.d.ts": "export type T = string;\n",
      "node_modules/pkg/ref.d.ts": "declare const fromRef: number;\n",
      "node_modules/pkg/unused.d.ts": "export declare const never: 1;\n",
    });
    const options = cellCompilerOptions(dir, { strict: true });
    const host = createCellHost(options, dir);
    const preloader = createTypingsPreloader(dir, options, host);
    const steps = [...preloader.steps("pkg")!];
    const read = steps.filter((s) => s.startsWith("read ")).map((s) => path.relative(dir, s.slice(5))).sort();
    const pkg = (f: string) => path.join("node_modules/pkg", f);
    assert.deepEqual(read, ["a.d.ts", "index.d.ts", "ns.d.ts", "ref.d.ts", "typed.d.ts"].map(pkg));
    assert.ok(steps.length > read.length, "references are resolved in steps of their own");
    const inProgram = programFiles(dir, 'import * as p from "pkg";', host)
      .filter((f) => f.includes("/node_modules/pkg/"))
      .map((f) => path.relative(dir, f))
      .sort();
    assert.deepEqual(read, inProgram, "the same files as the program's");
    assert.deepEqual([...preloader.steps("pkg")!], [], "a package read once is not read again");
    assert.equal(preloader.steps("no-such-package"), undefined);
  });

  it("the files read ahead are the very objects the cell's program uses, parsed and bound", () => {
    const cwd = process.cwd();
    const options = cellCompilerOptions(cwd, { strict: true });
    const host = createCellHost(options, cwd);
    const preloader = createTypingsPreloader(cwd, options, host);
    const read = new Set<string>();
    for (const name of ["@tensorflow/tfjs-node", "kernel-helpers"]) {
      for (const step of preloader.steps(name)!) if (step.startsWith("read ")) read.add(step.slice(5));
    }
    const ahead = new Map([...read].map((f) => [f, host.host.getSourceFile(f, ts.ScriptTarget.ES2022)]));
    assert.ok([...ahead.values()].every((f) => f && (f as { locals?: unknown }).locals !== undefined), "every file bound");
    const files = programFiles(cwd, 'import * as tf from "@tensorflow/tfjs-node";\nimport { Tokenizer } from "kernel-helpers";', host);
    const packages = files.filter((f) => !f.includes("/node_modules/@types/"));
    const missed = packages.filter((f) => !read.has(f));
    assert.deepEqual(missed, [], "every package file of the program was read ahead");
    assert.ok(packages.length > 500, `tfjs and kernel-helpers typings (${packages.length} files)`);
    for (const f of packages) assert.equal(host.host.getSourceFile(f, ts.ScriptTarget.ES2022), ahead.get(f), f);
  });

  it("a walk dropped part-way (a cancelled warm-up) leaves the rest to the next walk of that package", () => {
    writeTree(dir, {
      "node_modules/pkg/package.json": JSON.stringify({ name: "pkg", version: "1.0.0", types: "index.d.ts" }),
      "node_modules/pkg/index.d.ts": 'export * from "./a";\nexport { B } from "./b";\nexport declare const c: import("./c").C;\n',
      "node_modules/pkg/a.d.ts": 'import type { B } from "./b";\nexport interface A { b: B }\n',
      "node_modules/pkg/b.d.ts": 'export * from "./d";\nexport interface B { b: number }\n',
      "node_modules/pkg/c.d.ts": "export type C = string;\n",
      "node_modules/pkg/d.d.ts": "export type D = boolean;\n",
    });
    const options = cellCompilerOptions(dir, { strict: true });
    const fullWalk = [...createTypingsPreloader(dir, options, createCellHost(options, dir)).steps("pkg")!];
    assert.ok(fullWalk.length > 8, fullWalk.join("\n"));
    for (let taken = 1; taken < fullWalk.length; taken++) {
      const host = createCellHost(options, dir);
      const preloader = createTypingsPreloader(dir, options, host);
      const read = new Set<string>();
      const first = preloader.steps("pkg")!;
      for (let k = 0; k < taken; k++) {
        const step = first.next();
        assert.equal(step.done, false);
        if (step.value.startsWith("read ")) read.add(step.value.slice(5));
      }
      // The first walk is dropped here; the next one must read what it did not.
      const rest = [...preloader.steps("pkg")!];
      for (const step of rest) if (step.startsWith("read ")) read.add(step.slice(5));
      const inProgram = programFiles(dir, 'import * as p from "pkg";', host).filter((f) => f.includes("/node_modules/pkg/"));
      assert.equal(inProgram.length, 5);
      assert.deepEqual(inProgram.filter((f) => !read.has(f)), [], `after ${taken} step(s) dropped, every package file of the program was read`);
      for (const f of inProgram) {
        const cached = host.host.getSourceFile(f, ts.ScriptTarget.ES2022) as (ts.SourceFile & { locals?: unknown }) | undefined;
        assert.ok(cached && cached.locals !== undefined, `${f} is in the cache, bound`);
      }
      assert.deepEqual([...preloader.steps("pkg")!], [], "once a walk ran to its end, nothing is read again");
    }
  });
});
