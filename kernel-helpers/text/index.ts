export * from "./textToWordSequence";
export * from "./tokenizer";
export * from "./padSequences";
export * from "./textVectorization";
export * from "./charVocabulary";
export * from "./sampleWithTemperature";
export * from "./nextTokenWindows";
export * from "./generateText";
