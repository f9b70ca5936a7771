/**
 * `padSequences`: Keras' `pad_sequences`.
 *
 * @module
 */
import { DataError, InvalidArgumentError, assertOneOf, describeValue } from "../errors";
import { isArrayLikeOfNumbers } from "./_validate";

/**
 * Options of {@link padSequences}, as in Keras' `pad_sequences`.
 *
 * @example
 * ```ts
 * padSequences(seqs, { maxlen: 200, padding: "post" });
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
 * Pads (or truncates) sequences of different lengths to one length, as Keras'
 * `pad_sequences`: defaults pad and truncate at the front with 0, dtype int32.
 *
 * ```
 * seqs [[1,2,3], [4]]        maxlen 2
 * padding "pre"  → [[2,3], [0,4]]   (truncating "pre" keeps the end)
 * padding "post" → [[2,3], [4,0]]
 * ```
 *
 * Porting note: `dtype` is `"int32"` or `"float32"` only; under int32, NaN, infinite or
 * out-of-range values throw instead of wrapping as NumPy's cast does.
 *
 * @param sequences Arrays (or typed arrays) of numbers; may be empty or ragged.
 * @param options `maxlen`, `dtype`, `padding`, `truncating`, `value`.
 * @returns `sequences.length` rows of exactly `maxlen` numbers.
 * @throws {InvalidArgumentError} When `sequences` is not an array of number arrays, `maxlen`
 *   is not a positive integer, or an option is not one of its allowed values.
 * @throws {DataError} When a value is NaN/infinite or out of range under `"int32"`.
 * @example
 * ```ts
 * padSequences([[1, 2, 3], [4]], { maxlen: 2 });                    // [[2, 3], [0, 4]]
 * padSequences([[1, 2, 3], [4]], { padding: "post", value: -1 });   // [[1, 2, 3], [4, -1, -1]]
 * padSequences([[1.7, -1.7]]);                                      // [[1, -1]]
 * ```
 */
export function padSequences(sequences: readonly ArrayLike<number>[], options: PadSequencesOptions = {}): number[][] {
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
  if (typeof value !== "number") {
    throw new InvalidArgumentError("`value` must be a number. Received: value=" + describeValue(value));
  }
  let longest = 0;
  for (let i = 0; i < sequences.length; i++) {
    const s: unknown = sequences[i];
    if (!isArrayLikeOfNumbers(s)) {
      throw new InvalidArgumentError(
        `\`sequences[${i}]\` must be an array of numbers. Received: sequences[${i}]=${describeValue(s)}`,
      );
    }
    if (s.length > longest) longest = s.length;
  }
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
  const out: number[][] = new Array(sequences.length);
  for (let i = 0; i < sequences.length; i++) {
    const s = sequences[i];
    const row = new Array<number>(maxlen).fill(fill);
    const n = Math.min(s.length, maxlen);
    const from = truncating === "pre" ? s.length - n : 0;
    const to = padding === "pre" ? maxlen - n : 0;
    if (isInt) {
      for (let k = 0; k < n; k++) {
        const v = s[from + k];
        const t = v | 0;
        row[to + k] = t === v ? t : castInt32(v, `sequences[${i}][${from + k}]`);
      }
    } else {
      for (let k = 0; k < n; k++) row[to + k] = Math.fround(s[from + k]);
    }
    out[i] = row;
  }
  return out;
}
