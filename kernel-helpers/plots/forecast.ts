/**
 * `plots.forecast`: actual values against a model's predictions, with the train/test split marked.
 *
 * @module
 */
import { InvalidArgumentError, describeValue } from "../errors";
import type { PlotlyFigure } from "../display/plotly";
import { COLORS, numberArray, sameLength, xArray, type Obj, type XValue } from "./_common";

/** Arguments of {@link forecastPlot}. */
export interface ForecastPlotArgs {
  /** Time axis: numbers (steps), ISO date strings or Dates. @default 0, 1, 2, ... */
  x?: Array<number | string | Date>;
  /** The true values. */
  actual: ArrayLike<number>;
  /** The predictions, aligned with `actual`; `null`/NaN where the model made none (e.g. the first window). */
  predicted: ArrayLike<number | null>;
  /** Where the training data ends: an x value (the last training point), or an index into `actual` when `x` is absent. @default no split marked */
  trainEnd?: number | string | Date;
  /** Figure title. @default "Forecast" */
  title?: string;
  /** y-axis label, with units, e.g. "close price (USD)". @default "value" */
  yLabel?: string;
  /** x-axis label. @default "date" when x holds dates, else "time step" */
  xLabel?: string;
}

/**
 * Plots a forecast: the actual series as a solid line and the predictions as a dashed one,
 * with a vertical line and "train | test" labels where the training data ends.
 *
 * @param args The series, the split and the labels.
 * @returns A Plotly figure.
 * @throws {ShapeError} When `x`, `actual` and `predicted` differ in length.
 * @throws {DataError} When `actual` holds a non-finite value.
 * @throws {InvalidArgumentError} When `trainEnd` is not on the x axis.
 * @example
 * ```ts
 * show(plots.forecast({ actual: [1, 2, 3, 4], predicted: [null, 2.1, 2.9, 4.2], trainEnd: 2, yLabel: "price (USD)" }));
 * ```
 */
export function forecastPlot(args: ForecastPlotArgs): PlotlyFigure {
  if (typeof args !== "object" || args === null) {
    throw new InvalidArgumentError(`\`args\` must be an object {actual, predicted, x?, trainEnd?}. Received: args=${describeValue(args)}`);
  }
  const actual = numberArray(args.actual, "actual");
  const predicted = numberArray(args.predicted, "predicted", true);
  sameLength(actual, "actual", predicted, "predicted");
  const x: XValue[] = args.x === undefined ? actual.map((_, i) => i) : xArray(args.x, "x");
  sameLength(x, "x", actual, "actual");
  const isDate = typeof x[0] === "string" && /^\d{4}-\d{2}-\d{2}/.test(x[0]);
  const data: Obj[] = [
    { type: "scatter", mode: "lines", name: "actual", x, y: actual, line: { color: COLORS[0] } },
    { type: "scatter", mode: "lines", name: "predicted", x, y: predicted, line: { color: COLORS[1], dash: "dash" } },
  ];
  const layout: Obj = {
    title: { text: args.title ?? "Forecast" },
    xaxis: { title: { text: args.xLabel ?? (isDate ? "date" : "time step") } },
    yaxis: { title: { text: args.yLabel ?? "value" } },
    legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" },
    height: 450,
  };
  if (args.trainEnd !== undefined) {
    const [end] = xArray([args.trainEnd], "trainEnd");
    if (!x.includes(end!)) {
      throw new InvalidArgumentError(`\`trainEnd\` must be one of the x values (the last training point). Received: trainEnd=${describeValue(end)}`);
    }
    layout.shapes = [{ type: "line", xref: "x", yref: "paper", x0: end, x1: end, y0: 0, y1: 1, line: { color: "#555", dash: "dot", width: 1.5 } }];
    layout.annotations = [
      { text: "train", x: end, y: 1, xref: "x", yref: "paper", xanchor: "right", yanchor: "top", showarrow: false },
      { text: "test", x: end, y: 1, xref: "x", yref: "paper", xanchor: "left", yanchor: "top", showarrow: false },
    ];
  }
  return { data, layout };
}
