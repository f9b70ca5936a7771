/**
 * Checks on single values: shapes, dtypes, lengths, ranges, closeness, equality.
 *
 * Each names the checked value as the student wrote it (`name`) and, through `note`, where
 * the expected value comes from ("(MAXLEN)"), so a failure points at the fix.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { describeValue } from "../errors";
import { CheckError } from "./check-error";

/** One expected dimension: a size, or `null` for "any size". */
export type Dim = number | null;

const suffix = (note: string | undefined): string => (note ? ` ${note}` : "");
const showShape = (shape: readonly Dim[]): string => `[${shape.map((d) => (d === null ? "any" : String(d))).join(", ")}]`;

/**
 * The shape of a tensor or of a rectangular nested array.
 *
 * @param value A tensor, a nested array or a scalar.
 * @param name The value's name, for the error.
 * @returns The shape (`[]` for a scalar).
 * @throws {CheckError} When a nested array is ragged (rows of different lengths).
 * @example
 * ```ts
 * shapeOf([[1, 2, 3], [4, 5, 6]], "rows"); // [2, 3]
 * ```
 */
export function shapeOf(value: unknown, name: string): number[] {
  if (value instanceof tf.Tensor) return [...value.shape];
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) return [];
  const items = Array.from(value as ArrayLike<unknown>);
  if (items.length === 0) return [0];
  const inner = shapeOf(items[0], `${name}[0]`);
  for (let i = 1; i < items.length; i++) {
    const s = shapeOf(items[i], `${name}[${i}]`);
    if (s.join(",") !== inner.join(",")) {
      throw new CheckError(`${name} is ragged: ${name}[0] has shape ${showShape(inner)} but ${name}[${i}] has shape ${showShape(s)}; every row must have the same length (pad them).`);
    }
  }
  return [items.length, ...inner];
}

/**
 * Checks the shape of a tensor or a nested array.
 *
 * @param value What the student computed.
 * @param expected The expected shape; `null` accepts any size in that dimension.
 * @param name The value's name in the notebook.
 * @param note Where the expected shape comes from, e.g. `"(TRAIN_SIZE, MAXLEN)"`.
 * @throws {CheckError} "xTrain has shape [2000, 199]; expected [2000, 200] (TRAIN_SIZE, MAXLEN)".
 * @example
 * ```ts
 * checkShape(tf.zeros([2, 3]), [2, 3], "x"); // passes
 * checkShape([[1, 2]], [null, 2], "pairs");   // passes
 * ```
 */
export function checkShape(value: unknown, expected: readonly Dim[], name: string, note?: string): void {
  if (!(value instanceof tf.Tensor) && !Array.isArray(value) && !ArrayBuffer.isView(value)) {
    throw new CheckError(`${name} should be a tensor or an array of shape ${showShape(expected)}${suffix(note)}. Received: ${name}=${describeValue(value)}`);
  }
  const shape = shapeOf(value, name);
  const ok = shape.length === expected.length && expected.every((d, i) => d === null || d === shape[i]);
  if (!ok) throw new CheckError(`${name} has shape ${showShape(shape)}; expected ${showShape(expected)}${suffix(note)}`);
}

/**
 * Checks a tensor's dtype.
 *
 * @param value A tensor.
 * @param dtype The expected dtype.
 * @param name The tensor's name in the notebook.
 * @throws {CheckError} When it is not a tensor or has another dtype.
 * @example
 * ```ts
 * checkDtype(tf.tensor([1], [1], "int32"), "int32", "xTrain");
 * ```
 */
export function checkDtype(value: unknown, dtype: tf.DataType, name: string): void {
  if (!(value instanceof tf.Tensor)) throw new CheckError(`${name} should be a tensor. Received: ${name}=${describeValue(value)}`);
  if (value.isDisposed) throw new CheckError(`${name} has been disposed; keep it until the end of the notebook.`);
  if (value.dtype !== dtype) throw new CheckError(`${name} has dtype ${value.dtype}; expected ${dtype}`);
}

/**
 * Checks the length of an array (plain or typed) or string.
 *
 * @param value The array or string.
 * @param length The expected length.
 * @param name Its name in the notebook.
 * @param note Where the length comes from.
 * @throws {CheckError} "testLabels has 999 elements; expected 1000 (TEST_SIZE)".
 * @example
 * ```ts
 * checkLength([1, 2, 3], 3, "ids");
 * ```
 */
export function checkLength(value: unknown, length: number, name: string, note?: string): void {
  if (typeof value !== "string" && !Array.isArray(value) && !(ArrayBuffer.isView(value) && "length" in value)) {
    throw new CheckError(`${name} should be an array or a string of length ${length}${suffix(note)}. Received: ${name}=${describeValue(value)}`);
  }
  const n = (value as ArrayLike<unknown>).length;
  if (n !== length) {
    throw new CheckError(`${name} has ${n} ${typeof value === "string" ? "characters" : "elements"}; expected ${length}${suffix(note)}`);
  }
}

/**
 * Checks that a number (or every number of an array) lies in `[min, max]` and is finite.
 *
 * @param value A number or an array of numbers.
 * @param range The bounds (inclusive); a missing bound is unbounded.
 * @param name Its name in the notebook.
 * @throws {CheckError} "testAccuracy is 1.3; expected a number in [0, 1]".
 * @example
 * ```ts
 * checkInRange(0.87, { min: 0, max: 1 }, "testAccuracy");
 * ```
 */
export function checkInRange(value: unknown, range: { min?: number; max?: number }, name: string): void {
  const lo = range.min ?? -Infinity;
  const hi = range.max ?? Infinity;
  const span = `[${range.min ?? "-∞"}, ${range.max ?? "∞"}]`;
  const values = Array.isArray(value) ? value : [value];
  values.forEach((v, i) => {
    const label = Array.isArray(value) ? `${name}[${i}]` : name;
    if (typeof v !== "number" || !Number.isFinite(v)) throw new CheckError(`${label} should be a finite number in ${span}. Received: ${label}=${describeValue(v)}`);
    if (v < lo || v > hi) throw new CheckError(`${label} is ${v}; expected a number in ${span}`);
  });
}

/**
 * Checks that a number is within `tolerance` of an expected value (for values computed
 * exactly, such as a mean; never for numbers training noise moves).
 *
 * @param value The computed number.
 * @param expected The expected number.
 * @param name Its name in the notebook.
 * @param options `tolerance` (absolute, default 1e-6) and `note`.
 * @throws {CheckError} "mean is 12.5; expected 16.4 (± 1e-6) (the mean of trainTemps)".
 * @example
 * ```ts
 * checkClose(0.1 + 0.2, 0.3, "sum");
 * ```
 */
export function checkClose(value: unknown, expected: number, name: string, options: { tolerance?: number; note?: string } = {}): void {
  const tolerance = options.tolerance ?? 1e-6;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new CheckError(`${name} should be a finite number close to ${expected}. Received: ${name}=${describeValue(value)}`);
  if (Math.abs(value - expected) > tolerance) throw new CheckError(`${name} is ${value}; expected ${expected} (± ${tolerance})${suffix(options.note)}`);
}

/**
 * Checks that two plain values (numbers, strings, arrays, objects) are deeply equal.
 *
 * @param value The computed value.
 * @param expected The expected value.
 * @param name Its name in the notebook.
 * @param note Where the expected value comes from.
 * @throws {CheckError} 'order is ["LSTM","GRU"]; expected ["SimpleRNN","LSTM","GRU"]'.
 * @example
 * ```ts
 * checkEqual(["a", "b"], ["a", "b"], "names");
 * ```
 */
export function checkEqual(value: unknown, expected: unknown, name: string, note?: string): void {
  if (JSON.stringify(value) !== JSON.stringify(expected)) {
    throw new CheckError(`${name} is ${describeValue(value)}; expected ${describeValue(expected)}${suffix(note)}`);
  }
}

/**
 * Checks a condition, failing with the given teacher's comment.
 *
 * @param condition What must hold.
 * @param message What is wrong when it does not, and how to fix it.
 * @throws {CheckError} With `message`.
 * @example
 * ```ts
 * checkTrue(typeof trainAndEvaluate === "function", "define trainAndEvaluate(name, cell) in Task 2");
 * ```
 */
export function checkTrue(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckError(message);
}
