import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as vm from "node:vm";
import { displayBundle, fusedOpsStatus, InvalidArgumentError, plotlyBundle, PLOTLY_MIME, VEGA_MIME } from "kernel-helpers";
import {
  CELL_SCOPE_ARGUMENTS,
  CELL_SCOPE_KEY,
  DISPLAY_SINK_KEY,
  displaySink,
  installCellScope,
  installDisplaySink,
  installInterruptSignal,
  INTERRUPT_SIGNAL_KEY,
  interruptRequested,
  interruptSignal,
  MIME,
  NATIVE_BUILD_DIR,
  NATIVE_SOURCE_DIR,
  nativeBuildDir,
  nativeMarch,
  OPS_LIBRARY_NAME,
  WATCHDOG_SLOT_COUNT,
  WATCHDOG_SLOTS,
  type DisplayContent,
} from "kernel-helpers/contract";
import { DISPLAY_SINK_KEY as KERNEL_DISPLAY_KEY } from "../../../src/kernel/display-channel";
import { INTERRUPT_SIGNAL_KEY as KERNEL_INTERRUPT_KEY } from "../../../src/kernel/interrupt-channel";
import { fusedBuildDir, fusedSourceDir } from "../../../src/setup/fused-ops";

const ROOT = path.resolve(__dirname, "..", "..", "..", "..");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "dist" || entry.name === "node_modules" || entry.name === "native") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (entry.name.endsWith(".ts")) out.push(full);
  }
  return out;
}

describe("kernel ↔ helpers contract", function () {
  it("names its globalThis keys with Symbol.for, the kernel's channels use the same keys", function () {
    assert.equal(DISPLAY_SINK_KEY, Symbol.for("seqlab.kernel.display"));
    assert.equal(INTERRUPT_SIGNAL_KEY, Symbol.for("seqlab.kernel.interrupt"));
    assert.equal(CELL_SCOPE_KEY, Symbol.for("seqlab.kernel.cellScope"));
    assert.equal(KERNEL_DISPLAY_KEY, DISPLAY_SINK_KEY);
    assert.equal(KERNEL_INTERRUPT_KEY, INTERRUPT_SIGNAL_KEY);
  });

  it("no source file outside the contract declares a kernel globalThis key", function () {
    const files = [...sourceFiles(path.join(ROOT, "src")), ...sourceFiles(path.join(ROOT, "kernel-helpers"))].filter(
      (f) => !f.includes(`${path.sep}kernel-helpers${path.sep}contract${path.sep}`),
    );
    const offenders = files.filter((f) => /Symbol\.for\(\s*["'`]seqlab\.kernel\./.test(fs.readFileSync(f, "utf8")));
    assert.deepEqual(offenders.map((f) => path.relative(ROOT, f)), []);
  });

  it("displayBundle sends through the installed sink, and prints text without one", function () {
    const sent: Array<[DisplayContent, boolean]> = [];
    const previous = installDisplaySink((content, update) => sent.push([content, update]));
    try {
      assert.equal(displaySink() !== undefined, true);
      const id = displayBundle({ [MIME.text]: "epoch 1" });
      displayBundle({ [MIME.text]: "epoch 2" }, { id, update: true });
      assert.deepEqual(
        sent.map(([c, u]) => [c.data[MIME.text], c.transient?.display_id, u]),
        [["epoch 1", id, false], ["epoch 2", id, true]],
      );
    } finally {
      installDisplaySink(previous);
    }
    assert.equal(displaySink(), previous);
    assert.equal(installDisplaySink(undefined), undefined);
    assert.equal(Object.getOwnPropertySymbols(globalThis).includes(DISPLAY_SINK_KEY), false);
  });

  it("interruptRequested reads the installed signal and is false without one", function () {
    assert.equal(interruptSignal(), undefined);
    assert.equal(interruptRequested(), false);
    const signal = { requested: false, onInterrupt: () => () => undefined };
    installInterruptSignal(signal);
    try {
      assert.equal(interruptSignal(), signal);
      assert.equal(interruptRequested(), false);
      signal.requested = true;
      assert.equal(interruptRequested(), true);
    } finally {
      installInterruptSignal(undefined);
    }
    assert.equal(interruptRequested(), false);
  });

  it("CELL_SCOPE_ARGUMENTS evaluates to the installed scope's exports and require", function () {
    const scope = { exports: { x: 41 }, require };
    installCellScope(scope);
    try {
      const args = vm.runInThisContext(`(function (exports, require) { exports.x++; return [exports, require]; })(${CELL_SCOPE_ARGUMENTS})`) as unknown[];
      assert.equal(args[0], scope.exports);
      assert.equal(args[1], require);
      assert.equal(scope.exports.x, 42);
    } finally {
      delete (globalThis as Record<symbol, unknown>)[CELL_SCOPE_KEY];
    }
  });

  it("MIME types are the ones the display modules put in bundles", function () {
    assert.equal(PLOTLY_MIME, "application/vnd.plotly.v1+json");
    assert.equal(PLOTLY_MIME, MIME.plotly);
    assert.equal(VEGA_MIME, MIME.vega);
    const keys = Object.keys(plotlyBundle({ data: [{ y: [1, 2] }] }));
    for (const mime of [MIME.plotly, MIME.svg, MIME.html, MIME.text]) assert.ok(keys.includes(mime), `${mime} missing from ${keys.join(", ")}`);
  });

  it("watchdog slots are distinct indexes 0..n-1", function () {
    const slots = Object.values(WATCHDOG_SLOTS).sort();
    assert.deepEqual(slots, [...Array(WATCHDOG_SLOT_COUNT).keys()]);
  });

  it("the native build location is setup's and holds the sources (and the library once built)", function () {
    assert.equal(fusedBuildDir, NATIVE_BUILD_DIR);
    assert.equal(fusedSourceDir, NATIVE_SOURCE_DIR);
    assert.equal(NATIVE_SOURCE_DIR, path.join(ROOT, "kernel-helpers", "models", "native"));
    assert.ok(fs.existsSync(path.join(NATIVE_SOURCE_DIR, "lstm_ops.cc")));
    if (fusedOpsStatus().available) assert.ok(fs.existsSync(path.join(NATIVE_BUILD_DIR, OPS_LIBRARY_NAME)));
  });

  it("SEQLAB_FUSED_BUILD_DIR and SEQLAB_FUSED_MARCH default to setup's folder and native, and a bad -march is refused", function () {
    assert.equal(nativeBuildDir({}), NATIVE_BUILD_DIR);
    assert.equal(nativeBuildDir({ SEQLAB_FUSED_BUILD_DIR: "" }), NATIVE_BUILD_DIR);
    assert.equal(nativeBuildDir({ SEQLAB_FUSED_BUILD_DIR: "avx2-build" }), path.resolve("avx2-build"));
    assert.equal(nativeMarch({}), "native");
    assert.equal(nativeMarch({ SEQLAB_FUSED_MARCH: "x86-64-v3" }), "x86-64-v3");
    assert.throws(
      () => nativeMarch({ SEQLAB_FUSED_MARCH: "haswell;rm" }),
      (err: Error) => err instanceof InvalidArgumentError && /letters, digits.*Received: SEQLAB_FUSED_MARCH="haswell;rm"/.test(err.message),
    );
  });

  it("importing the contract loads no TensorFlow and changes no global", function () {
    const script =
      "const before = [...Object.getOwnPropertyNames(globalThis), ...Object.getOwnPropertySymbols(globalThis).map(String)];" +
      "require('kernel-helpers/contract');" +
      "const after = [...Object.getOwnPropertyNames(globalThis), ...Object.getOwnPropertySymbols(globalThis).map(String)];" +
      "console.log(JSON.stringify({ tf: Object.keys(require.cache).filter((k) => k.includes('@tensorflow')).length, added: after.filter((k) => !before.includes(k)) }));";
    const run = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { tf: 0, added: [] });
  });
});
