import { strict as assert } from "node:assert";
import { once } from "node:events";
import { JsonLinesProcess } from "../../../src/bench/_json-lines-process";

describe("bench JsonLinesProcess", function () {
  it("answers requests over JSON lines", async function () {
    const side = new JsonLinesProcess("echo side", process.execPath, ["-e", "process.stdin.pipe(process.stdout)"], process.env);
    try {
      assert.deepEqual(await side.request({ ok: true, n: 1 }), { ok: true, n: 1 });
      await assert.rejects(side.request({ ok: false, error: "bad input" }), /^Error: echo side: bad input$/);
    } finally {
      side.close();
    }
  });

  it("a missing executable rejects the request with a labelled message, not an unhandled error", async function () {
    const side = new JsonLinesProcess("test side", "seqlab-no-such-program", [], process.env);
    try {
      await assert.rejects(side.request({ op: "ping" }), (e: Error) => {
        assert.match(e.message, /the test side process could not run `seqlab-no-such-program`: .*ENOENT/);
        assert.match(e.message, /check that the program exists/);
        return true;
      });
      // Later requests get the same message.
      await assert.rejects(side.request({ op: "ping" }), /the test side process could not run/);
    } finally {
      side.close();
    }
  });

  it("a request after the process died rejects with a labelled message", async function () {
    const side = new JsonLinesProcess("dead side", process.execPath, ["-e", "process.stderr.write('gone\\n'); process.exit(3)"], process.env);
    const child = (side as unknown as { child: NodeJS.EventEmitter }).child;
    await once(child, "exit");
    try {
      await assert.rejects(side.request({ op: "ping" }), /the dead side process (exited|stopped reading requests).*gone/);
      await assert.rejects(side.request({ op: "ping" }), /the dead side process/);
    } finally {
      side.close();
    }
  });
});
