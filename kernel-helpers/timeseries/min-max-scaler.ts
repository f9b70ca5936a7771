/**
 * `MinMaxScaler`: sklearn's `MinMaxScaler` (per-feature scaling to a range).
 *
 * @module
 */
import { InvalidArgumentError, assertBoolean, describeValue } from "../errors";
import { type Matrix, mapMatrix, readFittedInput, readMatrix } from "./_scaling";
import type { ScalerInput, Scaled } from "./standard-scaler";

/** Options of {@link MinMaxScaler}. */
export interface MinMaxScalerArgs {
  /**
   * Desired range `[min, max]` of the transformed data; `min` must be smaller than `max`.
   * @default [0, 1]
   */
  featureRange?: [number, number];
  /**
   * Clip transformed values of unseen data to `featureRange`.
   * @default false
   */
  clip?: boolean;
}

/**
 * Scales each feature to a given range, like sklearn's `MinMaxScaler`:
 * `x * scale + min` with `scale = (hi - lo) / (dataMax - dataMin)` and `min = lo - dataMin * scale`.
 * A constant feature (range within rounding error of zero) uses a range of 1, so it maps to `lo`.
 *
 * Porting note: NaN and Infinity are rejected with an error naming the row (sklearn ignores NaN
 * in `fit`). DataFrames give DataFrames back (same index and columns), tensors float32 tensors.
 * Attributes are camelCase: `dataMin`, `dataMax`, `dataRange`, `scale`, `min`, `nFeaturesIn`.
 *
 * @example
 * ```ts
 * const mm = new MinMaxScaler({ featureRange: [-1, 1] });
 * mm.fitTransform([[0], [5], [10]]); // [[-1], [0], [1]]
 * mm.inverseTransform([[0.5]]); // [[7.5]]
 * ```
 */
export class MinMaxScaler {
  /** Per-feature minimum seen in `fit` (`data_min_`). */
  dataMin: number[] | null = null;
  /** Per-feature maximum seen in `fit` (`data_max_`). */
  dataMax: number[] | null = null;
  /** Per-feature `dataMax - dataMin` (`data_range_`). */
  dataRange: number[] | null = null;
  /** Per-feature multiplier (`scale_`). */
  scale: number[] | null = null;
  /** Per-feature offset added after scaling (`min_`). */
  min: number[] | null = null;
  /** Number of features seen in `fit` (`n_features_in_`). */
  nFeaturesIn: number | null = null;
  /** Number of samples seen in `fit` (`n_samples_seen_`). */
  nSamplesSeen: number | null = null;
  /** Column names when fitted on a DataFrame (`feature_names_in_`). */
  featureNamesIn: string[] | null = null;
  /** Resolved `featureRange`. */
  readonly featureRange: [number, number];
  /** Resolved `clip`. */
  readonly clip: boolean;

  /**
   * @param args See {@link MinMaxScalerArgs}.
   * @throws {InvalidArgumentError} When `featureRange` is not two finite numbers with min < max, or `clip` is not a boolean.
   */
  constructor(args: MinMaxScalerArgs = {}) {
    const { featureRange = [0, 1], clip = false } = args;
    if (
      !Array.isArray(featureRange) ||
      featureRange.length !== 2 ||
      !featureRange.every((v) => typeof v === "number" && Number.isFinite(v))
    ) {
      throw new InvalidArgumentError(
        `\`featureRange\` must be a pair of finite numbers [min, max]. Received: featureRange=${describeValue(featureRange)}`,
      );
    }
    if (featureRange[0] >= featureRange[1]) {
      throw new InvalidArgumentError(
        `Minimum of desired feature range must be smaller than maximum. Received: featureRange=${describeValue(featureRange)}`,
      );
    }
    assertBoolean(clip, "clip");
    this.featureRange = [featureRange[0], featureRange[1]];
    this.clip = clip;
  }

  /**
   * Computes each feature's minimum and maximum.
   *
   * @param x Samples × features (2-D array, tensor or DataFrame).
   * @returns This scaler.
   * @throws {ShapeError} When `x` is not 2-D or empty.
   * @throws {DataError} For NaN, Infinity or non-numbers (naming the row and column).
   * @example
   * ```ts
   * const xTrain = [[1, 10], [2, 20], [3, 30]];
   * const mm = new MinMaxScaler().fit(xTrain);
   * ```
   */
  fit(x: ScalerInput): this {
    const m = readMatrix(x, "X");
    const { rows, cols, table } = m;
    const v = table.values;
    const [lo, hi] = this.featureRange;
    const dataMin: number[] = [];
    const dataMax: number[] = [];
    const dataRange: number[] = [];
    const scale: number[] = [];
    const min: number[] = [];
    for (let j = 0; j < cols; j++) {
      let a = Infinity;
      let b = -Infinity;
      for (let i = 0; i < rows; i++) {
        const val = v[i * cols + j];
        if (val < a) a = val;
        if (val > b) b = val;
      }
      const range = b - a;
      const s = (hi - lo) / (range < 10 * Number.EPSILON ? 1 : range);
      dataMin.push(a);
      dataMax.push(b);
      dataRange.push(range);
      scale.push(s);
      min.push(lo - a * s);
    }
    Object.assign(this, { dataMin, dataMax, dataRange, scale, min, nFeaturesIn: cols, nSamplesSeen: rows });
    this.featureNamesIn = table.kind === "frame" ? (table.columns as string[]).slice() : null;
    return this;
  }

  /**
   * Scales `x` to `featureRange` with the fitted minimum and maximum.
   *
   * @param x Samples × features, with as many features as in `fit`.
   * @returns The scaled values, in the kind of `x`.
   * @throws {NotFittedError} Before `fit`.
   * @throws {ShapeError} For a different number of features.
   * @throws {DataError} For NaN, Infinity or non-numbers.
   * @example
   * ```ts
   * const mm = new MinMaxScaler().fit([[1, 10], [3, 30]]);
   * const xTest = [[4, 40]];
   * const xTestScaled = mm.transform(xTest); // [[1.5, 1.5]]
   * ```
   */
  transform<T extends ScalerInput>(x: T): Scaled<T> {
    const m = this.check(x, "transform");
    const { scale, min } = this as { scale: number[]; min: number[] };
    const [lo, hi] = this.featureRange;
    return mapMatrix(m, (val, j) => {
      const out = val * scale[j] + min[j];
      return this.clip ? Math.min(Math.max(out, lo), hi) : out;
    }) as Scaled<T>;
  }

  /**
   * `fit(x)` then `transform(x)`.
   *
   * @param x Samples × features.
   * @returns The scaled values, in the kind of `x`.
   * @throws {ShapeError} When `x` is not 2-D or empty.
   * @throws {DataError} For NaN, Infinity or non-numbers.
   * @example
   * ```ts
   * const prices = [[10], [15], [20]];
   * const scaled = new MinMaxScaler().fitTransform(prices); // [[0], [0.5], [1]]
   * ```
   */
  fitTransform<T extends ScalerInput>(x: T): Scaled<T> {
    return this.fit(x).transform(x);
  }

  /**
   * Undoes the scaling: `(x - min) / scale`.
   *
   * @param x Scaled samples × features.
   * @returns Values in the original units, in the kind of `x`.
   * @throws {NotFittedError} Before `fit`.
   * @throws {ShapeError} For a different number of features.
   * @throws {DataError} For NaN, Infinity or non-numbers.
   * @example
   * ```ts
   * const mm = new MinMaxScaler().fit([[10], [20]]);
   * const predictions = [[0.5], [1.2]];
   * const prices = mm.inverseTransform(predictions); // [[15], [22]]
   * ```
   */
  inverseTransform<T extends ScalerInput>(x: T): Scaled<T> {
    const m = this.check(x, "inverseTransform");
    const { scale, min } = this as { scale: number[]; min: number[] };
    return mapMatrix(m, (val, j) => (val - min[j]) / scale[j]) as Scaled<T>;
  }

  private check(x: unknown, method: string): Matrix {
    return readFittedInput({ nFeaturesIn: this.scale === null ? null : this.nFeaturesIn, featureNamesIn: this.featureNamesIn, name: "MinMaxScaler" }, x, method);
  }
}
