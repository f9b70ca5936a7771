/**
 * `plots.history`: training curves, train and validation on one chart per metric.
 *
 * @module
 */
import { InvalidArgumentError, describeValue } from "../errors";
import type { PlotlyFigure } from "../display/plotly";
import { COLORS, epochStep, grid, metricLabel, numberArray, type Obj } from "./_common";

/** A training history: tfjs' `History` (from `model.fit`), or its `history` record. */
export type HistoryLike = { history: Record<string, unknown>; epoch?: number[] } | Record<string, unknown>;

/** Options of {@link historyPlot}. */
export interface HistoryPlotOptions {
  /** Metrics to plot (train names; `val_<name>` is added when present). @default every train metric in the history, loss first */
  metrics?: string[];
  /** Figure title. @default "Training history" */
  title?: string;
  /** Subplots per row. @default 2 when there are 2 or more metrics, else 1 */
  columns?: number;
}

function logsOf(history: HistoryLike): { logs: Record<string, unknown>; epochs?: number[] } {
  if (typeof history !== "object" || history === null || Array.isArray(history)) {
    throw new InvalidArgumentError(`\`history\` must be the History from model.fit (or its .history record). Received: history=${describeValue(history)}`);
  }
  const h = history as { history?: unknown; epoch?: unknown };
  if (typeof h.history === "object" && h.history !== null && !Array.isArray(h.history)) {
    return { logs: h.history as Record<string, unknown>, epochs: Array.isArray(h.epoch) ? (h.epoch as number[]) : undefined };
  }
  return { logs: history as Record<string, unknown> };
}

/**
 * Plots a training history: one chart per metric, with the training curve and, when the
 * history has `val_<metric>`, the validation curve. Epochs are numbered from 1 as Keras
 * prints them.
 *
 * @param history `await model.fit(...)`'s result, or a record like `{loss: [...], val_loss: [...]}`.
 * @param options Which metrics, title, layout.
 * @returns A Plotly figure.
 * @throws {InvalidArgumentError} When `history` has no metrics, or a requested metric is missing.
 * @throws {DataError} When a value is not a number (NaN, from a diverged run, is drawn as a gap).
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
 * const x = tf.tensor2d([[1], [2], [3], [4], [5]]);
 * const h = await model.fit(x, x, { epochs: 2, validationSplit: 0.2, verbose: 0 });
 * show(plots.history(h)); // loss: train and validation
 * plots.history({ loss: [1, 0.5], val_loss: [1.2, 0.7] }).data.length; // 2
 * ```
 */
export function historyPlot(history: HistoryLike, options: HistoryPlotOptions = {}): PlotlyFigure {
  const { logs, epochs } = logsOf(history);
  const trainNames = Object.keys(logs).filter((k) => !k.startsWith("val_"));
  for (const k of Object.keys(logs)) if (k.startsWith("val_") && !(k.slice(4) in logs)) trainNames.push(k.slice(4));
  let metrics = options.metrics ?? trainNames.sort((a, b) => (a === "loss" ? -1 : b === "loss" ? 1 : 0));
  if (metrics.length === 0) {
    throw new InvalidArgumentError(`\`history\` has no metrics to plot: train a model first. Received: history keys=${describeValue(Object.keys(logs))}`);
  }
  if (!Array.isArray(metrics)) throw new InvalidArgumentError(`\`metrics\` must be an array of metric names. Received: metrics=${describeValue(metrics)}`);
  metrics = metrics.map((m) => m.replace(/^val_/, ""));
  metrics = [...new Set(metrics)];
  for (const m of metrics) {
    if (!(m in logs) && !(`val_${m}` in logs)) {
      throw new InvalidArgumentError(`\`metrics\` names "${m}", which the history does not have (it has ${Object.keys(logs).join(", ")}). Received: metrics=${describeValue(metrics)}`);
    }
  }
  const cols = options.columns ?? (metrics.length >= 2 ? 2 : 1);
  const longest = Math.max(...metrics.flatMap((m) => [m, `val_${m}`]).map((k) => (Array.isArray(logs[k]) ? (logs[k] as unknown[]).length : 0)));
  const data: Obj[] = [];
  metrics.forEach((m, i) => {
    const suffix = i === 0 ? "" : String(i + 1);
    for (const [key, label, color, dash] of [
      [m, "train", COLORS[0], "solid"],
      [`val_${m}`, "validation", COLORS[1], "dash"],
    ] as const) {
      if (!(key in logs)) continue;
      const y = numberArray(logs[key], `history.${key}`, true);
      const x = y.map((_, e) => (epochs && typeof epochs[e] === "number" ? epochs[e]! + 1 : e + 1));
      data.push({
        type: "scatter",
        mode: y.length > 30 ? "lines" : "lines+markers",
        name: label,
        legendgroup: label,
        showlegend: i === 0,
        x,
        y,
        xaxis: `x${suffix}`,
        yaxis: `y${suffix}`,
        line: { color, dash },
        hovertemplate: `epoch %{x}<br>${label} ${metricLabel(m)} %{y:.4g}<extra></extra>`,
      });
    }
  });
  const { layout, height } = grid(
    metrics.length,
    cols,
    metrics.map(metricLabel),
    (i) => ({ x: { title: { text: "epoch" }, tick0: 1, dtick: epochStep(longest) }, y: { title: { text: metricLabel(metrics[i]!) } } }),
  );
  return {
    data,
    layout: {
      title: { text: options.title ?? "Training history" },
      height,
      margin: { t: 100 },
      ...layout,
    },
  };
}
