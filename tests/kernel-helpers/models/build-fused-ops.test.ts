import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildFusedOps } from "../../../src/setup/fused-ops";

describe("buildFusedOps()", function () {
  it("buildFusedOps() reports the installed kernels as up to date without compiling", function () {
    const lines: string[] = [];
    const result = buildFusedOps((l) => lines.push(l));
    assert.deepEqual(result, { ok: true, message: "fused recurrent kernels up to date" });
    assert.deepEqual(lines, []);
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
