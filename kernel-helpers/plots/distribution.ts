/**
 * `plots.distribution`: a histogram with mean and standard deviation.
 *
 * @module
 */
import { InvalidArgumentError, assertPositiveInteger, describeValue } from "../errors";
import type { PlotlyFigure } from "../display/plotly";
import { COLORS, numberArray } from "./_common";

/** Options of {@link distributionPlot}. */
export interface DistributionPlotOptions {
  /** Number of equal-width bins. @default Sturges' rule, ceil(log2(n) + 1) */
  bins?: number;
  /** Figure title. @default "Distribution" */
  title?: string;
  /** x-axis label (what the values are, with units). @default "value" */
  xLabel?: string;
}

/** The bins {@link distributionPlot} computes, for tests and tables. */
export interface Histogram {
  /** Bin edges, `bins + 1` of them. */
  edges: number[];
  /** Count per bin; the last bin includes its right edge. */
  counts: number[];
  /** Mean of the values. */
  mean: number;
  /** Population standard deviation. */
  std: number;
}

/**
 * Bins values into equal-width bins between their min and max (numpy.histogram's rule: each
 * bin is half-open [a, b) except the last, [a, b]).
 *
 * @param values Finite numbers.
 * @param bins Number of bins.
 * @returns Edges, counts, mean and standard deviation.
 * @throws {InvalidArgumentError} When `bins` is not a positive integer or `values` is empty.
 * @throws {DataError} When a value is not finite.
 * @example
 * ```ts
 * plots.histogram([1, 2, 2, 3], 2).counts; // [1, 3]
 * ```
 */
export function histogram(values: ArrayLike<number>, bins: number): Histogram {
  assertPositiveInteger(bins, "bins");
  const v = numberArray(values, "values") as number[];
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const x of v) {
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
  }
  const mean = sum / v.length;
  const std = Math.sqrt(v.reduce((a, x) => a + (x - mean) ** 2, 0) / v.length);
  if (min === max) {
    min -= 0.5;
    max += 0.5;
  }
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width));
  const counts = new Array<number>(bins).fill(0);
  for (const x of v) counts[Math.min(bins - 1, Math.floor((x - min) / width))]!++;
  return { edges, counts, mean, std };
}

/**
 * Plots the distribution of values as a histogram (bars of counts per bin), with the mean and
 * standard deviation in the title: e.g. daily returns, residuals, or predicted probabilities.
 *
 * @param values The values.
 * @param options Bins and labels.
 * @returns A Plotly figure (bins computed here, so the data is deterministic).
 * @throws {InvalidArgumentError} When `values` is empty or `bins` invalid.
 * @throws {DataError} When a value is not finite.
 * @example
 * ```ts
 * const residuals = [0.5, -1.2, 0.3, 2.1, -0.4];
 * show(plots.distribution(residuals, { xLabel: "error (USD)" }));
 * ```
 */
export function distributionPlot(values: ArrayLike<number>, options: DistributionPlotOptions = {}): PlotlyFigure {
  if (values === null || typeof values !== "object" || typeof values.length !== "number") {
    throw new InvalidArgumentError(`\`values\` must be an array of numbers. Received: values=${describeValue(values)}`);
  }
  const bins = options.bins ?? Math.max(1, Math.ceil(Math.log2(Math.max(values.length, 1)) + 1));
  const h = histogram(values, bins);
  const centers = h.counts.map((_, i) => (h.edges[i]! + h.edges[i + 1]!) / 2);
  const fmt = (x: number) => String(Number(x.toPrecision(4)));
  return {
    data: [{
      type: "bar",
      name: "count",
      x: centers,
      y: h.counts,
      width: h.counts.map((_, i) => h.edges[i + 1]! - h.edges[i]!),
      marker: { color: COLORS[0], line: { color: "#ffffff", width: 1 } },
      customdata: h.counts.map((_, i) => [h.edges[i], h.edges[i + 1]]),
      hovertemplate: "[%{customdata[0]:.4g}, %{customdata[1]:.4g})<br>%{y} values<extra></extra>",
    }],
    layout: {
      title: { text: `${options.title ?? "Distribution"} (n = ${values.length}, mean ${fmt(h.mean)}, std ${fmt(h.std)})` },
      xaxis: { title: { text: options.xLabel ?? "value" } },
      yaxis: { title: { text: "count" } },
      bargap: 0,
      height: 400,
    },
  };
}
