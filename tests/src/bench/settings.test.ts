import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { intSetting, listSetting, median } from "../../../src/bench/_settings";
import { projectRoot } from "../../support/project";

/** Runs `fn` with the environment variable `name` set to `value` (unset for `undefined`). */
function withEnv<T>(name: string, value: string | undefined, fn: () => T): T {
  const before = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

describe("bench settings", function () {
  it("median: the middle value, or the mean of the middle two", function () {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
  });

  it("intSetting: the fallback when unset, the value when valid, an error naming the fix otherwise", function () {
    const name = "SEQLAB_TEST_INT_SETTING";
    assert.equal(withEnv(name, undefined, () => intSetting(name, 7)), 7);
    assert.equal(withEnv(name, "3", () => intSetting(name, 7)), 3);
    for (const bad of ["0", "abc", "-2", "1.5"]) {
      assert.throws(() => withEnv(name, bad, () => intSetting(name, 7)), new RegExp(`^Error: ${name} must be a positive integer: set it to 1 or more, or unset it\\. Received: ${name}=${bad.replace(".", "\\.")}$`));
    }
    assert.equal(withEnv(name, "2", () => intSetting(name, 3, 2, "epoch 1 is warm-up")), 2);
    assert.throws(
      () => withEnv(name, "1", () => intSetting(name, 3, 2, "epoch 1 is warm-up")),
      /must be an integer of at least 2 \(epoch 1 is warm-up\): set it to 2 or more, or unset it\. Received: SEQLAB_TEST_INT_SETTING=1$/,
    );
  });

  it("listSetting: all when unset, the items chosen, an error naming unknown items and the choices", function () {
    const name = "SEQLAB_TEST_LIST_SETTING";
    const all = ["lstm", "gru", "simpleRNN"] as const;
    assert.deepEqual(withEnv(name, undefined, () => listSetting(name, all)), ["lstm", "gru", "simpleRNN"]);
    assert.deepEqual(withEnv(name, "gru, lstm", () => listSetting(name, all)), ["gru", "lstm"]);
    assert.throws(() => withEnv(name, "gru,lstmm", () => listSetting(name, all)), /SEQLAB_TEST_LIST_SETTING: unknown lstmm; choose from lstm, gru, simpleRNN/);
  });

  for (const [bench, env, message] of [
    ["kernels", { SEQLAB_BENCH_ROUNDS: "0" }, /SEQLAB_BENCH_ROUNDS must be a positive integer.*Received: SEQLAB_BENCH_ROUNDS=0/],
    ["kernels", { SEQLAB_BENCH_ROUNDS: "abc" }, /SEQLAB_BENCH_ROUNDS must be a positive integer.*Received: SEQLAB_BENCH_ROUNDS=abc/],
    ["rnn", { SEQLAB_BENCH_EPOCHS: "1" }, /SEQLAB_BENCH_EPOCHS must be an integer of at least 2 \(epoch 1 is warm-up, not timed\)/],
    ["rnn-variants", { SEQLAB_BENCH_EPOCHS: "1" }, /SEQLAB_BENCH_EPOCHS must be an integer of at least 2 \(epoch 1 is warm-up, not timed\)/],
  ] as const) {
    it(`npm run bench -- ${bench} with ${JSON.stringify(env)} stops with that error, no rows`, function () {
      this.timeout(120_000);
      const r = spawnSync(process.execPath, [path.join(projectRoot, "dist", "src", "bench", "index.js"), bench, "--quick"], {
        encoding: "utf8",
        env: { ...process.env, SEQLAB_BENCH_PYTHON: "none", ...env },
      });
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stdout, /NaN/);
    });
  }
});
