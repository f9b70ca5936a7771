import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ConvertResult } from "tslab/dist/converter";
import { createCellConverter, type CellConverter } from "../../../src/kernel/cell-converter";
import { PRELOADED_MODULES, SLICE_MS, startWarmUp } from "../../../src/kernel/warm-up";

/** Runs cells in order, carrying declarations as the kernel does (only after a cell compiled). */
function session(converter: CellConverter) {
  let prevDecl = "";
  return (src: string): ConvertResult => {
    const r = converter.convert(prevDecl, src);
    if (r.diagnostics.length === 0) prevDecl = r.declOutput ?? "";
    return r;
  };
}

/** A cell's diagnostics as the user sees them. */
function errors(r: ConvertResult): string[] {
  return r.diagnostics.map((d) => `${d.start.line}:${d.start.character} TS${d.code} ${d.messageText}`);
}

const IMPORT_CELL = 'import * as tf from "@tensorflow/tfjs-node";\nimport { Tokenizer } from "kernel-helpers";\nconst t = tf.scalar(1);';

describe("kernel compiler warm-up", function () {
  this.timeout(300_000);
  const cwd = process.cwd();

  it("the first program built ahead is the one the first cell is checked with, and it still finds type errors", () => {
    const converter = createCellConverter(cwd, { strict: true });
    assert.equal(converter.buildFirstProgram(), true);
    assert.equal(converter.buildFirstProgram(), false, "built once");
    const run = session(converter);
    const first = run("const s: string = 1;");
    assert.equal(converter.lastReused, true, "checked with the prebuilt program's checker");
    assert.deepEqual(errors(first), ["0:6 TS2322 Type 'number' is not assignable to type 'string'."]);
    const ok = run("const s: string = 'a';\ns.length");
    assert.deepEqual(ok.diagnostics, []);
    assert.equal(converter.lastReused, true);
    assert.match(ok.declOutput ?? "", /declare const s: string;/);
  });

  it("a first cell compiled before the warm-up's first step builds the program itself; the warm-up then leaves it", async () => {
    const converter = createCellConverter(cwd, { strict: true });
    const warm = startWarmUp(converter, []);
    // The steps wait for the next turn of the event loop: this cell comes first, as a request arriving during start-up would.
    const run = session(converter);
    const first = run("let n = 1;\nn + 1");
    assert.deepEqual(first.diagnostics, []);
    assert.equal(converter.lastReused, false, "the first cell built the program");
    const report = await warm.done;
    assert.equal(report.firstProgram, false, "the warm-up found the program built");
    const next = run("n + 2");
    assert.deepEqual(next.diagnostics, []);
    assert.equal(converter.lastReused, true, "later cells reuse the first cell's program");
    assert.deepEqual(errors(run("const m: string = n;")), ["0:6 TS2322 Type 'number' is not assignable to type 'string'."]);
  });

  it("no step runs while the kernel is busy with a cell; the steps run once it is idle", async () => {
    const converter = createCellConverter(cwd, { strict: true });
    const ran: string[] = [];
    let busy = true;
    const warm = startWarmUp(
      {
        buildFirstProgram: () => (ran.push("first program"), converter.buildFirstProgram()),
        preloadSteps: (name) => (ran.push(name), converter.preloadSteps(name)),
      },
      ["node:path"],
      { busy: () => busy },
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(ran, [], "nothing while busy");
    busy = false;
    const report = await warm.done;
    assert.deepEqual(ran, ["first program", "node:path"]);
    assert.equal(report.firstProgram, true);
    assert.deepEqual(report.preloaded, [], "node:path is an ambient module of @types/node, not a package's typings");
  });

  it("the warm-up builds the first program and preloads the course's packages; the import cell compiles as without it", async () => {
    const warmed = createCellConverter(cwd, { strict: true });
    const report = await startWarmUp(warmed, PRELOADED_MODULES).done;
    assert.equal(report.firstProgram, true);
    assert.deepEqual(report.preloaded, [...PRELOADED_MODULES]);
    assert.ok(report.files > 100, `the packages' typings files were read one by one (${report.files})`);
    assert.ok(report.slices > PRELOADED_MODULES.length, `in several steps (${report.slices})`);
    const cold = createCellConverter(cwd, { strict: true });
    const ours = session(warmed);
    const theirs = session(cold);
    for (const cell of ["1 + 1", IMPORT_CELL, "t.shape.length", "const bad: string = t;", "new Tokenizer()"]) {
      const a = ours(cell);
      const b = theirs(cell);
      assert.deepEqual(errors(a), errors(b), cell);
      assert.equal(a.output, b.output, cell);
      assert.equal(a.declOutput, b.declOutput, cell);
    }
    assert.deepEqual(errors(ours("const bad: string = t;")), ["0:6 TS2322 Type 'Scalar' is not assignable to type 'string'."]);
  });

  it("cells arriving while the typings are preloaded run between its slices, and the preload goes on after them", async () => {
    const converter = createCellConverter(cwd, { strict: true });
    assert.equal(converter.buildFirstProgram(), true);
    const warm = startWarmUp({ buildFirstProgram: () => false, preloadSteps: (name) => converter.preloadSteps(name) }, PRELOADED_MODULES);
    const run = session(converter);
    // Cells sent every few milliseconds during the preload: each is compiled between two of its steps.
    let finished = false;
    void warm.done.then(() => (finished = true));
    let cells = 0;
    while (!finished) {
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(run(`const c${cells} = ${cells};\nc${cells} + 1`).diagnostics, []);
      cells++;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const report = await warm.done;
    assert.deepEqual(report.preloaded, [...PRELOADED_MODULES], "the preload finished between the cells");
    assert.ok(cells > 3, `several cells ran during the preload (${cells})`);
    // Slices end on time, not on the package: far more of them than packages (their length is the bench's to show, not a test's).
    assert.ok(report.slices > 10, `the preload ran in ${report.slices} slices of about ${SLICE_MS} ms`);
    assert.deepEqual(errors(run('import * as tf from "@tensorflow/tfjs-node";\nconst s: string = tf.scalar(1);')), [
      "1:6 TS2322 Type 'Scalar' is not assignable to type 'string'.",
    ]);
  });

  it("preloaded typings change no cell's meaning: a global they declare is unknown until the cell that imports them", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-warm-up-"));
    try {
      const pkg = path.join(dir, "node_modules", "leaky");
      fs.mkdirSync(pkg, { recursive: true });
      fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "leaky", version: "1.0.0", types: "index.d.ts" }));
      fs.writeFileSync(path.join(pkg, "index.d.ts"), "export declare const a: number;\ndeclare global {\n  var leakedGlobal: number;\n}\n");
      const converter = createCellConverter(dir, { strict: true });
      assert.equal(converter.buildFirstProgram(), true);
      assert.equal(converter.preloadModule("leaky"), true);
      assert.equal(converter.preloadModule("no-such-package"), false);
      assert.equal(converter.preloadSteps("no-such-package"), undefined);
      const run = session(converter);
      assert.deepEqual(errors(run("leakedGlobal + 1")), ["0:0 TS2304 Cannot find name 'leakedGlobal'."]);
      assert.deepEqual(run('import { a } from "leaky";\na').diagnostics, []);
      assert.deepEqual(run("leakedGlobal + a").diagnostics, [], "known once a cell imported the package");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
