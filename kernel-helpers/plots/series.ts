/**
 * `plots.series`: columns of a DataFrame (or a record of arrays) over time.
 *
 * @module
 */
import { InvalidArgumentError, describeValue } from "../errors";
import { isDanfoFrame } from "../display/table";
import type { PlotlyFigure } from "../display/plotly";
import { COLORS, grid, numberArray, sameLength, xArray, type Obj, type XValue } from "./_common";

/** A danfo DataFrame, or a record of equal-length columns. */
export type ColumnsLike = { columns: string[]; index: Array<string | number>; values: unknown[]; $isSeries: boolean } | Record<string, ArrayLike<unknown>>;

/** Options of {@link seriesPlot}. */
export interface SeriesPlotOptions {
  /** Column holding the x values (dates or steps). @default the DataFrame's index (row numbers for a record), or a "Date"/"date" column when present */
  x?: string;
  /** Figure title. @default the column names joined with ", " */
  title?: string;
  /** y-axis label (with units). @default "value" (one chart), the column name (separate charts) */
  yLabel?: string;
  /** One chart per column instead of all on one chart (for columns of different scales). @default false */
  separate?: boolean;
}

function columnOf(df: ColumnsLike, name: string): unknown[] {
  if (isDanfoFrame(df)) {
    const c = df.columns.indexOf(name);
    if (c < 0) throw new InvalidArgumentError(`\`columns\` names "${name}", which the DataFrame does not have (it has ${df.columns.join(", ")}). Received: "${name}"`);
    return df.values.map((row) => (row as unknown[])[c]);
  }
  const col = (df as Record<string, ArrayLike<unknown>>)[name];
  if (col === undefined) {
    throw new InvalidArgumentError(`\`columns\` names "${name}", which the data does not have (it has ${Object.keys(df).join(", ")}). Received: "${name}"`);
  }
  return Array.from(col);
}

/**
 * Plots columns of a DataFrame over its index (or an `x` column): one line per column, on one
 * chart or, with `separate`, one chart each.
 *
 * @param df A danfo DataFrame, or `{column: values}`.
 * @param columns The columns to plot.
 * @param options x column, labels, layout.
 * @returns A Plotly figure.
 * @throws {InvalidArgumentError} When a column is missing or `columns` is empty.
 * @throws {DataError} When a plotted value is not a number (NaN is drawn as a gap).
 * @example
 * ```ts
 * const df = new dfd.DataFrame({ Date: ["2024-01-02", "2024-01-03"], Close: [185.6, 184.3] });
 * show(plots.series(df, ["Close"], { x: "Date", yLabel: "price (USD)" }));
 * plots.series({ a: [1, 2, 3] }, ["a"]).data[0].y; // [1, 2, 3]
 * ```
 */
export function seriesPlot(df: ColumnsLike, columns: string[], options: SeriesPlotOptions = {}): PlotlyFigure {
  if (typeof df !== "object" || df === null) throw new InvalidArgumentError(`\`df\` must be a danfo DataFrame or a record of columns. Received: df=${describeValue(df)}`);
  if (typeof columns === "string") columns = [columns];
  if (!Array.isArray(columns) || columns.length === 0) {
    throw new InvalidArgumentError(`\`columns\` must be a non-empty array of column names. Received: columns=${describeValue(columns)}`);
  }
  const names = isDanfoFrame(df) ? df.columns : Object.keys(df);
  const xName = options.x ?? names.find((n) => n === "Date" || n === "date");
  let x: XValue[];
  if (xName !== undefined) x = xArray(columnOf(df, xName), xName);
  else if (isDanfoFrame(df)) x = xArray(df.index, "index");
  else x = columnOf(df, columns[0]!).map((_, i) => i);
  const isDate = typeof x[0] === "string" && /^\d{4}-\d{2}-\d{2}/.test(x[0]);
  const separate = options.separate ?? false;
  const data: Obj[] = columns.map((name, i) => {
    const y = numberArray(columnOf(df, name), name, true);
    sameLength(y, name, x, "x");
    const suffix = separate && i > 0 ? String(i + 1) : "";
    return { type: "scatter", mode: "lines", name, x, y, xaxis: `x${suffix}`, yaxis: `y${suffix}`, line: { color: COLORS[i % COLORS.length] } };
  });
  const xTitle = { text: xName ?? (isDate ? "date" : "time step") };
  let layout: Obj;
  if (separate) {
    const g = grid(columns.length, 1, columns, (i) => ({ x: { title: xTitle }, y: { title: { text: options.yLabel ?? columns[i] } } }), 260);
    layout = { ...g.layout, height: g.height };
  } else {
    layout = { xaxis: { title: xTitle }, yaxis: { title: { text: options.yLabel ?? (columns.length === 1 ? columns[0] : "value") } }, height: 420 };
  }
  return {
    data,
    layout: { title: { text: options.title ?? columns.join(", ") }, legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" }, showlegend: columns.length > 1, ...layout },
  };
}
