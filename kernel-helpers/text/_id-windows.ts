/**
 * What {@link nextTokenWindows} and {@link sequenceWindows} share: checking their arguments,
 * counting windows, and the (shuffled) order and start offsets of one pass.
 *
 * @internal
 * @module
 */
import seedrandom from "seedrandom";
import { DataError, InvalidArgumentError, assertBoolean, assertPositiveInteger, describeValue } from "../errors";
import { isArrayLikeOfNumbers } from "./_validate";

/** The options both window functions take. */
interface IdWindowsOptions {
  seqLength: number;
  step?: number;
  batchSize?: number;
  shuffle?: boolean;
  seed?: number | string;
}

/** Checked arguments of a window function, with the ids copied into an `Int32Array`. */
export interface IdWindowsArgs {
  ids: Int32Array;
  seqLength: number;
  step: number;
  batchSize: number;
  shuffle: boolean;
  seed: number | string | undefined;
}

/**
 * Checks `ids` and `options` of a window function and copies the ids.
 *
 * @param ids Token ids as the caller gave them.
 * @param options Options as the caller gave them.
 * @param defaultStep The step when `options.step` is unset, from `seqLength`.
 * @param unit What one window is called in messages ("window", "sequence").
 * @returns The checked arguments.
 * @throws {InvalidArgumentError} When an option has the wrong type or is not a positive integer.
 * @throws {DataError} When an id is not a non-negative integer, or `ids` is not longer than `seqLength`.
 */
export function checkIdWindowsArgs(
  ids: ArrayLike<number>,
  options: IdWindowsOptions,
  defaultStep: (seqLength: number) => number,
  unit: string,
): IdWindowsArgs {
  if (!isArrayLikeOfNumbers(ids)) {
    throw new InvalidArgumentError("`ids` must be an array (or Int32Array) of token ids. Received: ids=" + describeValue(ids));
  }
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError("`options` must be an object with at least `seqLength`. Received: options=" + describeValue(options));
  }
  const { seqLength } = options;
  assertPositiveInteger(seqLength, "seqLength");
  const step = options.step ?? defaultStep(seqLength);
  const batchSize = options.batchSize ?? 32;
  const shuffle = options.shuffle ?? false;
  assertPositiveInteger(step, "step");
  assertPositiveInteger(batchSize, "batchSize");
  assertBoolean(shuffle, "shuffle");
  if (options.seed !== undefined && typeof options.seed !== "number" && typeof options.seed !== "string") {
    throw new InvalidArgumentError("`seed` must be a number or a string. Received: seed=" + describeValue(options.seed));
  }
  const copy = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i]!;
    if (!Number.isInteger(v) || v < 0 || v > 2147483647) {
      throw new DataError(`\`ids[${i}]\` must be a non-negative integer token id. Received: ids[${i}]=${describeValue(v)}`);
    }
    copy[i] = v;
  }
  if (copy.length <= seqLength) {
    throw new DataError(
      `\`ids\` must be longer than \`seqLength\` (${seqLength}) to give at least one ${unit} and its next token: ` +
        `use a longer text or a smaller seqLength. Received: ids.length=${copy.length}`,
    );
  }
  return { ids: copy, seqLength, step, batchSize, shuffle, seed: options.seed };
}

/**
 * Number of windows of `seqLength` ids that have a next id, starting every `step` ids.
 *
 * @returns `floor((length - seqLength - 1) / step) + 1`, or 0 when `length <= seqLength`.
 */
export function countWindows(length: number, seqLength: number, step: number): number {
  return length > seqLength ? Math.floor((length - seqLength - 1) / step) + 1 : 0;
}

/**
 * The random number source of a shuffle: seeded when `seed` is given.
 *
 * @returns A function giving numbers in [0, 1).
 */
export function shuffleSource(seed: number | string | undefined): () => number {
  return seed === undefined ? Math.random : seedrandom(String(seed));
}

/**
 * The start offsets of one pass over `numWindows` windows, a batch at a time: in order, or in
 * a new Fisher–Yates order drawn from `rng` when `shuffle`.
 *
 * @returns An iterator of batches of start offsets into the ids.
 */
export function* batchStarts(
  numWindows: number,
  batchSize: number,
  step: number,
  shuffle: boolean,
  rng: () => number,
): Generator<number[]> {
  let order: Int32Array | null = null;
  if (shuffle) {
    order = new Int32Array(numWindows);
    for (let i = 0; i < order.length; i++) order[i] = i;
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
  }
  for (let b = 0; b < numWindows; b += batchSize) {
    const end = Math.min(b + batchSize, numWindows);
    const starts: number[] = [];
    for (let k = b; k < end; k++) starts.push((order ? order[k]! : k) * step);
    yield starts;
  }
}
