/**
 * kernel-helpers: what Keras and pandas give a Python class, for TypeScript notebooks.
 *
 * ```ts
 * import { Tokenizer, padSequences, TimeseriesGenerator, show } from "kernel-helpers";
 * ```
 *
 * The public surface is this module plus one subpath per area (`kernel-helpers/text`,
 * `/timeseries`, `/datasets`, `/models`, `/train`, `/metrics`, `/plots`, `/display`), fixed by
 * the `exports` map of package.json: nothing else can be imported, and a snapshot test lists
 * every exported name. Helpers that only other helpers use (the validators of errors.ts,
 * `describeValue`, `isTensor`, `tensorBundle`) are not exported from here; `plotlyBundle`
 * (the Plotly counterpart of `vegaBundle` and `frameBundle`) and `insideKernel` (is this a
 * seqlab kernel session?) are.
 *
 * Names are flat (`padSequences`, `accuracy`, `show`) except two namespaces, `plots` and the
 * datasets (`imdb`, `books`, `stocks`, `weather`, `events`): their members are short generic
 * names (`plots.history`, `plots.confusionMatrix`, `imdb.load`, `stocks.load`) that would
 * collide or read ambiguously when flat, as in Keras (`keras.datasets.imdb.load_data`).
 *
 * @module
 */
export { SeqlabError, InvalidArgumentError, ShapeError, DataError, MissingFileError } from "./errors";
export * from "./runtime";
export * from "./text";
export * from "./timeseries";
export * from "./datasets";
export * from "./models";
export * from "./train";
export * from "./metrics";
export * from "./plots";
export {
  display,
  show,
  showTensor,
  displayBundle,
  insideKernel,
  toMimeBundle,
  JUPYTER_DISPLAY,
  modelSummary,
  isLayersModelLike,
  PLOTLY_MIME,
  isPlotlyFigure,
  plotlyBundle,
  VEGA_MIME,
  VEGALITE_MIMES,
  isVegaSpec,
  vegaBundle,
  isDanfoFrame,
  frameBundle,
  RESULTS_MIME,
  resultsBundle,
  showResults,
} from "./display";
export type {
  MimeBundle,
  DisplayOptions,
  DisplayFunction,
  LayerSummaryRow,
  ModelSummary,
  PlotlyFigure,
  ShowTensorOptions,
  TensorDisplayOptions,
  FrameBundleOptions,
  VegaSpec,
  FrameLike,
  NotebookResults,
  ResultValue,
} from "./display";
export * from "./check";
