/**
 * Text tools with Keras' names and behaviour: the legacy `Tokenizer`, `textToWordSequence`,
 * `padSequences`, Keras 3's `TextVectorization`, and character-level generation helpers
 * (`charVocabulary`, `nextTokenWindows`, `sampleWithTemperature`, `generateText`).
 *
 * @module
 */
export * from "./textToWordSequence";
export * from "./tokenizerTypes";
export * from "./tokenizer";
export * from "./padSequences";
export * from "./textVectorizationTypes";
export * from "./textVectorization";
export * from "./charVocabulary";
export * from "./sampleWithTemperature";
export * from "./nextTokenWindows";
export * from "./generateText";
