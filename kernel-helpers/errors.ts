/**
 * One error family for every helper: each error names the problem, what was
 * expected, and ends with what was received, in the Keras manner
 * ("`maxlen` must be a positive integer. Received: maxlen=-1").
 *
 * The argument validators every helper uses (`assertBoolean`, `assertInteger`,
 * `assertPositiveInteger`, `assertOneOf`, `assertRate`, ...) live here too, so one check has
 * one wording everywhere. They are internal: the package's public surface exports the error
 * classes, not the validators.
 *
 * @module
 */

/** Base class of every error thrown by kernel-helpers. */
export class SeqlabError extends Error {
  /**
   * @param message What went wrong, what was expected and how to fix it.
   */
  constructor(message: string) {
    super(message);
    this.name = "SeqlabError";
  }
}

/** An argument has the wrong type, range or value. Mirrors Python's `ValueError`/`TypeError`. */
export class InvalidArgumentError extends SeqlabError {
  /** @param message What was expected and what was received. */
  constructor(message: string) {
    super(message);
    this.name = "InvalidArgumentError";
  }
}

/** Arrays or tensors have incompatible shapes (ragged rows, mismatched lengths). */
export class ShapeError extends SeqlabError {
  /** @param message The shapes expected and received. */
  constructor(message: string) {
    super(message);
    this.name = "ShapeError";
  }
}

/** Data holds values that cannot be used: NaN, Infinity, empty text, unparseable rows. */
export class DataError extends SeqlabError {
  /** @param message Where the bad value is (row, column, index) and how to fix it. */
  constructor(message: string) {
    super(message);
    this.name = "DataError";
  }
}

/** A file the caller named does not exist or cannot be read. */
export class MissingFileError extends SeqlabError {
  /** @param message The path and what to do about it. */
  constructor(message: string) {
    super(message);
    this.name = "MissingFileError";
  }
}

/**
 * Formats a received value for an error message, short and unambiguous.
 *
 * @param value Any value.
 * @returns A one-line representation, at most 80 characters.
 * @example
 * ```ts
 * describeValue("a"); // '"a"'
 * describeValue([1, 2]); // "[1,2]"
 * ```
 */
export function describeValue(value: unknown): string {
  let text: string;
  if (typeof value === "string") text = JSON.stringify(value);
  else if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") text = String(value);
  else if (value === undefined) text = "undefined";
  else if (value === null) text = "null";
  else if (typeof value === "function") text = `function ${value.name || "(anonymous)"}`;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Throws unless `value` is an integer greater than zero.
 *
 * @param value The value to check.
 * @param name The argument's name, used in the message.
 * @throws {InvalidArgumentError} When `value` is not a positive integer.
 * @example
 * ```ts
 * assertPositiveInteger(3, "maxlen"); // ok
 * assertPositiveInteger(-1, "maxlen"); // throws "`maxlen` must be a positive integer. Received: maxlen=-1"
 * ```
 */
export function assertPositiveInteger(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new InvalidArgumentError(
      `\`${name}\` must be a positive integer. Received: ${name}=${describeValue(value)}`,
    );
  }
}

/**
 * Throws unless `value` is an integer greater than or equal to zero.
 *
 * @param value The value to check.
 * @param name The argument's name, used in the message.
 * @throws {InvalidArgumentError} When `value` is not a non-negative integer.
 * @example
 * ```ts
 * assertNonNegativeInteger(0, "startIndex"); // ok
 * ```
 */
export function assertNonNegativeInteger(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new InvalidArgumentError(
      `\`${name}\` must be a non-negative integer. Received: ${name}=${describeValue(value)}`,
    );
  }
}

/**
 * Throws unless `value` is one of `allowed`.
 *
 * @param value The value to check.
 * @param allowed The accepted values.
 * @param name The argument's name, used in the message.
 * @throws {InvalidArgumentError} When `value` is not in `allowed`.
 * @example
 * ```ts
 * assertOneOf("pre", ["pre", "post"] as const, "padding"); // ok
 * ```
 */
export function assertOneOf<T extends string | number | boolean>(
  value: unknown,
  allowed: readonly T[],
  name: string,
): asserts value is T {
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw new InvalidArgumentError(
      `\`${name}\` must be one of ${allowed.map((a) => describeValue(a)).join(", ")}. ` +
        `Received: ${name}=${describeValue(value)}`,
    );
  }
}

/**
 * Throws unless `value` is a finite number (not NaN, not ±Infinity).
 *
 * @param value The value to check.
 * @param name Where the value is, e.g. "data[3][1]".
 * @throws {DataError} When `value` is not finite.
 * @example
 * ```ts
 * assertFiniteNumber(1.5, "x[0]"); // ok
 * ```
 */
export function assertFiniteNumber(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new DataError(
      `\`${name}\` must be a finite number (drop or fill missing values first). Received: ${name}=${describeValue(value)}`,
    );
  }
}

/**
 * Throws unless `value` is `true` or `false`.
 *
 * @param value The value to check.
 * @param name The argument's name, used in the message.
 * @throws {InvalidArgumentError} When `value` is not a boolean.
 * @example
 * ```ts
 * assertBoolean(true, "shuffle"); // ok
 * assertBoolean("yes", "shuffle"); // throws "`shuffle` must be true or false. Received: shuffle=\"yes\""
 * ```
 */
export function assertBoolean(value: unknown, name: string): asserts value is boolean {
  if (typeof value !== "boolean") {
    throw new InvalidArgumentError(`\`${name}\` must be true or false. Received: ${name}=${describeValue(value)}`);
  }
}

/**
 * Throws unless `value` is a string.
 *
 * @param value The value to check.
 * @param name The argument's name, used in the message.
 * @throws {InvalidArgumentError} When `value` is not a string.
 * @example
 * ```ts
 * assertString("utf-8", "encoding"); // ok
 * ```
 */
export function assertString(value: unknown, name: string): asserts value is string {
  if (typeof value !== "string") {
    throw new InvalidArgumentError(`\`${name}\` must be a string. Received: ${name}=${describeValue(value)}`);
  }
}

/**
 * Throws unless `value` is a number (NaN and ±Infinity included: use
 * {@link assertFiniteNumber} to exclude them).
 *
 * @param value The value to check.
 * @param name The argument's name, used in the message.
 * @throws {InvalidArgumentError} When `value` is not a number.
 * @example
 * ```ts
 * assertNumber(-1.5, "value"); // ok
 * ```
 */
export function assertNumber(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number") {
    throw new InvalidArgumentError(`\`${name}\` must be a number. Received: ${name}=${describeValue(value)}`);
  }
}

/**
 * Throws unless `value` is an integer (any sign).
 *
 * @param value The value to check.
 * @param name The argument's name, used in the message.
 * @throws {InvalidArgumentError} When `value` is not an integer.
 * @example
 * ```ts
 * assertInteger(-2, "periods"); // ok
 * ```
 */
export function assertInteger(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new InvalidArgumentError(`\`${name}\` must be an integer. Received: ${name}=${describeValue(value)}`);
  }
}

/**
 * Throws unless `value` is a finite number greater than or equal to zero.
 *
 * @param value The value to check.
 * @param name The argument's name, used in the message.
 * @param unit What the number counts, said in the message (e.g. "milliseconds").
 * @throws {InvalidArgumentError} When `value` is not a finite number ≥ 0.
 * @example
 * ```ts
 * assertNonNegativeNumber(500, "every", "milliseconds"); // ok
 * assertNonNegativeNumber(-1, "every", "milliseconds"); // throws "`every` must be a number of milliseconds ≥ 0"
 * ```
 */
export function assertNonNegativeNumber(value: unknown, name: string, unit?: string): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(`\`${name}\` must be a ${unit ? `number of ${unit}` : "number"} ≥ 0. Received: ${name}=${describeValue(value)}`);
  }
}

/**
 * Throws unless `value` is a finite number greater than zero.
 *
 * @param value The value to check.
 * @param name The argument's name, used in the message.
 * @throws {InvalidArgumentError} When `value` is not a positive finite number.
 * @example
 * ```ts
 * assertPositiveNumber(0.001, "learningRate"); // ok
 * ```
 */
export function assertPositiveNumber(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`\`${name}\` must be a positive number. Received: ${name}=${describeValue(value)}`);
  }
}

/**
 * Throws unless `value` is an optimizer learning rate: a finite number greater than zero.
 *
 * @param value The value to check.
 * @param name The argument's name (default `"learningRate"`).
 * @throws {InvalidArgumentError} When `value` is not a positive finite number.
 * @example
 * ```ts
 * assertLearningRate(0.01); // ok
 * ```
 */
export function assertLearningRate(value: unknown, name = "learningRate"): asserts value is number {
  assertPositiveNumber(value, name);
}

/**
 * Throws unless `value` is a rate in [0, 1), such as a dropout rate.
 *
 * @param value The value to check.
 * @param name The argument's name, used in the message.
 * @throws {InvalidArgumentError} When `value` is not a number in [0, 1).
 * @example
 * ```ts
 * assertRate(0.2, "dropout"); // ok
 * ```
 */
export function assertRate(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value >= 1) {
    throw new InvalidArgumentError(`\`${name}\` must be a number in [0, 1). Received: ${name}=${describeValue(value)}`);
  }
}
