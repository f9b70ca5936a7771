/**
 * `padSequences`: Keras' `pad_sequences`.
 *
 * @module
 */
import { DataError, InvalidArgumentError, ShapeError, assertNumber, assertOneOf, describeValue } from "../errors";
import { isArrayLikeOfNumbers } from "./_validate";

/**
 * Options of {@link padSequences}, as in Keras' `pad_sequences`.
 *
 * @example
 * ```ts
 * padSequences([[1, 2], [3]], { maxlen: 4, padding: "post" }); // [[1, 2, 0, 0], [3, 0, 0, 0]]
 * ```
 */
export interface PadSequencesOptions {
  /**
   * Length of every output row; `null` uses the longest sequence.
   * @default null
   */
  maxlen?: number | null;
  /**
   * Element type: `"int32"` truncates fractional values toward zero (like NumPy's cast),
   * `"float32"` rounds to single precision.
   * @default "int32"
   */
  dtype?: "int32" | "float32";
  /**
   * Where padding goes: before (`"pre"`) or after (`"post"`) each sequence.
   * @default "pre"
   */
  padding?: "pre" | "post";
  /**
   * Which end of a long sequence is cut: `"pre"` drops the beginning (keeps the last
   * `maxlen` values), `"post"` drops the end.
   * @default "pre"
   */
  truncating?: "pre" | "post";
  /**
   * The padding value (cast to `dtype` like the data).
   * @default 0
   */
  value?: number;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function castInt32(v: number, where: string): number {
  if (!Number.isFinite(v)) {
    throw new DataError(
      `\`${where}\` must be a finite number with dtype "int32" (use dtype: "float32" for NaN). Received: ${where}=${describeValue(v)}`,
    );
  }
  const t = Math.trunc(v);
  if (t < INT32_MIN || t > INT32_MAX) {
    throw new DataError(`\`${where}\` does not fit in int32 (use dtype: "float32"). Received: ${where}=${v}`);
  }
  return t === 0 ? 0 : t; // no -0
}

/**
 * One time step of a sequence: a number, or a vector / matrix / ... of numbers (the same
 * shape at every step of every sequence).
 *
 * @example
 * ```ts
 * const step: SequenceStep = [0.5, 1]; // a feature vector
 * ```
 */
export type SequenceStep = number | ArrayLike<SequenceStep>;

/** A padded step: a number, or nested arrays of the sample shape. */
type PaddedStep = number | PaddedStep[];

/**
 * The shape of one step (`[]` for a number), checking that nested arrays are rectangular.
 * Returns `null` when `x` is neither a number nor a rectangular nest of number arrays.
 */
function stepShape(x: unknown): number[] | null {
  if (typeof x === "number") return [];
  if (!isNestable(x)) return null;
  if (x.length === 0) return [0];
  const inner = stepShape(x[0]);
  if (inner === null) return null;
  for (let i = 1; i < x.length; i++) {
    const s = stepShape(x[i]);
    if (s === null || !sameShape(s, inner)) return null;
  }
  return [x.length, ...inner];
}

/** True when every leaf of a nest of arrays is a number. */
function onlyNumbers(x: unknown): boolean {
  if (typeof x === "number") return true;
  return isNestable(x) && Array.from(x).every(onlyNumbers);
}

function isNestable(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || isArrayLikeOfNumbers(x);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

function formatShape(shape: readonly number[]): string {
  return `(${shape.join(", ")}${shape.length === 1 ? "," : ""})`;
}

/**
 * Pads (or truncates) sequences of different lengths to one length, as Keras'
 * `pad_sequences`: defaults pad and truncate at the front with 0, dtype int32.
 *
 * ```
 * seqs [[1,2,3], [4]]        maxlen 2
 * padding "pre"  → [[2,3], [0,4]]   (truncating "pre" keeps the end)
 * padding "post" → [[2,3], [4,0]]
 * ```
 *
 * Steps may be feature vectors or matrices (a sequence of `[x, y]` points pads with
 * `[value, value]`); as in Keras, the first non-empty sequence sets the step shape and
 * every kept step must have it.
 *
 * Porting note: `dtype` is `"int32"` or `"float32"` only; under int32, NaN, infinite or
 * out-of-range values throw instead of wrapping as NumPy's cast does.
 *
 * @param sequences Arrays (or typed arrays) of steps; may be empty or ragged in length.
 * @param options `maxlen`, `dtype`, `padding`, `truncating`, `value`.
 * @returns `sequences.length` rows of exactly `maxlen` steps.
 * @throws {InvalidArgumentError} When `sequences` is not an array of arrays of steps, `maxlen`
 *   is not a positive integer, or an option is not one of its allowed values.
 * @throws {ShapeError} When a kept step's shape differs from the first non-empty sequence's.
 * @throws {DataError} When a value is NaN/infinite or out of range under `"int32"`.
 * @example
 * ```ts
 * padSequences([[1, 2, 3], [4]], { maxlen: 2 });                    // [[2, 3], [0, 4]]
 * padSequences([[1, 2, 3], [4]], { padding: "post", value: -1 });   // [[1, 2, 3], [4, -1, -1]]
 * padSequences([[1.7, -1.7]]);                                      // [[1, -1]]
 * padSequences([[[1, 2]], [[3, 4], [5, 6]]]);                       // [[[0, 0], [1, 2]], [[3, 4], [5, 6]]]
 * ```
 */
export function padSequences(sequences: readonly ArrayLike<number>[], options?: PadSequencesOptions): number[][];
export function padSequences(sequences: readonly ArrayLike<ArrayLike<number>>[], options?: PadSequencesOptions): number[][][];
export function padSequences(
  sequences: readonly ArrayLike<ArrayLike<ArrayLike<number>>>[],
  options?: PadSequencesOptions,
): number[][][][];
export function padSequences(sequences: readonly ArrayLike<SequenceStep>[], options?: PadSequencesOptions): PaddedStep[][];
export function padSequences(sequences: readonly ArrayLike<SequenceStep>[], options: PadSequencesOptions = {}): PaddedStep[][] {
  if (!Array.isArray(sequences)) {
    throw new InvalidArgumentError(
      "`sequences` must be an array of number arrays, e.g. [[1, 2], [3]]. Received: sequences=" + describeValue(sequences),
    );
  }
  const dtype = options.dtype ?? "int32";
  const padding = options.padding ?? "pre";
  const truncating = options.truncating ?? "pre";
  const value = options.value ?? 0;
  assertOneOf(dtype, ["int32", "float32"] as const, "dtype");
  assertOneOf(padding, ["pre", "post"] as const, "padding");
  assertOneOf(truncating, ["pre", "post"] as const, "truncating");
  assertNumber(value, "value");
  let longest = 0;
  let stepDims: number[] | null = null;
  for (let i = 0; i < sequences.length; i++) {
    const s: unknown = sequences[i];
    if (!isNestable(s)) {
      throw new InvalidArgumentError(
        `\`sequences[${i}]\` must be an array of numbers (or of number arrays). Received: sequences[${i}]=${describeValue(s)}`,
      );
    }
    if (stepDims === null && s.length > 0) {
      const shape = stepShape(s);
      if (shape === null && !onlyNumbers(s)) {
        throw new InvalidArgumentError(
          `\`sequences[${i}]\` must hold numbers or arrays of numbers. Received: sequences[${i}]=${describeValue(s)}`,
        );
      }
      if (shape === null) {
        throw new ShapeError(
          `\`sequences[${i}]\` must hold numbers, or number arrays of one shape at every step. Received: sequences[${i}]=${describeValue(s)}`,
        );
      }
      stepDims = shape.slice(1);
    }
    if (s.length > longest) longest = s.length;
  }
  const sampleShape = stepDims ?? [];
  let maxlen: number;
  if (options.maxlen === undefined || options.maxlen === null) {
    if (sequences.length === 0) {
      throw new InvalidArgumentError(
        "`maxlen` must be given when `sequences` is empty (there is no longest sequence). Received: maxlen=null, sequences=[]",
      );
    }
    maxlen = longest;
  } else {
    maxlen = options.maxlen;
    if (typeof maxlen !== "number" || !Number.isInteger(maxlen) || maxlen <= 0) {
      throw new InvalidArgumentError(
        "`maxlen` must be a positive integer or null (the longest sequence). Received: maxlen=" + describeValue(maxlen),
      );
    }
  }
  const isInt = dtype === "int32";
  const fill = isInt ? castInt32(value, "value") : Math.fround(value);
  const cast = (v: number, where: () => string): number => {
    if (!isInt) return Math.fround(v);
    const t = v | 0;
    return t === v ? t : castInt32(v, where());
  };
  const padStep = (dims: readonly number[]): PaddedStep =>
    dims.length === 0 ? fill : Array.from({ length: dims[0] }, () => padStep(dims.slice(1)));
  const copyStep = (x: SequenceStep, where: string): PaddedStep =>
    typeof x === "number" ? cast(x, () => where) : Array.from({ length: x.length }, (_, k) => copyStep(x[k], `${where}[${k}]`));
  const out: PaddedStep[][] = new Array(sequences.length);
  for (let i = 0; i < sequences.length; i++) {
    const s = sequences[i];
    const row: PaddedStep[] = new Array(maxlen);
    const n = Math.min(s.length, maxlen);
    const from = truncating === "pre" ? s.length - n : 0;
    const to = padding === "pre" ? maxlen - n : 0;
    for (let k = 0; k < to; k++) row[k] = padStep(sampleShape);
    for (let k = to + n; k < maxlen; k++) row[k] = padStep(sampleShape);
    for (let k = 0; k < n; k++) {
      const step = s[from + k];
      if (sampleShape.length === 0 && typeof step === "number") {
        row[to + k] = cast(step, () => `sequences[${i}][${from + k}]`);
        continue;
      }
      const shape = stepShape(step);
      if (shape === null || !sameShape(shape, sampleShape)) {
        throw new ShapeError(
          `Every step must have the shape of the first non-empty sequence's steps, ${formatShape(sampleShape)}. ` +
            `Received: sequences[${i}][${from + k}] of shape ${shape === null ? "(ragged)" : formatShape(shape)}`,
        );
      }
      row[to + k] = copyStep(step, `sequences[${i}][${from + k}]`);
    }
    out[i] = row;
  }
  return out;
}
