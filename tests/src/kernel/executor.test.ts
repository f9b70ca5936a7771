import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadCellCompilerOptions } from "../../../src/kernel/compiler";
import { endsWithSuppressingSemicolon } from "../../../src/kernel/executor";

describe("cell compilation settings", () => {
  it("endsWithSuppressingSemicolon() is true only for a final expression statement ending with ;", () => {
    assert.equal(endsWithSuppressingSemicolon("x;"), true);
    assert.equal(endsWithSuppressingSemicolon("x; // note"), true);
    assert.equal(endsWithSuppressingSemicolon("x"), false);
    assert.equal(endsWithSuppressingSemicolon("const y = 1;"), false);
    assert.equal(endsWithSuppressingSemicolon('x + ";"'), false);
  });

  it("loadCellCompilerOptions() takes strict checks from the nearest tsconfig.json and ignores module options", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-tsconfig-"));
    try {
      fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, strictNullChecks: false, noImplicitReturns: true, module: "commonjs" } }));
      fs.mkdirSync(path.join(dir, "notebooks"));
      const got = loadCellCompilerOptions(path.join(dir, "notebooks"));
      assert.equal(got.tsconfigPath, path.join(dir, "tsconfig.json"));
      assert.equal(got.strict, false);
      assert.equal(got.options.strictNullChecks, false);
      assert.equal(got.options.noImplicitAny, true);
      assert.equal(got.options.noImplicitReturns, true);
      assert.equal("module" in got.options, false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
