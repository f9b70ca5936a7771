/**
 * `trainTestSplit`: sklearn's `train_test_split`, chronological by default.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { InvalidArgumentError, ShapeError, assertBoolean, describeValue } from "../errors";
import { type FrameLike, type NumericTypedArray, isFrameLike } from "./_inputs";
import { makeRng, permutation } from "./_random";

/** Options of {@link trainTestSplit}; mirrors sklearn's keyword arguments. */
export interface TrainTestSplitOptions {
  /**
   * Test part: a fraction in (0, 1) (the test size is rounded UP: `ceil(testSize * n)`) or a
   * number of rows (an integer ≥ 1). When both sizes are left out, 0.25.
   * @default 0.25 when `trainSize` is also undefined, else the complement of `trainSize`
   */
  testSize?: number;
  /**
   * Train part: a fraction in (0, 1) (rounded DOWN: `floor(trainSize * n)`) or a number of rows.
   * @default the complement of the test part
   */
  trainSize?: number;
  /**
   * Shuffle the rows before splitting. Time series must not be shuffled.
   * @default false
   */
  shuffle?: boolean;
  /**
   * Seed for `shuffle` (sklearn's `random_state`).
   * @default undefined (a fresh random seed)
   */
  seed?: number;
}

/** What {@link trainTestSplit} can split: arrays, typed arrays, tensors, danfo DataFrames and Series. */
export type SplitInput = readonly unknown[] | NumericTypedArray | tf.Tensor | FrameLike;

function isOptions(x: unknown): x is TrainTestSplitOptions {
  return (
    typeof x === "object" &&
    x !== null &&
    !Array.isArray(x) &&
    !ArrayBuffer.isView(x) &&
    !(x instanceof tf.Tensor) &&
    !isFrameLike(x) &&
    isPlainPrototype(Object.getPrototypeOf(x))
  );
}

function isPlainPrototype(proto: unknown): boolean {
  // also accepts objects made in another realm (a notebook kernel's vm context)
  return proto === null || (typeof proto === "object" && (proto as { constructor?: { name?: string } }).constructor?.name === "Object");
}

function lengthOf(x: unknown, i: number): number {
  if (x instanceof tf.Tensor) {
    if (x.rank === 0) throw new ShapeError(`\`arrays[${i}]\` must have at least 1 dimension. Received: a scalar tensor`);
    return x.shape[0];
  }
  if (isFrameLike(x)) return x.shape[0];
  if (Array.isArray(x) || ArrayBuffer.isView(x)) return (x as ArrayLike<unknown>).length;
  throw new InvalidArgumentError(
    `\`arrays[${i}]\` must be an array, a typed array, a tensor, or a danfo DataFrame/Series. Received: ${describeValue(x)}`,
  );
}

function sizeKind(v: number | undefined, name: string): "i" | "f" | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new InvalidArgumentError(`Invalid value for ${name}: \`${name}\` must be a number. Received: ${name}=${describeValue(v)}`);
  }
  return Number.isInteger(v) ? "i" : "f";
}

/**
 * Computes the train and test sizes exactly as sklearn's `_validate_shuffle_split` does.
 *
 * @param n Number of rows.
 * @param testSize See {@link TrainTestSplitOptions.testSize}.
 * @param trainSize See {@link TrainTestSplitOptions.trainSize}.
 * @returns `[nTrain, nTest]`.
 * @throws {InvalidArgumentError} For sizes out of range or an empty train set.
 * @example
 * ```ts
 * splitSizes(3522, 0.1); // [3169, 353]
 * ```
 */
export function splitSizes(n: number, testSize?: number, trainSize?: number): [number, number] {
  if (testSize === undefined && trainSize === undefined) testSize = 0.25;
  const testKind = sizeKind(testSize, "testSize");
  const trainKind = sizeKind(trainSize, "trainSize");
  const bad = (v: number, k: "i" | "f" | undefined) => (k === "i" && (v >= n || v <= 0)) || (k === "f" && (v <= 0 || v >= 1));
  if (testSize !== undefined && bad(testSize, testKind)) {
    throw new InvalidArgumentError(
      `\`testSize\` should be either positive and smaller than the number of samples ${n} or a float in the (0, 1) range. Received: testSize=${testSize}`,
    );
  }
  if (trainSize !== undefined && bad(trainSize, trainKind)) {
    throw new InvalidArgumentError(
      `\`trainSize\` should be either positive and smaller than the number of samples ${n} or a float in the (0, 1) range. Received: trainSize=${trainSize}`,
    );
  }
  if (testKind === "f" && trainKind === "f" && (trainSize as number) + (testSize as number) > 1) {
    throw new InvalidArgumentError(
      `The sum of \`testSize\` and \`trainSize\` should be in the (0, 1) range. Reduce testSize and/or trainSize. ` +
        `Received: testSize + trainSize=${(trainSize as number) + (testSize as number)}`,
    );
  }
  let nTest = testSize === undefined ? NaN : testKind === "f" ? Math.ceil(testSize * n) : testSize;
  let nTrain = trainSize === undefined ? NaN : trainKind === "f" ? Math.floor(trainSize * n) : trainSize;
  if (trainSize === undefined) nTrain = n - nTest;
  else if (testSize === undefined) nTest = n - nTrain;
  if (nTrain + nTest > n) {
    throw new InvalidArgumentError(
      `The sum of train and test sizes should be at most the number of samples ${n}. Reduce testSize and/or trainSize. ` +
        `Received: train size ${nTrain} + test size ${nTest} = ${nTrain + nTest}`,
    );
  }
  if (nTrain === 0) {
    throw new InvalidArgumentError(
      `With n_samples=${n}, testSize=${describeValue(testSize)} and trainSize=${describeValue(trainSize)}, the resulting train set will be empty. ` +
        `Adjust any of these parameters. Received: ${n} rows`,
    );
  }
  return [nTrain, nTest];
}

function take(x: SplitInput, rows: number[], contiguous: boolean): SplitInput {
  if (x instanceof tf.Tensor) {
    if (contiguous) return rows.length === 0 ? tf.gather(x, tf.tensor1d([], "int32")) : x.slice(rows[0], rows.length);
    return tf.tidy(() => tf.gather(x, tf.tensor1d(rows, "int32")));
  }
  if (isFrameLike(x)) {
    const f = x as FrameLike & { iloc: (arg: unknown) => FrameLike };
    return x.ndim === 1 ? f.iloc(rows) : f.iloc({ rows });
  }
  if (ArrayBuffer.isView(x)) {
    const typed = x as NumericTypedArray;
    const Ctor = typed.constructor as new (n: number) => NumericTypedArray;
    const out = new Ctor(rows.length);
    rows.forEach((r, k) => (out[k] = typed[r]));
    return out;
  }
  const arr = x as readonly unknown[];
  return rows.map((r) => arr[r]);
}

/**
 * Splits arrays into train and test parts, like sklearn's `train_test_split`, returning
 * `[train0, test0, train1, test1, ...]`. Without shuffling the train part is the first rows and the
 * test part the rows right after them, in order: the split a time series needs.
 *
 * Sizes are sklearn's: a fractional `testSize` rounds the test part up (`ceil`), a fractional
 * `trainSize` rounds the train part down, integers are row counts.
 *
 * Porting note: `shuffle` defaults to `false` (sklearn: `True`), since this package is for time
 * series. A JavaScript number has no int/float distinction: `testSize: 1` means one row (like
 * Python's `1`), never 100%. Each part has the input's kind: arrays give arrays, tensors new
 * tensors (the caller disposes them), DataFrames and Series keep their index.
 *
 * @param args The arrays (all with the same number of rows), then optionally the options object.
 * @returns `[train0, test0, train1, test1, ...]`.
 * @throws {InvalidArgumentError} Without arrays, for an unsupported input, or sizes out of range.
 * @throws {ShapeError} When the arrays have different numbers of rows.
 * @example
 * ```ts
 * const X = Array.from({ length: 10 }, (_, i) => [i]);
 * const y = X.map(([v]) => 2 * v);
 * const [xTrain, xTest, yTrain, yTest] = trainTestSplit(X, y, { testSize: 0.1 });
 * xTest; // [[9]]
 * // 10 rows -> 9 train rows, then 1 test row, in time order (no shuffling)
 * ```
 */
export function trainTestSplit<A extends SplitInput>(a: A, options?: TrainTestSplitOptions): [A, A];
export function trainTestSplit<A extends SplitInput, B extends SplitInput>(a: A, b: B, options?: TrainTestSplitOptions): [A, A, B, B];
export function trainTestSplit<A extends SplitInput, B extends SplitInput, C extends SplitInput>(
  a: A,
  b: B,
  c: C,
  options?: TrainTestSplitOptions,
): [A, A, B, B, C, C];
export function trainTestSplit(...args: Array<SplitInput | TrainTestSplitOptions | undefined>): SplitInput[];
export function trainTestSplit(...args: Array<SplitInput | TrainTestSplitOptions | undefined>): SplitInput[] {
  let options: TrainTestSplitOptions = {};
  const last = args[args.length - 1];
  if (args.length > 0 && (last === undefined || isOptions(last))) {
    options = (args.pop() as TrainTestSplitOptions | undefined) ?? {};
  }
  const arrays = args as SplitInput[];
  if (arrays.length === 0) {
    throw new InvalidArgumentError("At least one array is required as input: trainTestSplit(X, y, { testSize: 0.1 }). Received: no arrays");
  }
  const lengths = arrays.map((x, i) => lengthOf(x, i));
  if (new Set(lengths).size > 1) {
    throw new ShapeError(
      `Found input variables with inconsistent numbers of samples: every array must have the same number of rows. Received: lengths [${lengths.join(", ")}]`,
    );
  }
  const { testSize, trainSize, shuffle = false } = options;
  assertBoolean(shuffle, "shuffle");
  const n = lengths[0];
  const [nTrain, nTest] = splitSizes(n, testSize, trainSize);
  let trainRows: number[];
  let testRows: number[];
  if (shuffle) {
    const perm = Array.from(permutation(n, makeRng(options.seed)));
    testRows = perm.slice(0, nTest);
    trainRows = perm.slice(nTest, nTest + nTrain);
  } else {
    trainRows = Array.from({ length: nTrain }, (_, i) => i);
    testRows = Array.from({ length: nTest }, (_, i) => nTrain + i);
  }
  const out: SplitInput[] = [];
  for (const x of arrays) out.push(take(x, trainRows, !shuffle), take(x, testRows, !shuffle));
  return out;
}
