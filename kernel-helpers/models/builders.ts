/**
 * Keras-style model builders for the course's three tasks: sequence classification
 * (sentiment), forecasting, and character-level language models. Each returns a compiled
 * `tf.LayersModel` built with Keras' layer defaults and seqlab's fused recurrent layers, whose
 * `dispose()` frees its optimizer too.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { assertLearningRate, assertPositiveInteger, assertRate, describeValue, InvalidArgumentError } from "../errors";
import {
  quietOrthogonal,
  RecurrentCellType,
  RecurrentImpl,
  recurrentStack,
  validateStackArgs,
} from "./_recurrent-stack";
import { bitsPerCharacter } from "../text/bits-per-character";

export type { RecurrentCellType, RecurrentImpl } from "./_recurrent-stack";

/** Options of {@link buildSequenceClassifier}. */
export interface SequenceClassifierArgs {
  /** The recurrent cell. */
  cell: RecurrentCellType;
  /** Vocabulary size: token ids are in `[0, vocabSize)` (0 is padding). */
  vocabSize: number;
  /** Embedding width. */
  embeddingDim: number;
  /** Units per recurrent layer (per direction when bidirectional). */
  units: number;
  /** Number of stacked recurrent layers. @default 1 */
  layers?: number;
  /** Wrap each recurrent layer in `Bidirectional` (outputs concatenated). @default false */
  bidirectional?: boolean;
  /** Recurrent layers' input `dropout` rate. @default 0 */
  dropout?: number;
  /** Recurrent layers' `recurrentDropout` rate (not fused: runs the standard layer). @default 0 */
  recurrentDropout?: number;
  /** Number of classes: 2 gives one sigmoid unit, more give a softmax. @default 2 */
  numClasses?: number;
  /** Embedding `maskZero`: padding id 0 is skipped by the recurrent layers. @default false */
  maskZero?: boolean;
  /** Fixed sequence length, or `null` for any length. @default null */
  sequenceLength?: number | null;
  /** Adam's learning rate. @default 0.001 */
  learningRate?: number;
  /** Recurrent layer implementation. @default "fused" */
  impl?: RecurrentImpl;
}

/**
 * Compiles `model` with an Adam optimizer the model owns, so `model.dispose()` frees it too.
 * tfjs-layers disposes only optimizers it created from a name (`optimizer: "adam"`), and such
 * an Adam has the default learning rate; ours has the builder's.
 */
function compileWithOwnAdam(model: tf.LayersModel, learningRate: number, args: Omit<tf.ModelCompileArgs, "optimizer">): void {
  model.compile({ ...args, optimizer: tf.train.adam(learningRate) });
  (model as unknown as { isOptimizerOwned: boolean }).isOptimizerOwned = true;
}

/**
 * Builds and compiles a text classifier: `Embedding → recurrent layer(s) → Dense`.
 *
 * Loss `binaryCrossentropy` with one sigmoid unit for 2 classes (labels 0/1), else
 * `sparseCategoricalCrossentropy` with a softmax (integer labels); metric `accuracy`;
 * optimizer Adam. Recurrent layers use Keras' defaults (`recurrentActivation: "sigmoid"`,
 * `glorotUniform`/`orthogonal` initializers, LSTM `unitForgetBias: true`).
 *
 * Porting note: GRU layers use the reset-before form (tfjs-layers' only one, Keras'
 * `reset_after=False`), so saved models load in stock tfjs-layers; Keras' GRU default is
 * `reset_after=True` (use `gru({resetAfter: true, ...})` to build that form yourself).
 *
 * @param args See {@link SequenceClassifierArgs}.
 * @returns A compiled model taking int token ids `[batch, time]`, returning `[batch, 1]`
 *   probabilities (2 classes) or `[batch, numClasses]`.
 * @throws {InvalidArgumentError} On a bad option (names it and what was received).
 * @example
 * ```ts
 * import { buildSequenceClassifier } from "kernel-helpers";
 * const model = buildSequenceClassifier({ cell: "lstm", vocabSize: 10000, embeddingDim: 32, units: 32 });
 * // await model.fit(xTrain, yTrain, { epochs: 3, batchSize: 128, validationSplit: 0.2 });
 * ```
 */
export function buildSequenceClassifier(args: SequenceClassifierArgs): tf.LayersModel {
  const {
    cell,
    vocabSize,
    embeddingDim,
    units,
    layers = 1,
    bidirectional = false,
    dropout = 0,
    recurrentDropout = 0,
    numClasses = 2,
    maskZero = false,
    sequenceLength = null,
    learningRate = 0.001,
    impl = "fused",
  } = args;
  validateStackArgs(cell, units, layers, impl);
  assertPositiveInteger(vocabSize, "vocabSize");
  assertPositiveInteger(embeddingDim, "embeddingDim");
  assertRate(dropout, "dropout");
  assertRate(recurrentDropout, "recurrentDropout");
  if (typeof numClasses !== "number" || !Number.isInteger(numClasses) || numClasses < 2) {
    throw new InvalidArgumentError(
      `\`numClasses\` must be an integer >= 2. Received: numClasses=${describeValue(numClasses)}`,
    );
  }
  if (sequenceLength !== null) assertPositiveInteger(sequenceLength, "sequenceLength");
  assertLearningRate(learningRate);
  return quietOrthogonal(() => {
    const model = tf.sequential();
    model.add(tf.layers.embedding({ inputDim: vocabSize, outputDim: embeddingDim, maskZero, inputShape: [sequenceLength] }));
    for (const layer of recurrentStack({
      cell, units, layers, bidirectional, dropout, recurrentDropout, lastReturnsSequences: false, impl,
    })) {
      model.add(layer);
    }
    const binary = numClasses === 2;
    model.add(tf.layers.dense({ units: binary ? 1 : numClasses, activation: binary ? "sigmoid" : "softmax" }));
    compileWithOwnAdam(model, learningRate, {
      loss: binary ? "binaryCrossentropy" : "sparseCategoricalCrossentropy",
      metrics: ["accuracy"],
    });
    return model;
  });
}

/** Options of {@link buildForecaster}. */
export interface ForecasterArgs {
  /** The recurrent cell. */
  cell: RecurrentCellType;
  /** Time steps per input window. */
  windowLength: number;
  /** Features per time step. */
  numFeatures: number;
  /** Units per recurrent layer. */
  units: number;
  /** Number of stacked recurrent layers. @default 1 */
  layers?: number;
  /** Steps ahead predicted at once (outputs per sample). @default 1 */
  horizon?: number;
  /** Recurrent layers' input `dropout` rate. @default 0 */
  dropout?: number;
  /** Adam's learning rate. @default 0.001 */
  learningRate?: number;
  /** Recurrent layer implementation. @default "fused" */
  impl?: RecurrentImpl;
}

/**
 * Builds and compiles a forecaster: recurrent layer(s) over a window → `Dense(horizon)`.
 *
 * Loss `meanSquaredError`, metric `mae` (mean absolute error), optimizer Adam; Keras'
 * recurrent defaults (see {@link buildSequenceClassifier}).
 *
 * @param args See {@link ForecasterArgs}.
 * @returns A compiled model taking `[batch, windowLength, numFeatures]`, returning
 *   `[batch, horizon]`.
 * @throws {InvalidArgumentError} On a bad option.
 * @example
 * ```ts
 * import { buildForecaster } from "kernel-helpers";
 * const model = buildForecaster({ cell: "gru", windowLength: 30, numFeatures: 1, units: 32 });
 * ```
 */
export function buildForecaster(args: ForecasterArgs): tf.LayersModel {
  const { cell, windowLength, numFeatures, units, layers = 1, horizon = 1, dropout = 0, learningRate = 0.001, impl = "fused" } =
    args;
  validateStackArgs(cell, units, layers, impl);
  assertPositiveInteger(windowLength, "windowLength");
  assertPositiveInteger(numFeatures, "numFeatures");
  assertPositiveInteger(horizon, "horizon");
  assertRate(dropout, "dropout");
  assertLearningRate(learningRate);
  return quietOrthogonal(() => {
    const model = tf.sequential();
    for (const layer of recurrentStack({
      cell, units, layers, bidirectional: false, dropout, recurrentDropout: 0, lastReturnsSequences: false, impl,
      inputShape: [windowLength, numFeatures],
    })) {
      model.add(layer);
    }
    model.add(tf.layers.dense({ units: horizon }));
    compileWithOwnAdam(model, learningRate, { loss: "meanSquaredError", metrics: ["mae"] });
    return model;
  });
}

/** Options of {@link buildCharLanguageModel}. */
export interface CharLanguageModelArgs {
  /** The recurrent cell. */
  cell: RecurrentCellType;
  /** Number of distinct characters (ids in `[0, vocabSize)`). */
  vocabSize: number;
  /** Embedding width. @default 64 */
  embeddingDim?: number;
  /** Units per recurrent layer. */
  units: number;
  /** Number of stacked recurrent layers. @default 1 */
  layers?: number;
  /** Characters per input window. */
  seqLength: number;
  /**
   * Predict the next character after **every** position of the window (char-rnn): the last
   * recurrent layer returns its whole sequence and `Dense(vocabSize, softmax)` applies at each
   * step, so the output is `[batch, seqLength, vocabSize]` and targets are `[batch, seqLength]`
   * ids (`sequenceWindows(...).toDataset()` for `fitDataset`; `model.fit` checks sparse targets
   * with a trailing axis, `[batch, seqLength, 1]`). `false` predicts only the character after the window
   * (`nextTokenWindows`). @default false
   */
  returnSequences?: boolean;
  /** Dropout rate on each recurrent layer's output (a `Dropout` layer after it, as char-rnn does). @default 0 */
  dropout?: number;
  /** Adam's learning rate. @default 0.001 */
  learningRate?: number;
  /** Recurrent layer implementation. @default "fused" */
  impl?: RecurrentImpl;
}

/**
 * Builds and compiles a character-level language model:
 * `Embedding → (recurrent layer → Dropout) × layers → Dense(vocabSize, softmax)`. By default it
 * predicts the character that follows the window; with `returnSequences: true` it predicts the
 * next character at every position (many-to-many, as Karpathy's char-rnn and TensorFlow's
 * text-generation tutorial), which gives `seqLength` training signals per window instead of one.
 *
 * Loss `sparseCategoricalCrossentropy` in nats (targets are the next characters' ids), metrics
 * `accuracy` and {@link bitsPerCharacter} (the same loss in bits), optimizer Adam. Sample from
 * it with `generateText`, which reads the last step's probabilities either way.
 *
 * Porting note: Keras' classic character model one-hot encodes the window; an embedding of
 * `embeddingDim` is used here (cheaper, same role). Keras puts dropout inside the recurrent
 * layer (`dropout=`, on its inputs); here a `Dropout` layer follows each recurrent layer, which
 * keeps the fused kernels and drops the inputs of the next layer and of the softmax.
 *
 * @param args See {@link CharLanguageModelArgs}.
 * @returns A compiled model taking int ids `[batch, seqLength]`, returning next-character
 *   probabilities `[batch, vocabSize]`, or `[batch, seqLength, vocabSize]` with `returnSequences`.
 * @throws {InvalidArgumentError} On a bad option.
 * @example
 * ```ts
 * import { buildCharLanguageModel } from "kernel-helpers";
 * const model = buildCharLanguageModel({ cell: "lstm", vocabSize: 60, units: 128, seqLength: 100, returnSequences: true });
 * model.outputs[0]!.shape; // [null, 100, 60]
 * model.dispose();
 * ```
 */
export function buildCharLanguageModel(args: CharLanguageModelArgs): tf.LayersModel {
  const {
    cell, vocabSize, embeddingDim = 64, units, layers = 1, seqLength, returnSequences = false, dropout = 0,
    learningRate = 0.001, impl = "fused",
  } = args;
  validateStackArgs(cell, units, layers, impl);
  assertPositiveInteger(vocabSize, "vocabSize");
  assertPositiveInteger(embeddingDim, "embeddingDim");
  assertPositiveInteger(seqLength, "seqLength");
  if (typeof returnSequences !== "boolean") {
    throw new InvalidArgumentError(`\`returnSequences\` must be true or false. Received: returnSequences=${describeValue(returnSequences)}`);
  }
  assertRate(dropout, "dropout");
  assertLearningRate(learningRate);
  return quietOrthogonal(() => {
    const model = tf.sequential();
    model.add(tf.layers.embedding({ inputDim: vocabSize, outputDim: embeddingDim, inputShape: [seqLength] }));
    const stack = recurrentStack({
      cell, units, layers, bidirectional: false, dropout: 0, recurrentDropout: 0, lastReturnsSequences: returnSequences, impl,
    });
    for (const layer of stack) {
      model.add(layer);
      if (dropout > 0) model.add(tf.layers.dropout({ rate: dropout }));
    }
    model.add(tf.layers.dense({ units: vocabSize, activation: "softmax" }));
    compileWithOwnAdam(model, learningRate, { loss: "sparseCategoricalCrossentropy", metrics: ["accuracy", bitsPerCharacter] });
    return model;
  });
}
