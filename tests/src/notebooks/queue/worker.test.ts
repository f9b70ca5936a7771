import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { assignmentChecksum, type Notebook } from "../../../../src/notebooks/grade/assignment";
import { loadSources, refusal } from "../../../../src/notebooks/queue/worker";
import { tinySource } from "./class-fixture";

describe("a worker's assignment versions", () => {
  const source = JSON.parse(fs.readFileSync(tinySource, "utf8")) as Notebook;
  const checksum = assignmentChecksum(source);

  it("accepts a job whose checksum is one of its sources", () => {
    const sources = loadSources([tinySource]);
    assert.equal(refusal({ assignment: "tiny", checksum }, sources), null);
  });

  it("refuses another version of an assignment it has, and one it does not have, with the fix", () => {
    const changed = structuredClone(source);
    changed.cells[0]!.source += " (v2)";
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-worker-")), "tiny-v2.ipynb");
    fs.writeFileSync(file, JSON.stringify(changed));
    const sources = loadSources([file]);
    assert.match(
      refusal({ assignment: "tiny", checksum }, sources)!,
      new RegExp(`^the job is for version ${checksum.slice(0, 12)} of "tiny" but this worker's copy differs \\(tiny-v2\\.ipynb is version ${assignmentChecksum(changed).slice(0, 12)}\\): give it the instructor's source with --source, or update its copy\\.$`),
    );
    assert.match(refusal({ assignment: "other", checksum: "ab".repeat(32) }, sources)!, /^this worker has no copy of assignment "other" \(version abababababab\): start it with --source/);
  });

  it("rejects a --source that is not an assignment source", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-worker-")), "plain.ipynb");
    fs.writeFileSync(file, JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    assert.throws(() => loadSources([file]), /not an assignment source/);
  });
});
