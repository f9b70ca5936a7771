/**
 * Run by `fused-isa.test.ts` in a child mocha next to `fused-kernel-paths.test.js`, with
 * `SEQLAB_FUSED_BUILD_DIR` naming a library built for another `-march`: checks that this process
 * loaded that library, and no other copy of it, before the equivalence cases run. Not a
 * `.test.ts` file, so the main suite does not run it on its own.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { NATIVE_BUILD_DIR, OPS_LIBRARY_NAME } from "kernel-helpers/contract";
import { fusedOpsStatus } from "kernel-helpers";

describe("fused kernels in this process come from SEQLAB_FUSED_BUILD_DIR", function () {
  it("loads the op library from SEQLAB_FUSED_BUILD_DIR and no other", function () {
    const dir = process.env.SEQLAB_FUSED_BUILD_DIR;
    assert.ok(dir !== undefined && dir !== "", "SEQLAB_FUSED_BUILD_DIR is not set");
    const expected = path.join(path.resolve(dir), OPS_LIBRARY_NAME);
    const status = fusedOpsStatus();
    assert.equal(status.available, true, `fused kernels unavailable: ${status.reason}`);
    assert.equal(status.library, expected);
    // What the dynamic loader really mapped into this process (Linux).
    const mapped = new Set(
      fs
        .readFileSync("/proc/self/maps", "utf8")
        .split("\n")
        .map((line) => line.split(/\s+/).slice(5).join(" "))
        .filter((file) => file.endsWith(OPS_LIBRARY_NAME)),
    );
    assert.deepEqual([...mapped], [expected]);
    assert.ok(!mapped.has(path.join(NATIVE_BUILD_DIR, OPS_LIBRARY_NAME)));
    console.log(`  fused op library: ${status.library}`);
  });
});
