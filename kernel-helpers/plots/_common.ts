/**
 * Internal helpers shared by the figure functions: validation, colours, subplot grids.
 *
 * @module
 */
import { DataError, InvalidArgumentError, ShapeError, describeValue } from "../errors";

/** The course's colours: train blue, validation orange, then Plotly's defaults. */
export const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

/** A value on an x axis: a number, an ISO date string, or a category. */
export type XValue = number | string;

/** Plotly layout/trace records. */
export type Obj = Record<string, unknown>;

/** Throws unless `values` is a non-empty array of finite numbers (or `null`/NaN gaps when `gaps`). Returns it with NaN → null. */
export function numberArray(values: unknown, name: string, gaps = false): Array<number | null> {
  if (!Array.isArray(values) && !ArrayBuffer.isView(values)) {
    throw new InvalidArgumentError(`\`${name}\` must be an array of numbers. Received: ${name}=${describeValue(values)}`);
  }
  const arr = Array.from(values as ArrayLike<unknown>);
  if (arr.length === 0) throw new InvalidArgumentError(`\`${name}\` must not be empty. Received: ${name}=[]`);
  return arr.map((v, i) => {
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (gaps && (v === null || (typeof v === "number" && Number.isNaN(v)))) return null;
    throw new DataError(
      `\`${name}[${i}]\` must be a finite number${gaps ? " (or null / NaN for a gap)" : ""}. Received: ${name}[${i}]=${describeValue(v)}`,
    );
  });
}

/** Normalises x values: Dates become ISO strings (dates only when at midnight UTC). */
export function xArray(values: unknown, name: string): XValue[] {
  if (!Array.isArray(values) && !ArrayBuffer.isView(values)) {
    throw new InvalidArgumentError(`\`${name}\` must be an array of numbers, strings or Dates. Received: ${name}=${describeValue(values)}`);
  }
  return Array.from(values as ArrayLike<unknown>).map((v, i) => {
    if (v instanceof Date) {
      if (Number.isNaN(v.getTime())) throw new DataError(`\`${name}[${i}]\` is an invalid Date. Received: ${name}[${i}]=Invalid Date`);
      const iso = v.toISOString();
      return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso;
    }
    if ((typeof v === "number" && Number.isFinite(v)) || typeof v === "string") return v;
    throw new DataError(`\`${name}[${i}]\` must be a finite number, a string or a Date. Received: ${name}[${i}]=${describeValue(v)}`);
  });
}

/** Throws unless the arrays have equal lengths. */
export function sameLength(a: { length: number }, aName: string, b: { length: number }, bName: string): void {
  if (a.length !== b.length) {
    throw new ShapeError(`\`${aName}\` and \`${bName}\` must have the same length. Received: ${aName}.length=${a.length}, ${bName}.length=${b.length}`);
  }
}

/** The axis names of subplot `i` (0-based): `["xaxis", "yaxis", "x", "y"]`, then `xaxis2`, ... */
export function axisNames(i: number): { xKey: string; yKey: string; xRef: string; yRef: string } {
  const n = i === 0 ? "" : String(i + 1);
  return { xKey: `xaxis${n}`, yKey: `yaxis${n}`, xRef: `x${n}`, yRef: `y${n}` };
}

/**
 * Layout axes for `count` subplots in a grid of `cols` columns, each with its title
 * annotation above it. Returns the layout fragment and the figure height.
 */
export function grid(
  count: number,
  cols: number,
  titles: string[],
  axes: (i: number) => { x: Obj; y: Obj },
  rowHeight = 300,
): { layout: Obj; height: number } {
  const rows = Math.ceil(count / cols);
  const gapX = cols > 1 ? 0.08 : 0;
  const gapY = rows > 1 ? 0.12 / Math.max(1, rows - 1) + 0.06 : 0;
  const w = (1 - gapX * (cols - 1)) / cols;
  const h = (1 - gapY * (rows - 1)) / rows;
  const layout: Obj = {};
  const annotations: Obj[] = [];
  for (let i = 0; i < count; i++) {
    const r = Math.floor(i / cols);
    const c = i % cols;
    const x0 = c * (w + gapX);
    const y1 = 1 - r * (h + gapY);
    const { xKey, yKey, xRef, yRef } = axisNames(i);
    const { x, y } = axes(i);
    layout[xKey] = { ...x, domain: [round(x0), round(x0 + w)], anchor: yRef };
    layout[yKey] = { ...y, domain: [round(y1 - h), round(y1)], anchor: xRef };
    if (count > 1 && titles[i]) {
      annotations.push({ text: titles[i], x: round(x0 + w / 2), y: round(y1), xref: "paper", yref: "paper", xanchor: "center", yanchor: "bottom", showarrow: false, font: { size: 14 } });
    }
  }
  if (annotations.length > 0) layout.annotations = annotations;
  return { layout, height: Math.max(360, rows * rowHeight + 120) };
}

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** A readable metric name: `"val_loss"` → `"validation loss"`, `"mae"` → `"MAE"`. */
export function metricLabel(name: string): string {
  const base = name.replace(/^val_/, "");
  const known: Record<string, string> = {
    loss: "loss",
    acc: "accuracy",
    accuracy: "accuracy",
    mse: "MSE",
    mae: "MAE",
    rmse: "RMSE",
    mape: "MAPE (%)",
    meanSquaredError: "MSE",
    meanAbsoluteError: "MAE",
    meanAbsolutePercentageError: "MAPE (%)",
    binaryAccuracy: "accuracy",
    categoricalAccuracy: "accuracy",
    sparseCategoricalAccuracy: "accuracy",
    precision: "precision",
    recall: "recall",
    f1: "F1",
  };
  return known[base] ?? base;
}

/** An epoch-axis tick step giving at most about 10 integer ticks: 1, 2, 5, 10, 20, 50, ... */
export function epochStep(epochs: number): number {
  for (let magnitude = 1; ; magnitude *= 10) {
    for (const m of [1, 2, 5]) if (epochs / (m * magnitude) <= 10) return m * magnitude;
  }
}
