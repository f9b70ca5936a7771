/**
 * seqlab checkouts as sides of `npm run bench -- rnn-variants`: each runs `_variant-worker.ts`
 * in its own Node process with that checkout's `@tensorflow/tfjs-node` and built
 * `kernel-helpers`. The current code is one side; `SEQLAB_BENCH_BASELINE=<checkout>` adds
 * another (e.g. the commit an issue was measured against, installed with `npm install`).
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { JsonLinesProcess } from "./_json-lines-process";

/**
 * A running `_variant-worker.ts` for one checkout: one request at a time.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-node";
 * const side = new SeqlabSide("seqlab side", process.cwd());
 * (await side.request({ op: "hello" })).tfjs === tf.version.tfjs; // true
 * await side.request({ op: "nope" }); // throws Error "seqlab side: unknown op nope"
 * side.close();
 * ```
 */
export class SeqlabSide extends JsonLinesProcess {
  /**
   * @param label Printed in errors, e.g. `"baseline side"`.
   * @param root The checkout whose libraries the worker loads.
   */
  constructor(label: string, readonly root: string) {
    super(label, process.execPath, [path.join(__dirname, "_variant-worker.js"), root], {
      ...process.env,
      TF_CPP_MIN_LOG_LEVEL: process.env.TF_CPP_MIN_LOG_LEVEL ?? "2",
    });
  }
}

/** What a checkout must have for the worker to load it. */
const NEEDED = [
  ["kernel-helpers/dist/index.js", "its kernel-helpers are not built (run `npm install` there)"],
  ["node_modules/@tensorflow/tfjs-node/package.json", "it has no node_modules/@tensorflow/tfjs-node (run `npm install` there)"],
] as const;

/**
 * The baseline checkout from `SEQLAB_BENCH_BASELINE`, or why there is none.
 *
 * @returns `{root}` (absolute) or `{reason}` when the setting is unset.
 * @throws Error when it is set to a folder that is not an installed seqlab checkout.
 * @example
 * ```ts
 * delete process.env.SEQLAB_BENCH_BASELINE;
 * "reason" in findBaseline(); // true: no baseline
 * process.env.SEQLAB_BENCH_BASELINE = ".";
 * findBaseline(); // { root: process.cwd() } in an installed checkout
 * process.env.SEQLAB_BENCH_BASELINE = "no-such-folder";
 * findBaseline(); // throws Error "SEQLAB_BENCH_BASELINE=no-such-folder is not an installed seqlab checkout: ..."
 * ```
 */
export function findBaseline(): { root: string } | { reason: string } {
  const raw = process.env.SEQLAB_BENCH_BASELINE;
  if (!raw) {
    return {
      reason:
        "no baseline: set SEQLAB_BENCH_BASELINE to another seqlab checkout (e.g. `git worktree add ../seqlab-4015ad8 4015ad8 && cd ../seqlab-4015ad8 && npm install`) to compare with it",
    };
  }
  const root = path.resolve(raw);
  for (const [file, problem] of NEEDED) {
    if (!fs.existsSync(path.join(root, file))) {
      throw new Error(`SEQLAB_BENCH_BASELINE=${raw} is not an installed seqlab checkout: ${problem}. Received: ${root}`);
    }
  }
  return { root };
}
