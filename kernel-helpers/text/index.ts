/**
 * Text tools with Keras' names and behaviour: the legacy `Tokenizer`, `textToWordSequence`,
 * `padSequences`, Keras 3's `TextVectorization`, and character-level generation helpers
 * (`charVocabulary`, `nextTokenWindows`, `sampleWithTemperature`, `generateText`).
 *
 * @module
 */
export * from "./text-to-word-sequence";
export * from "./tokenizer-types";
export * from "./tokenizer";
export * from "./pad-sequences";
export * from "./text-vectorization-types";
export * from "./text-vectorization";
export * from "./char-vocabulary";
export * from "./sample-with-temperature";
export * from "./next-token-windows";
export * from "./generate-text";
export * from "./sequence-windows";
export * from "./bits-per-character";
export * from "./sample-every-epoch";
