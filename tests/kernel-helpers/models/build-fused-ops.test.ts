import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { OPS_LIBRARY_NAME, LOADER_ADDON_NAME } from "kernel-helpers/contract";
import { buildFusedOps, fusedBuildDir } from "../../../src/setup/fused-ops";

/** Runs `fn` with the given environment variables set (undefined: removed), then restores them. */
function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (v: Record<string, string | undefined>): void => {
    for (const [k, val] of Object.entries(v)) {
      if (val === undefined) delete process.env[k];
      else process.env[k] = val;
    }
  };
  apply(vars);
  try {
    return fn();
  } finally {
    apply(saved);
  }
}

describe("buildFusedOps()", function () {
  it("buildFusedOps() reports the installed kernels as up to date without compiling", function () {
    const lines: string[] = [];
    const result = buildFusedOps((l) => lines.push(l));
    assert.deepEqual(result, { ok: true, message: "fused recurrent kernels up to date" });
    assert.deepEqual(lines, []);
  });

  it("buildFusedOps() rejects a SEQLAB_FUSED_MARCH that is not a plain -march value, naming the fix", function () {
    const result = withEnv({ SEQLAB_FUSED_MARCH: "native -fplugin=x" }, () => buildFusedOps(() => undefined));
    assert.equal(result.ok, false);
    assert.match(result.message, /SEQLAB_FUSED_MARCH must be a compiler -march value of letters, digits/);
    assert.match(result.message, /Received: SEQLAB_FUSED_MARCH="native -fplugin=x"/);
  });

  it("buildFusedOps() rejects op sources that are not the library's", function () {
    const result = buildFusedOps(() => undefined, { sources: ["lstm_ops.cc", "other.cc"] });
    assert.equal(result.ok, false);
    assert.match(result.message, /sources must be some of lstm_ops\.cc, .*Received: sources=\["lstm_ops\.cc","other\.cc"\]/);
  });

  it("buildFusedOps() builds into SEQLAB_FUSED_BUILD_DIR, and another SEQLAB_FUSED_MARCH or source list there is a rebuild", function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-fused-build-"));
    try {
      for (const name of [OPS_LIBRARY_NAME, LOADER_ADDON_NAME]) {
        // A library built before builds were stamped has no `.flags` file (it counts as setup's defaults).
        for (const file of [name, `${name}.flags`]) {
          if (fs.existsSync(path.join(fusedBuildDir, file))) fs.copyFileSync(path.join(fusedBuildDir, file), path.join(dir, file));
        }
      }
      const noCompiler = { compiler: "seqlab-no-such-compiler" };
      withEnv({ SEQLAB_FUSED_BUILD_DIR: dir, SEQLAB_FUSED_MARCH: undefined }, () => {
        const lines: string[] = [];
        assert.deepEqual(buildFusedOps((l) => lines.push(l), noCompiler), { ok: true, message: "fused recurrent kernels up to date" });
        assert.deepEqual(lines, []);
        assert.match(buildFusedOps(() => undefined, { ...noCompiler, sources: ["lstm_ops.cc"] }).message, /No C\+\+ compiler/);
      });
      withEnv({ SEQLAB_FUSED_BUILD_DIR: dir, SEQLAB_FUSED_MARCH: "haswell" }, () => {
        assert.match(buildFusedOps(() => undefined, noCompiler).message, /No C\+\+ compiler/);
      });
      // The default folder's build is untouched and still current.
      assert.deepEqual(buildFusedOps(() => undefined, noCompiler), { ok: true, message: "fused recurrent kernels up to date" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("buildFusedOps() without a compiler returns ok:false with a notice instead of throwing", function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-fused-build-"));
    try {
      const result = buildFusedOps(() => undefined, { buildDir: dir, compiler: "seqlab-no-such-compiler" });
      assert.equal(result.ok, false);
      assert.match(result.message, /No C\+\+ compiler \(`seqlab-no-such-compiler`\) found/);
      assert.match(result.message, /standard \(slower\) tfjs-layers/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
