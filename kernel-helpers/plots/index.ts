/**
 * Figures as data: the `plots` namespace of pure functions returning Plotly figures.
 * Only the namespace and the option types are exported, so names like `history` or
 * `confusionMatrix` stay free for other folders.
 *
 * @module
 */
export { plots } from "./namespace";
export type { CompareModelsPlotOptions, ModelComparisonEntry } from "./compare";
export type { ConfusionMatrixPlotOptions } from "./confusion";
export type { DistributionPlotOptions, Histogram } from "./distribution";
export type { ForecastPlotArgs } from "./forecast";
export type { GradientNormsPlotOptions } from "./gradients";
export type { HistoryLike, HistoryPlotOptions } from "./history";
export type { SampleTablePlotOptions, TextSample } from "./samples";
export type { ColumnsLike, SeriesPlotOptions } from "./series";
