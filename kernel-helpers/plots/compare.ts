/**
 * `plots.compareModels`: bars of each model's metrics and training time.
 *
 * @module
 */
import { InvalidArgumentError, describeValue } from "../errors";
import type { PlotlyFigure } from "../display/plotly";
import { COLORS, grid, metricLabel, numberArray, type Obj } from "./_common";

/** One model's results for {@link compareModelsPlot}. */
export interface ModelComparisonEntry {
  /** The model's name, e.g. `"LSTM 32"`. */
  name: string;
  /** Metric name → value on the test data, e.g. `{mae: 1.2, rmse: 1.9}`. */
  metrics: Record<string, number>;
  /** Training time in seconds. @default not shown */
  trainingSeconds?: number;
}

/** Options of {@link compareModelsPlot}. */
export interface CompareModelsPlotOptions {
  /** Figure title. @default "Model comparison" */
  title?: string;
  /** Charts per row. @default 3 */
  columns?: number;
}

/**
 * Compares models: one bar chart per metric (one bar per model), and one for training time
 * when every entry has `trainingSeconds`. Metrics are those of the first entry; every entry
 * must have them.
 *
 * @param results The models' names, metrics and training times.
 * @param options Title and layout.
 * @returns A Plotly figure.
 * @throws {InvalidArgumentError} When `results` is empty, names repeat, or an entry lacks a metric.
 * @throws {DataError} When a value is not a finite number.
 * @example
 * ```ts
 * show(plots.compareModels([
 *   { name: "naive", metrics: { mae: 2.1 }, trainingSeconds: 0 },
 *   { name: "LSTM", metrics: { mae: 1.4 }, trainingSeconds: 12.5 },
 * ]));
 * ```
 */
export function compareModelsPlot(results: ModelComparisonEntry[], options: CompareModelsPlotOptions = {}): PlotlyFigure {
  if (!Array.isArray(results) || results.length === 0) {
    throw new InvalidArgumentError(`\`results\` must be a non-empty array of {name, metrics, trainingSeconds?}. Received: results=${describeValue(results)}`);
  }
  results.forEach((r, i) => {
    if (typeof r?.name !== "string" || typeof r.metrics !== "object" || r.metrics === null) {
      throw new InvalidArgumentError(`\`results[${i}]\` must be {name: string, metrics: {...}}. Received: results[${i}]=${describeValue(r)}`);
    }
  });
  const names = results.map((r) => r.name);
  if (new Set(names).size !== names.length) throw new InvalidArgumentError(`\`results\` names must be unique. Received: names=${describeValue(names)}`);
  const metrics = Object.keys(results[0]!.metrics);
  results.forEach((r, i) => {
    for (const m of metrics) {
      if (!(m in r.metrics)) throw new InvalidArgumentError(`\`results[${i}].metrics\` lacks "${m}" (every model needs the same metrics). Received: ${describeValue(r.metrics)}`);
    }
  });
  const panels: Array<{ title: string; y: Array<number | null>; unit: string }> = metrics.map((m) => ({
    title: metricLabel(m),
    y: numberArray(results.map((r) => r.metrics[m]), `metrics.${m}`),
    unit: metricLabel(m),
  }));
  if (results.every((r) => r.trainingSeconds !== undefined)) {
    panels.push({ title: "training time", y: numberArray(results.map((r) => r.trainingSeconds), "trainingSeconds"), unit: "seconds" });
  }
  if (panels.length === 0) throw new InvalidArgumentError(`\`results\` have no metrics and no training times to compare. Received: results[0]=${describeValue(results[0])}`);
  const data: Obj[] = panels.map((p, i) => ({
    type: "bar",
    name: p.title,
    x: names,
    y: p.y,
    xaxis: `x${i === 0 ? "" : i + 1}`,
    yaxis: `y${i === 0 ? "" : i + 1}`,
    marker: { color: names.map((_, j) => COLORS[j % COLORS.length]) },
    text: p.y.map((v) => (v === null ? "" : String(Number(v.toPrecision(4))))),
    textposition: "auto",
    showlegend: false,
  }));
  const cols = Math.min(options.columns ?? 3, panels.length);
  const g = grid(panels.length, cols, panels.map((p) => p.title), (i) => ({ x: { type: "category" }, y: { title: { text: panels[i]!.unit }, rangemode: "tozero" } }));
  return { data, layout: { title: { text: options.title ?? "Model comparison" }, height: g.height, margin: { t: 90 }, ...g.layout } };
}
