/**
 * mocha's spec reporter plus one closing line in the plain form CI reads:
 * `mocha: 120 passed, 0 failed, 2 skipped`.
 *
 * @module
 */
import Mocha from "mocha";

/** The spec reporter with a plain summary line at the end. */
class SpecWithSummary extends Mocha.reporters.Spec {
  /**
   * @param runner The mocha runner.
   * @param options Reporter options.
   */
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const s = runner.stats;
      if (s) process.stdout.write(`\nmocha: ${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`);
    });
  }
}

export = SpecWithSummary;
