/**
 * The `plots` namespace: every figure function under one name, so short plot names
 * (`history`, `forecast`, `confusionMatrix`) never collide with other helpers' names.
 * `plots.confusionMatrix` both counts the label pairs and draws the matrix.
 *
 * @module
 */
import { compareModelsPlot } from "./compare";
import { confusionMatrixPlot } from "./confusion";
import { distributionPlot, histogram } from "./distribution";
import { forecastPlot } from "./forecast";
import { gradientNormsPlot } from "./gradients";
import { historyPlot } from "./history";
import { sampleTablePlot } from "./samples";
import { seriesPlot } from "./series";

/**
 * Pure figure functions: each returns a Plotly figure (plain data, no display) with titles,
 * axis labels and units; pass it to `show`.
 *
 * - `plots.history(history, {metrics?})` — training and validation curves, one chart per metric
 * - `plots.forecast({x, actual, predicted, trainEnd?, title?})` — actual vs predicted
 * - `plots.series(df, columns, {x?})` — DataFrame columns over time
 * - `plots.confusionMatrix(labels, predictions, {classNames?, normalize?})`
 * - `plots.compareModels(results)` — bars of metrics and training time
 * - `plots.gradientNorms({name: norms})` — vanishing gradients, log scale
 * - `plots.distribution(values, {bins?})` — histogram; `plots.histogram` gives its bins
 * - `plots.sampleTable(samples)` — generated text by temperature
 *
 * Each function validates its input and throws `InvalidArgumentError`, `ShapeError` or
 * `DataError` (see each one's documentation); none prints or displays.
 *
 * @example
 * ```ts
 * import { plots, show } from "kernel-helpers";
 * show(plots.history({ loss: [0.9, 0.5, 0.4], val_loss: [1.0, 0.7, 0.6] })); // or the History of model.fit
 * ```
 */
export const plots = {
  history: historyPlot,
  forecast: forecastPlot,
  series: seriesPlot,
  confusionMatrix: confusionMatrixPlot,
  compareModels: compareModelsPlot,
  gradientNorms: gradientNormsPlot,
  distribution: distributionPlot,
  histogram,
  sampleTable: sampleTablePlot,
} as const;
