/**
 * `show(x)` and `showTensor(t)`: the short calls that put a figure, table or tensor in the notebook.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-node";
import { InvalidArgumentError, describeValue } from "../errors";
import { displayBundle, type DisplayOptions } from "./bundle";
import { display } from "./display";
import { isTensor, tensorBundle, type TensorDisplayOptions } from "./tensor";

/**
 * Shows a value in the notebook: a Plotly figure as an interactive plot (with a static
 * picture for exports and viewers without JavaScript), a Vega-Lite spec as a chart, a danfo
 * DataFrame as a table, anything else as {@link display} does.
 *
 * @param value A figure or any value.
 * @param options Display id / update, to redraw a plot in place.
 * @returns Nothing.
 * @throws {InvalidArgumentError} When a value's display protocol returns no bundle (see {@link toMimeBundle}).
 * @example
 * ```ts
 * show({ data: [{ x: [1, 2, 3], y: [2, 1, 3], type: "scatter" }], layout: { title: { text: "Loss" } } });
 * show(plots.history({ loss: [0.9, 0.5, 0.3], val_loss: [1.0, 0.7, 0.6] }));
 * ```
 */
export function show(value: unknown, options: DisplayOptions = {}): void {
  display(value, options);
}

/** Options of {@link showTensor}. */
export interface ShowTensorOptions extends TensorDisplayOptions, DisplayOptions {}

/**
 * Shows a tensor's dtype, shape, statistics and values (elided when it has more than
 * `maxValues` elements). Creates no tensors; the tensor stays yours to dispose.
 *
 * @param tensor The tensor.
 * @param options `maxValues` and display options.
 * @returns Nothing.
 * @throws {InvalidArgumentError} When `tensor` is not a tensor or has been disposed.
 * @example
 * ```ts
 * showTensor(tf.randomNormal([1000, 20]));
 * // Tensor float32 [1000,20]  (min -4.1, max 3.9, mean 0.0012) ...
 * ```
 */
export function showTensor(tensor: tf.Tensor, options: ShowTensorOptions = {}): void {
  if (!isTensor(tensor)) {
    throw new InvalidArgumentError(`\`tensor\` must be a tf.Tensor. Received: tensor=${describeValue(tensor)}`);
  }
  displayBundle(tensorBundle(tensor, { maxValues: options.maxValues }), options);
}
