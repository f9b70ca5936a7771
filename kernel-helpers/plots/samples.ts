/**
 * `plots.sampleTable`: generated text side by side at several sampling temperatures.
 *
 * @module
 */
import { InvalidArgumentError, describeValue } from "../errors";
import type { PlotlyFigure } from "../display/plotly";

/** One generated text for {@link sampleTablePlot}. */
export interface TextSample {
  /** The sampling temperature used. */
  temperature: number;
  /** The generated text. */
  text: string;
  /** The seed text it continued. @default not shown */
  seed?: string;
}

/** Options of {@link sampleTablePlot}. */
export interface SampleTablePlotOptions {
  /** Figure title. @default "Generated text by temperature" */
  title?: string;
}

/**
 * A table of generated texts, one row per sample, sorted by temperature (low temperatures
 * are repetitive, high ones inventive): columns temperature, seed (when given) and text.
 *
 * @param samples The samples.
 * @param options Title.
 * @returns A Plotly figure with one `table` trace.
 * @throws {InvalidArgumentError} When `samples` is empty or an entry is malformed.
 * @example
 * ```ts
 * show(plots.sampleTable([{ temperature: 0.2, text: "the the the" }, { temperature: 1.2, text: "thy whale" }]));
 * ```
 */
export function sampleTablePlot(samples: TextSample[], options: SampleTablePlotOptions = {}): PlotlyFigure {
  if (!Array.isArray(samples) || samples.length === 0) {
    throw new InvalidArgumentError(`\`samples\` must be a non-empty array of {temperature, text}. Received: samples=${describeValue(samples)}`);
  }
  samples.forEach((s, i) => {
    if (typeof s?.temperature !== "number" || !(s.temperature > 0) || typeof s.text !== "string") {
      throw new InvalidArgumentError(`\`samples[${i}]\` must be {temperature: a number > 0, text: string}. Received: samples[${i}]=${describeValue(s)}`);
    }
  });
  const sorted = [...samples].sort((a, b) => a.temperature - b.temperature);
  const withSeed = sorted.some((s) => s.seed !== undefined);
  const header = withSeed ? ["temperature", "seed", "generated text"] : ["temperature", "generated text"];
  const cells: string[][] = [sorted.map((s) => String(s.temperature))];
  if (withSeed) cells.push(sorted.map((s) => s.seed ?? ""));
  cells.push(sorted.map((s) => s.text));
  const rowsHeight = sorted.reduce((n, s) => n + Math.ceil(Math.max(s.text.length, 1) / 90) * 20 + 8, 0);
  return {
    data: [{
      type: "table",
      columnwidth: withSeed ? [1, 2, 8] : [1, 9],
      header: { values: header, align: "left", fill: { color: "#e8eef7" }, font: { size: 13 } },
      cells: { values: cells, align: "left", font: { family: "monospace", size: 12 }, height: 24 },
    }],
    layout: {
      title: { text: options.title ?? "Generated text by temperature" },
      height: Math.min(1200, 60 + 30 + rowsHeight + 40),
      margin: { l: 20, r: 20, t: 60, b: 20 },
    },
  };
}
