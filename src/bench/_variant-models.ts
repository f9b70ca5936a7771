/**
 * The models of `npm run bench -- rnn-variants`: the recurrent variants the two workloads of
 * `rnn` do not cover (masking, stacked, bidirectional, a per-step output) and the course's
 * builders as the notebooks call them, each for LSTM, GRU and SimpleRNN.
 *
 * They are built from a {@link VariantLib}, the `@tensorflow/tfjs-node` and `kernel-helpers` of
 * whichever seqlab checkout runs them (`_variant-worker.ts`), so they use only APIs present in
 * the current code and in the baseline the issue was measured against (commit `4015ad8`): the
 * fused `lstm`/`gru`/`simpleRNN` layer factories, `tf.layers.*`, and the three builders with
 * options both versions have. `keras-rnn.py` builds the same models in Keras (`fit_variant`).
 *
 * @module
 */
import type * as TF from "@tensorflow/tfjs-node";
import type * as Helpers from "kernel-helpers";

/**
 * What the models are built from: one checkout's tfjs-node and kernel-helpers.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-node";
 * import * as helpers from "kernel-helpers";
 * const lib: VariantLib = { tf, helpers };
 * disposeVariant(buildVariant(lib, "masking", "lstm", { steps: 20, features: 1 }));
 * ```
 */
export interface VariantLib {
  tf: typeof TF;
  helpers: Pick<
    typeof Helpers,
    "lstm" | "gru" | "simpleRNN" | "buildSequenceClassifier" | "buildForecaster" | "buildCharLanguageModel"
  >;
}

/**
 * The three cells.
 *
 * @example
 * ```ts
 * const cell: VariantCell = "simpleRNN";
 * VARIANT_CELLS.includes(cell); // true
 * ```
 */
export type VariantCell = "lstm" | "gru" | "simpleRNN";
/**
 * Every cell, in the order the benchmark runs them.
 *
 * @example
 * ```ts
 * VARIANT_CELLS; // ["lstm", "gru", "simpleRNN"]
 * ```
 */
export const VARIANT_CELLS: readonly VariantCell[] = ["lstm", "gru", "simpleRNN"];

/**
 * The variants, in the order the benchmark runs them.
 *
 * @example
 * ```ts
 * VARIANT_KEYS.length; // 7
 * VARIANT_KEYS[0]; // "masking"
 * ```
 */
export const VARIANT_KEYS = [
  "masking",
  "stacked",
  "bidirectional",
  "returnSequences",
  "classifier",
  "charModel",
  "forecaster",
] as const;
/**
 * One variant's key.
 *
 * @example
 * ```ts
 * const key: VariantKey = "bidirectional";
 * VARIANTS[key].key; // "bidirectional"
 * ```
 */
export type VariantKey = (typeof VARIANT_KEYS)[number];

/**
 * The datasets the variants train on (built by `_variant-data.ts`).
 *
 * @example
 * ```ts
 * const data: VariantDataKey = VARIANTS.masking.data;
 * data; // "imdbPost"
 * ```
 */
export type VariantDataKey = "imdbPost" | "imdbPre" | "charsEvery" | "charsNext" | "series";

/**
 * Word vocabulary of the IMDB datasets (`imdb.loadData({numWords})`).
 *
 * @example
 * ```ts
 * WORDS; // 10000
 * ```
 */
export const WORDS = 10000;
/**
 * Character vocabulary of the character datasets.
 *
 * @example
 * ```ts
 * CHARS; // 60
 * ```
 */
export const CHARS = 60;
/**
 * Embedding width of the word models.
 *
 * @example
 * ```ts
 * EMBEDDING_DIM; // 32
 * ```
 */
export const EMBEDDING_DIM = 32;
/**
 * Units of every recurrent layer (per direction when bidirectional).
 *
 * @example
 * ```ts
 * VARIANT_UNITS; // 32
 * ```
 */
export const VARIANT_UNITS = 32;
/**
 * Features per step of the forecasting windows.
 *
 * @example
 * ```ts
 * SERIES_FEATURES; // 4
 * ```
 */
export const SERIES_FEATURES = 4;

/**
 * How a variant is built and trained.
 *
 * @example
 * ```ts
 * const spec: VariantSpec = VARIANTS.forecaster;
 * [spec.data, spec.gruResetAfter]; // ["series", false]
 * ```
 */
export interface VariantSpec {
  key: VariantKey;
  /** Printed name: the model. */
  name: string;
  data: VariantDataKey;
  batchSize: number;
  /**
   * GRU form: `true` is Keras' default (`reset_after=True`, as `rnn`'s models), `false` the
   * reset-before form the builders use (Keras `reset_after=False`).
   */
  gruResetAfter: boolean;
}

/**
 * Every variant.
 *
 * @example
 * ```ts
 * Object.keys(VARIANTS).length === VARIANT_KEYS.length; // true
 * ```
 */
export const VARIANTS: Record<VariantKey, VariantSpec> = {
  masking: {
    key: "masking",
    name: "Embedding(maskZero) over post-padded ids → cell → Dense(1, sigmoid)",
    data: "imdbPost",
    batchSize: 64,
    gruResetAfter: true,
  },
  stacked: {
    key: "stacked",
    name: "Embedding → cell(returnSequences) → cell → Dense(1, sigmoid)",
    data: "imdbPre",
    batchSize: 64,
    gruResetAfter: true,
  },
  bidirectional: {
    key: "bidirectional",
    name: "Embedding → Bidirectional(cell, concat) → Dense(1, sigmoid)",
    data: "imdbPre",
    batchSize: 64,
    gruResetAfter: true,
  },
  returnSequences: {
    key: "returnSequences",
    name: "Embedding → cell(returnSequences) → Dense(vocab, softmax) every step, sparse CE",
    data: "charsEvery",
    batchSize: 32,
    gruResetAfter: true,
  },
  classifier: {
    key: "classifier",
    name: "buildSequenceClassifier({cell, vocabSize, embeddingDim, units, sequenceLength})",
    data: "imdbPre",
    batchSize: 64,
    gruResetAfter: false,
  },
  charModel: {
    key: "charModel",
    name: "buildCharLanguageModel({cell, vocabSize, units, seqLength})",
    data: "charsNext",
    batchSize: 32,
    gruResetAfter: false,
  },
  forecaster: {
    key: "forecaster",
    name: "buildForecaster({cell, windowLength, numFeatures, units})",
    data: "series",
    batchSize: 32,
    gruResetAfter: false,
  },
};

/**
 * Shape facts a model needs from its data: time steps (and features for float windows).
 *
 * @example
 * ```ts
 * import { QUICK_SIZES } from "./_variant-data";
 * const dims: DataDims = { steps: QUICK_SIZES.seriesSteps, features: SERIES_FEATURES };
 * dims.steps; // 14
 * ```
 */
export interface DataDims {
  steps: number;
  features: number;
}

interface CellOptions {
  returnSequences?: boolean;
  inputShape?: number[];
}

function recurrent(lib: VariantLib, cell: VariantCell, opts: CellOptions): TF.layers.Layer {
  const common = {
    units: VARIANT_UNITS,
    kernelInitializer: "glorotUniform",
    recurrentInitializer: "orthogonal",
    returnSequences: opts.returnSequences ?? false,
    ...(opts.inputShape ? { inputShape: opts.inputShape } : {}),
  } as const;
  if (cell === "lstm") return lib.helpers.lstm({ ...common, recurrentActivation: "sigmoid", unitForgetBias: true });
  if (cell === "gru") return lib.helpers.gru({ ...common, recurrentActivation: "sigmoid", resetAfter: true });
  return lib.helpers.simpleRNN(common);
}

function wordsModel(lib: VariantLib, dims: DataDims, maskZero: boolean, middle: TF.layers.Layer[]): TF.LayersModel {
  const { tf } = lib;
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: WORDS, outputDim: EMBEDDING_DIM, maskZero, inputShape: [dims.steps] }));
  middle.forEach((layer) => model.add(layer));
  model.add(tf.layers.dense({ units: 1, activation: "sigmoid" }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: "binaryCrossentropy" });
  return model;
}

/**
 * Builds and compiles a variant's model for one cell.
 *
 * @param lib The checkout's libraries.
 * @param key The variant.
 * @param cell The cell.
 * @param dims The data's steps and features.
 * @returns The compiled model (dispose it and, unless the model owns it, its optimizer).
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-node";
 * import * as helpers from "kernel-helpers";
 * const model = buildVariant({ tf, helpers }, "stacked", "gru", { steps: 20, features: 1 });
 * model.layers.map((l) => l.getClassName()); // ["Embedding", "GRU", "GRU", "Dense"]
 * model.outputs[0].shape; // [null, 1]
 * disposeVariant(model);
 * ```
 */
export function buildVariant(lib: VariantLib, key: VariantKey, cell: VariantCell, dims: DataDims): TF.LayersModel {
  const { tf, helpers } = lib;
  switch (key) {
    case "masking":
      return wordsModel(lib, dims, true, [recurrent(lib, cell, {})]);
    case "stacked":
      return wordsModel(lib, dims, false, [recurrent(lib, cell, { returnSequences: true }), recurrent(lib, cell, {})]);
    case "bidirectional":
      return wordsModel(lib, dims, false, [
        tf.layers.bidirectional({ layer: recurrent(lib, cell, {}) as TF.RNN, mergeMode: "concat" }),
      ]);
    case "returnSequences": {
      const model = tf.sequential();
      model.add(tf.layers.embedding({ inputDim: CHARS, outputDim: EMBEDDING_DIM, inputShape: [dims.steps] }));
      model.add(recurrent(lib, cell, { returnSequences: true }));
      model.add(tf.layers.dense({ units: CHARS, activation: "softmax" }));
      model.compile({ optimizer: tf.train.adam(1e-3), loss: "sparseCategoricalCrossentropy" });
      return model;
    }
    case "classifier":
      return helpers.buildSequenceClassifier({
        cell, vocabSize: WORDS, embeddingDim: EMBEDDING_DIM, units: VARIANT_UNITS, sequenceLength: dims.steps,
      });
    case "charModel":
      return helpers.buildCharLanguageModel({ cell, vocabSize: CHARS, units: VARIANT_UNITS, seqLength: dims.steps });
    case "forecaster":
      return helpers.buildForecaster({
        cell, windowLength: dims.steps, numFeatures: dims.features, units: VARIANT_UNITS,
      });
  }
}

/**
 * Disposes a model built by {@link buildVariant} and its optimizer (which the current
 * builders' models own and free themselves; the baseline's do not).
 *
 * @param model The model.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-node";
 * import * as helpers from "kernel-helpers";
 * const before = tf.memory().numTensors;
 * disposeVariant(buildVariant({ tf, helpers }, "forecaster", "lstm", { steps: 14, features: 4 }));
 * tf.memory().numTensors - before; // 0
 * ```
 */
export function disposeVariant(model: TF.LayersModel): void {
  const optimizer = model.optimizer;
  const owned = (model as unknown as { isOptimizerOwned?: boolean }).isOptimizerOwned === true;
  model.dispose();
  if (!owned) optimizer.dispose();
}
