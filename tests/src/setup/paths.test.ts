import { strict as assert } from "node:assert";
import * as os from "node:os";
import * as path from "node:path";
import { cacheDir } from "../../../src/setup/paths";

describe("cacheDir()", () => {
  it("cacheDir() prefers SEQLAB_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache", () => {
    assert.equal(cacheDir({ SEQLAB_CACHE_DIR: "/x/y", XDG_CACHE_HOME: "/a" }), path.resolve("/x/y"));
    assert.equal(cacheDir({ XDG_CACHE_HOME: "/a" }), path.join("/a", "seqlab"));
    assert.equal(cacheDir({}), path.join(os.homedir(), ".cache", "seqlab"));
  });
});
