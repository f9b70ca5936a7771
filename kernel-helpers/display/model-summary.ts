/**
 * `modelSummary(model)`: Keras' `model.summary()` as a table that displays in notebooks.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-node";
import { InvalidArgumentError, describeValue } from "../errors";
import type { MimeBundle } from "./bundle";
import { escapeXml } from "./_svg";

/** One layer row of a {@link ModelSummary}. */
export interface LayerSummaryRow {
  /** The layer's name, e.g. `"lstm_1"`. */
  name: string;
  /** Its class, e.g. `"LSTM"`. */
  type: string;
  /** Its output shape, `null` for the batch dimension, e.g. `[null, 32]`. */
  outputShape: Array<number | null> | Array<Array<number | null>>;
  /** Number of weights (trainable and not). */
  params: number;
}

/** What {@link modelSummary} returns: plain data that displays as a table. */
export interface ModelSummary {
  /** The model's name. */
  name: string;
  /** One row per layer, in order. */
  layers: LayerSummaryRow[];
  /** Sum of all layers' parameters. */
  totalParams: number;
  /** Trainable parameters. */
  trainableParams: number;
  /** Non-trainable parameters. */
  nonTrainableParams: number;
  /** The Jupyter display protocol: the HTML table and its text twin. */
  [key: symbol]: () => MimeBundle;
}

function isLayersModel(value: unknown): value is tf.LayersModel {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<tf.LayersModel>;
  return Array.isArray(v.layers) && typeof v.countParams === "function" && Array.isArray(v.trainableWeights);
}

/**
 * Whether `value` is a tfjs `LayersModel` (`tf.sequential()`, `tf.model()`).
 *
 * @param value Anything.
 * @returns `true` for a model.
 * @throws Never: any value gives `true` or `false`.
 * @example
 * ```ts
 * isLayersModelLike(tf.sequential()); // true
 * ```
 */
export function isLayersModelLike(value: unknown): value is tf.LayersModel {
  return isLayersModel(value);
}

function countWeights(weights: Array<{ shape: Array<number | null> }>): number {
  return weights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
}

function shapeText(shape: LayerSummaryRow["outputShape"]): string {
  const one = (s: Array<number | null>) => `(${s.map((d) => (d === null ? "None" : String(d))).join(", ")}${s.length === 1 ? "," : ""})`;
  return Array.isArray(shape[0]) ? (shape as Array<Array<number | null>>).map(one).join(", ") : one(shape as Array<number | null>);
}

/**
 * Summarises a model like Keras' `model.summary()`: each layer's name, type, output shape
 * and parameter count, and the totals. The result is plain data; `display(summary)` (or
 * leaving it as a cell's last expression) shows it as an HTML table.
 *
 * Porting note: Keras prints the summary; here it is returned as data that displays itself.
 * Shapes print as Keras does, with `None` for the batch dimension.
 *
 * @param model A built tfjs LayersModel.
 * @returns The summary.
 * @throws {InvalidArgumentError} When `model` is not a LayersModel, or is not built yet (no input shape).
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
 * modelSummary(model).totalParams; // 8
 * display(modelSummary(model));
 * ```
 */
export function modelSummary(model: tf.LayersModel): ModelSummary {
  if (!isLayersModel(model)) {
    throw new InvalidArgumentError(`\`model\` must be a tfjs LayersModel (tf.sequential() or tf.model()). Received: model=${describeValue(model)}`);
  }
  const layers: LayerSummaryRow[] = model.layers.map((layer) => {
    let outputShape: LayerSummaryRow["outputShape"];
    try {
      outputShape = layer.outputShape as LayerSummaryRow["outputShape"];
    } catch {
      throw new InvalidArgumentError(`\`model\` is not built: give its first layer an \`inputShape\` (or call model.build). Received: layer ${layer.name} without an output shape`);
    }
    return { name: layer.name, type: layer.getClassName(), outputShape, params: layer.countParams() };
  });
  const trainableParams = countWeights(model.trainableWeights);
  const totalParams = layers.reduce((n, l) => n + l.params, 0);
  const summary = {
    name: model.name,
    layers,
    totalParams,
    trainableParams,
    nonTrainableParams: totalParams - trainableParams,
  } as ModelSummary;
  Object.defineProperty(summary, Symbol.for("Jupyter.display"), {
    enumerable: false,
    value: () => summaryBundle(summary),
  });
  return summary;
}

function summaryBundle(s: ModelSummary): MimeBundle {
  const rows = s.layers.map((l) => [`${l.name} (${l.type})`, shapeText(l.outputShape), l.params.toLocaleString("en-US")]);
  const head = ["Layer (type)", "Output Shape", "Param #"];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c]!)).join("   ").trimEnd();
  const rule = "─".repeat(widths.reduce((a, b) => a + b + 3, -3));
  const totals = [
    `Total params: ${s.totalParams.toLocaleString("en-US")}`,
    `Trainable params: ${s.trainableParams.toLocaleString("en-US")}`,
    `Non-trainable params: ${s.nonTrainableParams.toLocaleString("en-US")}`,
  ];
  const text = [`Model: "${s.name}"`, rule, line(head), rule, ...rows.map(line), rule, ...totals].join("\n");
  const html =
    `<div class="seqlab-model-summary"><p><b>Model: "${escapeXml(s.name)}"</b></p><table><thead><tr>` +
    head.map((h) => `<th>${h}</th>`).join("") +
    "</tr></thead><tbody>" +
    rows.map((r) => `<tr><td>${escapeXml(r[0]!)}</td><td>${escapeXml(r[1]!)}</td><td style="text-align:right">${r[2]}</td></tr>`).join("") +
    `</tbody></table><p>${totals.join("<br>")}</p></div>`;
  return { "text/html": html, "text/plain": text };
}
