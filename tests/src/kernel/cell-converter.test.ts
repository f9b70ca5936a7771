import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vm from "node:vm";
import { createConverter, type ConvertResult } from "tslab/dist/converter";
import { createCellConverter, type CellConverter } from "../../../src/kernel/cell-converter";

/** Runs cells in order, carrying declarations as the kernel does (only after a cell compiled). */
function session(converter: { convert(prevDecl: string, src: string): ConvertResult }) {
  let prevDecl = "";
  return (src: string): ConvertResult => {
    const r = converter.convert(prevDecl, src);
    if (r.diagnostics.length === 0) prevDecl = r.declOutput ?? "";
    return r;
  };
}

/** What a cell's result looks like to the user: the diagnostics (cell line, code, message), or how it runs. */
function summary(r: ConvertResult): unknown {
  if (r.diagnostics.length > 0) return r.diagnostics.map((d) => `${d.fileName ?? "cell"}:${d.start.line}:${d.start.character} TS${d.code} ${d.messageText}`);
  return { lastExpressionVar: r.lastExpressionVar, hasToplevelAwait: r.hasToplevelAwait ?? false };
}

/** Cells exercising what carries from cell to cell, with errors along the way. */
const CELLS = [
  "1 + 1",
  "let x = 1;\nconst y: number = x + 1;",
  "x + y",
  'const x = "now a string";\nx.toUpperCase()',
  "const z: number = x;",
  "function f(a: number): number { return a * 2; }\ninterface Point { x: number; y: number }",
  "const p: Point = { x: 1, y: f(2) };\np",
  'const f = (s: string) => s + "!";\nf("hi")',
  "f(3)",
  "type Point = { name: string };\nconst q: Point = { name: 'a' };",
  "const bad: Point = { x: 1, y: 2 };",
  'import * as path from "node:path";\npath.join("a", "b")',
  'path.join("a", 2)',
  "const slow = await Promise.resolve(41);\nslow + 1",
  "function g() { await Promise.resolve(1); }",
  "class Box { constructor(public v: number) {} }\nnew Box(3).v",
  "const b2: Box = new Box(4);\nb2.v + tsLastExpr",
  "let tsLastExpr = 5;\ntsLastExpr",
  "const { a1, b1: [c1] } = { a1: 1, b1: [2] };\na1 + c1",
  "let s: string = 1;\nlet t: number = 'a';",
  "const = 3;",
  "const after = [1, 2].map((v) => v * 2);\nafter",
  "enum Color { Red, Green }\nColor.Green",
  "const c3: Color = Color.Red;\nc3",
  "{ var hoisted = 1; }\nfor (const k of [1, 2]) { c3 + k; }",
  "hoisted",
  "c3 + 1",
];

describe("kernel cell converter", function () {
  this.timeout(300_000);
  const cwd = process.cwd();

  it("gives tslab's results cell by cell: declarations across cells, redeclarations, type errors with cell lines, imports, top-level await", () => {
    const ours = session(createCellConverter(cwd, { strict: true }));
    const original = createConverter({ isJS: false, isBrowser: false });
    try {
      const theirs = session(original);
      for (const cell of CELLS) assert.deepEqual(summary(ours(cell)), summary(theirs(cell)), `cell ${JSON.stringify(cell)}`);
    } finally {
      original.close();
    }
  });

  it("compiled cells run: earlier names are read from the notebook's exports, the last expression is stored", () => {
    const run = session(createCellConverter(cwd, { strict: true }));
    const exports: Record<string, unknown> = {};
    const exec = (src: string): unknown => {
      const r = run(src);
      assert.deepEqual(r.diagnostics, []);
      vm.runInNewContext(`(function (exports, require) {\n${r.output}\n})(exports, require)`, { exports, require });
      return r.lastExpressionVar ? exports[r.lastExpressionVar] : undefined;
    };
    exec("let counter = 1;");
    assert.equal(exec("counter += 41;\ncounter"), 42);
    assert.equal(exec('const counter = "redeclared";\ncounter.length'), 10);
    assert.equal(exec('import * as path from "node:path";\npath.basename("/a/b.txt")'), "b.txt");
    assert.equal(exec('path.extname("c.json")'), ".json");
    // Shorthand properties naming earlier cells' variables, in a literal and in a destructuring assignment with a default.
    assert.equal(JSON.stringify(exec("const pair = { counter, ticks: 1 };\npair")), '{"counter":"redeclared","ticks":1}');
    exec("let later = 0;");
    assert.equal(exec("({ later = 7 } = {} as { later?: number });\nlater"), 7);
    // An exported binding updated later (by a function of the cell) is read current by the next cell.
    exec("let ticks = 0;\nfunction tick(): void { ticks++; }");
    assert.equal(exec("tick();\ntick();\nticks"), 2);
    assert.equal(exec("this === undefined"), false, "cells run as sloppy-mode scripts, without a \"use strict\" prologue");
  });

  it("cells after an import are checked without a new program, and still fail on type errors", () => {
    const converter: CellConverter = createCellConverter(cwd, { strict: true });
    const run = session(converter);
    assert.deepEqual(run('import * as path from "node:path";').diagnostics, []);
    assert.equal(converter.lastReused, false, "a new import needs a new program");
    assert.deepEqual(run('const joined = path.join("a", "b");').diagnostics, []);
    assert.equal(converter.lastReused, true);
    const bad = run("const n: number = joined;");
    assert.equal(converter.lastReused, true);
    assert.deepEqual(summary(bad), ["cell:0:6 TS2322 Type 'string' is not assignable to type 'number'."]);
    // A comment directive needs the program (it applies them): a new program, same meaning.
    assert.deepEqual(run("// @ts-ignore\nconst m: number = joined;").diagnostics, []);
    assert.equal(converter.lastReused, false);
    assert.deepEqual(run('import * as os from "node:os";\nos.EOL').diagnostics, []);
    assert.equal(converter.lastReused, true, "node:os is already in the program (@types/node)");
  });

  it("a cell that declares nothing is emitted as JavaScript only, still type-errors, and leaves the declarations for later cells unchanged", () => {
    const converter = createCellConverter(cwd, { strict: true });
    const run = session(converter);
    const declared = run("let total: number = 1;\nconst label = 'sum';");
    assert.equal(converter.lastDeclaredNothing, false);
    const expr = run("total += 1;\nlabel + total");
    assert.equal(converter.lastDeclaredNothing, true);
    assert.deepEqual(expr.diagnostics, []);
    assert.ok(expr.lastExpressionVar);
    assert.match(expr.output ?? "", /exports\.total \+= 1/);
    assert.equal(expr.declOutput, declared.declOutput, "the declarations carry over as they were");
    assert.deepEqual(summary(run('total = "x";')), ["cell:0:0 TS2322 Type 'string' is not assignable to type 'number'."]);
    assert.equal(converter.lastDeclaredNothing, true);
    assert.deepEqual(summary(run("for (const k of [1, 2]) total += k.length;")), ["cell:0:35 TS2339 Property 'length' does not exist on type 'number'."]);
    assert.deepEqual(summary(run("missing + 1")), ["cell:0:0 TS2304 Cannot find name 'missing'."]);
    // A declaration after cells that declared nothing is seen by the cells after it, with its type.
    assert.deepEqual(run("const later = total * 2;").diagnostics, []);
    assert.equal(converter.lastDeclaredNothing, false);
    assert.deepEqual(run("if (later > 0) { later.toFixed(1); }").diagnostics, []);
    assert.deepEqual(summary(run("const n: string = later;")), ["cell:0:6 TS2322 Type 'number' is not assignable to type 'string'."]);
    assert.deepEqual(run("later.toFixed(1) + label").diagnostics, []);
    assert.equal(converter.lastReused, true, "all of it on the reused checker");
  });

  it("a local module is compiled for the cell, and its changes on disk are seen by the next cell", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-cell-converter-"));
    try {
      const utils = path.join(dir, "utils.ts");
      fs.writeFileSync(utils, "export const k = 1;\nexport class Thing { size = 3; }\nexport function make() { return new Thing(); }\n");
      const converter = createCellConverter(dir, { strict: true });
      const run = session(converter);
      assert.deepEqual(summary(run('import { missing } from "./nothing-here";')), ["cell:0:24 TS2307 Cannot find module './nothing-here' or its corresponding type declarations."]);
      const first = run('import { k } from "./utils";\nconst n: number = k;');
      assert.deepEqual(first.diagnostics, []);
      assert.deepEqual(first.sideOutputs?.map((o) => o.path), [path.join(dir, "utils.js")]);
      assert.match(first.sideOutputs?.[0]?.data ?? "", /exports\.k = 1/);
      // A type only reachable through the module: its declaration names the module, from the cell's folder.
      const made = run('import { make } from "./utils";\nconst thing = make();');
      assert.deepEqual(made.diagnostics, []);
      const reused = run("const thing2 = make();\nthing2.size + thing.size");
      assert.deepEqual(reused.diagnostics, []);
      assert.equal(converter.lastReused, true);
      assert.match(reused.declOutput ?? "", /declare const thing2: import\("\.\/utils"\)\.Thing;/);
      fs.writeFileSync(utils, 'export const k: string = "changed";\n');
      fs.utimesSync(utils, new Date(), new Date(Date.now() + 5000));
      assert.deepEqual(summary(run('import { k as k2 } from "./utils";\nconst m: number = k2;')), ["cell:1:6 TS2322 Type 'string' is not assignable to type 'number'."]);
      const again = run('import { k as k3 } from "./utils";\nk3.length');
      assert.deepEqual(again.diagnostics, []);
      assert.match(again.sideOutputs?.[0]?.data ?? "", /changed/);
      assert.deepEqual(run("process.version").diagnostics, [], "@types/node comes from tslab when the folder has none");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("compiles every course notebook's code cells as tslab does, with no diagnostics", () => {
    const root = path.resolve(cwd, "notebooks");
    const notebooks = fs.readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ipynb") && !f.includes(".ipynb_checkpoints"));
    assert.ok(notebooks.length >= 5, `notebooks found: ${notebooks.join(", ")}`);
    for (const name of notebooks) {
      const file = path.join(root, name);
      const cells = (JSON.parse(fs.readFileSync(file, "utf8")) as { cells: { cell_type: string; source: string | string[] }[] }).cells
        .filter((c) => c.cell_type === "code")
        .map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source));
      const previous = process.cwd();
      process.chdir(path.dirname(file));
      const original = createConverter({ isJS: false, isBrowser: false });
      try {
        const ours = session(createCellConverter(path.dirname(file), { strict: true }));
        const theirs = session(original);
        for (const [i, cell] of cells.entries()) {
          const mine = summary(ours(cell));
          assert.deepEqual(mine, summary(theirs(cell)), `${name}, code cell ${i + 1}`);
          assert.ok(!Array.isArray(mine), `${name}, code cell ${i + 1}: ${JSON.stringify(mine)}`);
        }
      } finally {
        original.close();
        process.chdir(previous);
      }
    }
  });

  it("completions and quick info see earlier cells", () => {
    const converter = createCellConverter(cwd, { strict: true });
    const decl = converter.convert("", "const greeting = { sayHello: () => 'hi', sayBye: () => 'bye' };").declOutput ?? "";
    assert.deepEqual(converter.complete(decl, "greeting.say", 12).candidates, ["sayBye", "sayHello"]);
    const info = converter.inspect(decl, "greeting", 3);
    assert.match(info?.displayParts?.map((p) => p.text).join("") ?? "", /^const greeting: \{/);
  });
});
