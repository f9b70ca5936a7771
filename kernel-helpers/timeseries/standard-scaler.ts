/**
 * `StandardScaler`: sklearn's `StandardScaler` (per-feature mean and population standard deviation).
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-node";
import type * as dfd from "danfojs-node";
import { InvalidArgumentError, assertBoolean, describeValue } from "../errors";
import type { FrameLike } from "./_inputs";
import { type Matrix, accurateSum, mapMatrix, readFittedInput, readMatrix } from "./_scaling";

/** What a scaler accepts: a 2-D array (samples × features), a 2-D tensor or a danfo DataFrame. */
export type ScalerInput = readonly (readonly number[])[] | tf.Tensor | FrameLike;

/** What a scaler returns for a given input kind: tensors give float32 tensors, DataFrames DataFrames (same index and columns), arrays `number[][]`. */
export type Scaled<T> = T extends tf.Tensor ? tf.Tensor2D : T extends FrameLike ? dfd.DataFrame : number[][];

/** Options of {@link StandardScaler}. */
export interface StandardScalerArgs {
  /**
   * Center each feature on its mean.
   * @default true
   */
  withMean?: boolean;
  /**
   * Divide each feature by its standard deviation.
   * @default true
   */
  withStd?: boolean;
}

export { NotFittedError } from "./_scaling";

/**
 * Standardizes features by removing the mean and scaling to unit variance, like sklearn's
 * `StandardScaler`: `z = (x - mean) / scale`, with the population standard deviation
 * (`ddof = 0`, what sklearn uses, unlike pandas' `.std()`). A constant feature (variance within
 * rounding error of zero, sklearn's test) gets `scale = 1`, so it becomes all zeros instead of NaN.
 *
 * Porting note: NaN and Infinity are rejected with an error naming the row (sklearn ignores NaN
 * in `fit`); drop or fill them first. A DataFrame input gives a DataFrame back (same index and
 * columns) rather than a bare array; a tensor gives a float32 tensor (the caller disposes it).
 * Attributes are camelCase: `mean`, `var`, `scale`, `nFeaturesIn`, `nSamplesSeen`, `featureNamesIn`.
 *
 * @example
 * ```ts
 * const ss = new StandardScaler();
 * ss.fitTransform([[0, 0], [0, 0], [1, 1], [1, 1]]); // [[-1, -1], [-1, -1], [1, 1], [1, 1]]
 * ss.mean; // [0.5, 0.5]
 * ss.transform([[2, 2]]); // [[3, 3]]
 * ```
 */
export class StandardScaler {
  /** Per-feature mean seen in `fit` (`mean_`). */
  mean: number[] | null = null;
  /** Per-feature population variance seen in `fit` (`var_`). */
  var: number[] | null = null;
  /** Per-feature divisor: the standard deviation, or 1 for constant features or when `withStd` is false (`scale_`). */
  scale: number[] | null = null;
  /** Number of features seen in `fit` (`n_features_in_`). */
  nFeaturesIn: number | null = null;
  /** Number of samples seen in `fit` (`n_samples_seen_`). */
  nSamplesSeen: number | null = null;
  /** Column names when fitted on a DataFrame (`feature_names_in_`). */
  featureNamesIn: string[] | null = null;
  /** Resolved `withMean`. */
  readonly withMean: boolean;
  /** Resolved `withStd`. */
  readonly withStd: boolean;

  /**
   * @param args See {@link StandardScalerArgs}.
   * @throws {InvalidArgumentError} When an option is not a boolean.
   */
  constructor(args: StandardScalerArgs = {}) {
    const { withMean = true, withStd = true } = args;
    assertBoolean(withMean, "withMean");
    assertBoolean(withStd, "withStd");
    this.withMean = withMean;
    this.withStd = withStd;
  }

  /**
   * Computes each feature's mean and standard deviation.
   *
   * @param x Samples × features (2-D array, tensor or DataFrame).
   * @returns This scaler.
   * @throws {ShapeError} When `x` is not 2-D or empty.
   * @throws {DataError} For NaN, Infinity or non-numbers (naming the row and column).
   * @example
   * ```ts
   * const xTrain = [[1, 10], [3, 30]];
   * const ss = new StandardScaler().fit(xTrain);
   * ```
   */
  fit(x: ScalerInput): this {
    const m = readMatrix(x, "X");
    const { rows, cols, table } = m;
    const v = table.values;
    const eps = Number.EPSILON;
    const mean: number[] = [];
    const variance: number[] = [];
    const scale: number[] = [];
    const tmp = new Float64Array(rows);
    for (let j = 0; j < cols; j++) {
      const mu = accurateSum(v, j, rows, cols) / rows;
      for (let i = 0; i < rows; i++) tmp[i] = v[i * cols + j] - mu;
      const correction = accurateSum(tmp, 0, rows, 1);
      for (let i = 0; i < rows; i++) tmp[i] *= tmp[i];
      const unnormalized = accurateSum(tmp, 0, rows, 1) - (correction * correction) / rows;
      const vr = unnormalized / rows;
      mean.push(mu);
      variance.push(vr);
      const upperBound = rows * eps * vr + (rows * mu * eps) ** 2;
      scale.push(!this.withStd || vr <= upperBound ? 1 : Math.sqrt(vr));
    }
    this.mean = mean;
    this.var = variance;
    this.scale = scale;
    this.nFeaturesIn = cols;
    this.nSamplesSeen = rows;
    this.featureNamesIn = table.kind === "frame" ? (table.columns as string[]).slice() : null;
    return this;
  }

  /**
   * Standardizes `x` with the fitted mean and scale.
   *
   * @param x Samples × features, with as many features as in `fit`.
   * @returns The scaled values, in the kind of `x`.
   * @throws {NotFittedError} Before `fit`.
   * @throws {ShapeError} For a different number of features.
   * @throws {DataError} For NaN, Infinity or non-numbers.
   * @example
   * ```ts
   * const ss = new StandardScaler().fit([[1], [3]]);
   * const xTest = [[5]];
   * const xTestScaled = ss.transform(xTest); // [[3]]
   * ```
   */
  transform<T extends ScalerInput>(x: T): Scaled<T> {
    const m = this.check(x, "transform");
    const { mean, scale } = this as { mean: number[]; scale: number[] };
    return mapMatrix(m, (val, j) => (this.withMean ? val - mean[j] : val) / scale[j]) as Scaled<T>;
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
   * const xTrain = [[1], [3]];
   * const xTrainScaled = new StandardScaler().fitTransform(xTrain); // [[-1], [1]]
   * ```
   */
  fitTransform<T extends ScalerInput>(x: T): Scaled<T> {
    return this.fit(x).transform(x);
  }

  /**
   * Undoes the scaling: `x * scale + mean`.
   *
   * @param x Scaled samples × features.
   * @returns Values in the original units, in the kind of `x`.
   * @throws {NotFittedError} Before `fit`.
   * @throws {ShapeError} For a different number of features.
   * @throws {DataError} For NaN, Infinity or non-numbers.
   * @example
   * ```ts
   * const yScaler = new StandardScaler().fit([[10], [30]]);
   * const predictions = [[0], [2]];
   * const prices = yScaler.inverseTransform(predictions); // [[20], [40]]
   * ```
   */
  inverseTransform<T extends ScalerInput>(x: T): Scaled<T> {
    const m = this.check(x, "inverseTransform");
    const { mean, scale } = this as { mean: number[]; scale: number[] };
    return mapMatrix(m, (val, j) => val * scale[j] + (this.withMean ? mean[j] : 0)) as Scaled<T>;
  }

  private check(x: unknown, method: string): Matrix {
    return readFittedInput({ nFeaturesIn: this.mean === null ? null : this.nFeaturesIn, featureNamesIn: this.featureNamesIn, name: "StandardScaler" }, x, method);
  }
}
