import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { findNotebooks } from "../../src/notebooks/discover";
import { projectRoot } from "../support/project";

describe("notebooks/", () => {
  it("every notebook has a test under tests/notebooks/ that runs it and checks its outputs", () => {
    const notebooks = path.join(projectRoot, "notebooks");
    const missing = findNotebooks(notebooks)
      .map((nb) => path.relative(notebooks, nb).replace(/\.ipynb$/, ".test.ts"))
      .filter((rel) => !fs.existsSync(path.join(projectRoot, "tests", "notebooks", rel)));
    assert.deepEqual(missing, [], `write tests/notebooks/<same path>.test.ts for: ${missing.join(", ")}`);
  });

  it("every notebook declares the seqlab TypeScript kernel", () => {
    for (const nb of findNotebooks(path.join(projectRoot, "notebooks"))) {
      const meta = (JSON.parse(fs.readFileSync(nb, "utf8")) as { metadata: { kernelspec?: { name?: string; language?: string } } }).metadata;
      assert.equal(meta.kernelspec?.name, "seqlab", nb);
      assert.equal(meta.kernelspec?.language, "typescript", nb);
    }
  });
});
