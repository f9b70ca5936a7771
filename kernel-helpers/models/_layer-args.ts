/**
 * Internal: checks the config given to `lstm()` / `gru()` / `simpleRNN()` (and so to
 * `tf.layers.lstm` etc., which kernel-helpers routes to them) before tfjs-layers reads it, so a
 * missing config or `units` gets a clear error instead of a raw `TypeError`.
 *
 * @module
 */
import { InvalidArgumentError, describeValue } from "../errors";

/**
 * Returns `args` when it is a config object with a positive integer `units`.
 *
 * @param args What the caller passed.
 * @param factory The factory's name, e.g. `"lstm"`, for the message.
 * @returns `args`, typed.
 * @throws {InvalidArgumentError} When `args` is not an object or `units` is missing or not a
 *   positive integer (Keras' LSTM/GRU/SimpleRNN require `units` too).
 */
export function checkRecurrentArgs<T extends object>(args: T | undefined, factory: string): T {
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    throw new InvalidArgumentError(
      `\`${factory}()\` needs a config object with the number of units, e.g. \`${factory}({ units: 32 })\`. ` +
        `Received: ${describeValue(args)}`,
    );
  }
  const units = (args as { units?: unknown }).units;
  if (typeof units !== "number" || !Number.isInteger(units) || units <= 0) {
    throw new InvalidArgumentError(
      `\`${factory}()\` needs \`units\`, a positive integer (the size of the hidden state), e.g. ` +
        `\`${factory}({ units: 32 })\`. Received: units=${describeValue(units)}`,
    );
  }
  return args;
}
