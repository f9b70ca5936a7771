/**
 * Checks on what matters for learning: a scaler fitted on training data only, a model that
 * beats a baseline, a report that names the best model, a cell that leaks no tensors.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { describeValue } from "../errors";
import { CheckError } from "./check-error";

/** The parts of a fitted `StandardScaler` or `MinMaxScaler` a check reads. */
export interface FittedScalerLike {
  /** Rows seen in `fit`. */
  nSamplesSeen: number | null;
  /** `StandardScaler`: per-feature mean. */
  mean?: number[] | null;
  /** `MinMaxScaler`: per-feature minimum. */
  dataMin?: number[] | null;
  /** `MinMaxScaler`: per-feature maximum. */
  dataMax?: number[] | null;
}

const column = (rows: ReadonlyArray<number | readonly number[]>, j: number): number[] =>
  rows.map((r) => (typeof r === "number" ? r : r[j]!));

/**
 * Checks that a scaler was fitted on exactly the training rows (so no statistic of the test
 * period leaked into it): same number of rows, and the same per-feature mean (`StandardScaler`)
 * or minimum and maximum (`MinMaxScaler`) as the training rows.
 *
 * @param scaler The fitted scaler.
 * @param trainRows The training data it should have been fitted on (numbers or rows).
 * @param name The scaler's name in the notebook.
 * @param trainName The training data's name in the notebook.
 * @throws {CheckError} "scaler was fitted on 1461 rows; expected the 1168 rows of trainTemps only: fit it on the training period, never on test data".
 * @example
 * ```ts
 * const scaler = new StandardScaler().fit([[1], [2], [3]]);
 * checkScalerFitOn(scaler, [1, 2, 3], "scaler", "trainTemps");
 * ```
 */
export function checkScalerFitOn(scaler: unknown, trainRows: ReadonlyArray<number | readonly number[]>, name: string, trainName: string): void {
  const s = scaler as FittedScalerLike | null;
  if (s === null || typeof s !== "object" || !("nSamplesSeen" in s)) {
    throw new CheckError(`${name} should be a StandardScaler or MinMaxScaler. Received: ${name}=${describeValue(scaler)}`);
  }
  if (s.nSamplesSeen === null) throw new CheckError(`${name} is not fitted: call ${name}.fit(...) on ${trainName}.`);
  if (s.nSamplesSeen !== trainRows.length) {
    const more = s.nSamplesSeen > trainRows.length;
    throw new CheckError(
      `${name} was fitted on ${s.nSamplesSeen} rows; expected the ${trainRows.length} rows of ${trainName} only` +
        (more ? ": fit it on the training period, never on test data (its statistics are information from the future)." : "."),
    );
  }
  const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
  const features = s.mean?.length ?? s.dataMin?.length ?? 0;
  for (let j = 0; j < features; j++) {
    const col = column(trainRows, j);
    if (s.mean) {
      const m = col.reduce((a, b) => a + b, 0) / col.length;
      if (!close(s.mean[j]!, m)) throw new CheckError(`${name}.mean[${j}] is ${s.mean[j]}; the mean of ${trainName} is ${m}: fit ${name} on ${trainName}, not on other rows.`);
    }
    if (s.dataMin && s.dataMax) {
      const lo = Math.min(...col);
      const hi = Math.max(...col);
      if (!close(s.dataMin[j]!, lo) || !close(s.dataMax[j]!, hi)) {
        throw new CheckError(`${name} saw values in [${s.dataMin[j]}, ${s.dataMax[j]}]; ${trainName} spans [${lo}, ${hi}]: fit ${name} on ${trainName}, not on other rows.`);
      }
    }
  }
}

/** Options of {@link checkBeatsBaseline}. */
export interface BeatsBaselineOptions {
  /** The model's name, e.g. `"LSTM"`. */
  model: string;
  /** The baseline's name, e.g. `"the naive forecast"`. */
  baseline: string;
  /** The metric's name, e.g. `"test MSE"`. */
  metric: string;
  /** Lower scores are better (errors); otherwise higher are (accuracies). @default false */
  lowerIsBetter?: boolean;
}

/**
 * Checks that a model's score beats a baseline's (strictly).
 *
 * @param score The model's score.
 * @param baselineScore The baseline's score.
 * @param options Names and direction.
 * @throws {CheckError} "LSTM has test MSE 5.1, which does not beat the naive forecast (4.9); lower is better".
 * @example
 * ```ts
 * checkBeatsBaseline(0.82, 0.5, { model: "LSTM", baseline: "the majority class", metric: "test accuracy" });
 * ```
 */
export function checkBeatsBaseline(score: unknown, baselineScore: number, options: BeatsBaselineOptions): void {
  const lower = options.lowerIsBetter ?? false;
  if (typeof score !== "number" || !Number.isFinite(score)) {
    throw new CheckError(`${options.model}'s ${options.metric} should be a finite number. Received: ${describeValue(score)}`);
  }
  const beats = lower ? score < baselineScore : score > baselineScore;
  if (!beats) {
    throw new CheckError(
      `${options.model} has ${options.metric} ${score.toPrecision(4)}, which does not beat ${options.baseline} (${baselineScore.toPrecision(4)}); ${lower ? "lower" : "higher"} is better.`,
    );
  }
}

/**
 * Checks that a text (printed report, markdown answer) names something, e.g. the best model.
 *
 * @param text The text.
 * @param expected The word or words it must contain (case-insensitive, whole words).
 * @param what What the text is, e.g. `"the report"`.
 * @param why What the words stand for, e.g. `"the best model"`.
 * @throws {CheckError} 'the report does not name the best model ("GRU")'.
 * @example
 * ```ts
 * checkMentions("best: GRU (0.8610)", "GRU", "the report", "the best model");
 * ```
 */
export function checkMentions(text: unknown, expected: string | readonly string[], what: string, why: string): void {
  if (typeof text !== "string") throw new CheckError(`${what} should be text. Received: ${describeValue(text)}`);
  for (const word of [expected].flat()) {
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    if (!new RegExp(`(^|[^\\w])${escaped}($|[^\\w])`, "i").test(text)) {
      throw new CheckError(`${what} does not name ${why} (${JSON.stringify(word)}).`);
    }
  }
}

/**
 * Runs `fn` and checks that it leaves no new tensors behind (`tf.memory().numTensors`).
 *
 * @param fn The code to run.
 * @param what What it is, e.g. `"trainForecaster"`.
 * @returns What `fn` returned.
 * @throws {CheckError} "trainForecaster left 6 tensors in memory; dispose what you create (tf.dispose, tf.tidy)".
 * @example
 * ```ts
 * await checkNoLeak(async () => tf.tidy(() => tf.ones([2]).sum().dataSync()), "the sum");
 * ```
 */
export async function checkNoLeak<T>(fn: () => T | Promise<T>, what: string): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  const leaked = tf.memory().numTensors - before;
  if (leaked > 0) throw new CheckError(`${what} left ${leaked} tensor${leaked === 1 ? "" : "s"} in memory; dispose what you create (tf.dispose, tf.tidy).`);
  return result;
}
