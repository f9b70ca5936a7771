/**
 * `plots.confusionMatrix`: true against predicted classes as an annotated heatmap.
 *
 * @module
 */
import { InvalidArgumentError, ShapeError, assertOneOf, describeValue } from "../errors";
import type { PlotlyFigure } from "../display/plotly";

/** Options of {@link confusionMatrixPlot}. */
export interface ConfusionMatrixPlotOptions {
  /** Class names, in the order of the sorted labels (e.g. `["negative", "positive"]`). @default the labels themselves */
  classNames?: string[];
  /** `"true"` shows each row as fractions of its true class (recall on the diagonal); `"none"` shows counts. @default "none" */
  normalize?: "none" | "true";
  /** Figure title. @default "Confusion matrix" */
  title?: string;
}

/**
 * Counts how often each true label was predicted as each label and draws it as a heatmap:
 * rows are true classes (top to bottom), columns predicted classes, each cell labelled with
 * its count (or fraction). Classes are the sorted union of labels and predictions, as
 * sklearn's `confusion_matrix` orders them.
 *
 * @param labels True classes (integers or strings).
 * @param predictions Predicted classes, aligned with `labels`.
 * @param options Class names, normalisation, title.
 * @returns A Plotly figure; `data[0].z` holds the matrix.
 * @throws {ShapeError} When the arrays differ in length.
 * @throws {InvalidArgumentError} When they are empty, hold non-class values, or `classNames` has the wrong length.
 * @example
 * ```ts
 * plots.confusionMatrix([0, 1, 1, 0], [0, 1, 0, 0]).data[0].z; // [[2, 0], [1, 1]]
 * ```
 */
export function confusionMatrixPlot(
  labels: ArrayLike<number | string>,
  predictions: ArrayLike<number | string>,
  options: ConfusionMatrixPlotOptions = {},
): PlotlyFigure {
  const normalize = options.normalize ?? "none";
  assertOneOf(normalize, ["none", "true"] as const, "normalize");
  const y = Array.from(labels ?? []);
  const p = Array.from(predictions ?? []);
  if (y.length === 0) throw new InvalidArgumentError(`\`labels\` must be a non-empty array of classes. Received: labels=${describeValue(labels)}`);
  if (y.length !== p.length) {
    throw new ShapeError(`\`labels\` and \`predictions\` must have the same length. Received: labels.length=${y.length}, predictions.length=${p.length}`);
  }
  for (const [name, arr] of [["labels", y], ["predictions", p]] as const) {
    arr.forEach((v, i) => {
      if (!(typeof v === "string" || (typeof v === "number" && Number.isInteger(v)))) {
        throw new InvalidArgumentError(`\`${name}[${i}]\` must be an integer or string class (round probabilities first). Received: ${name}[${i}]=${describeValue(v)}`);
      }
    });
  }
  const classes = [...new Set([...y, ...p])].sort((a, b) => (typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b))));
  const names = options.classNames ?? classes.map(String);
  if (names.length !== classes.length) {
    throw new InvalidArgumentError(`\`classNames\` must name each of the ${classes.length} classes (${classes.join(", ")}). Received: classNames=${describeValue(names)}`);
  }
  const pos = new Map(classes.map((c, i) => [c, i]));
  const counts = classes.map(() => classes.map(() => 0));
  y.forEach((t, i) => counts[pos.get(t)!]![pos.get(p[i]!)!]!++);
  const z = normalize === "true" ? counts.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((c) => (total === 0 ? 0 : c / total));
  }) : counts;
  const text = z.map((row) => row.map((v) => (normalize === "true" ? v.toFixed(2) : String(v))));
  return {
    data: [{
      type: "heatmap",
      x: names,
      y: names,
      z,
      text,
      texttemplate: "%{text}",
      colorscale: [[0, "#f7fbff"], [1, "#08306b"]],
      showscale: true,
      hovertemplate: "true %{y}<br>predicted %{x}<br>%{text}<extra></extra>",
    }],
    layout: {
      title: { text: options.title ?? "Confusion matrix" },
      xaxis: { title: { text: "predicted class" }, type: "category", side: "bottom" },
      yaxis: { title: { text: "true class" }, type: "category", autorange: "reversed" },
      height: 420,
      width: 520,
    },
  };
}
