import { strict as assert } from "node:assert";
import { EXIT_GUARD_PATCH, guardProcessExit, ProcessExitRefused } from "../../../src/kernel/exit-guard";

describe("kernel exit guard", () => {
  it("process.exit() throws ProcessExitRefused naming the call and what to do instead", () => {
    const original = process.exit;
    try {
      guardProcessExit();
      assert.throws(
        () => process.exit(3),
        (err: unknown) =>
          err instanceof ProcessExitRefused &&
          err.code === 3 &&
          err.message === "process.exit(3) was refused: it would end the kernel and lose every variable. To stop a cell early, throw an error; to start afresh, use Kernel > Restart Kernel.",
      );
    } finally {
      EXIT_GUARD_PATCH.uninstall();
    }
    assert.equal(process.exit, original);
  });
});
