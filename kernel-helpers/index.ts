/**
 * kernel-helpers: what Keras and pandas give a Python class, for TypeScript notebooks.
 *
 * ```ts
 * import { Tokenizer, padSequences, TimeseriesGenerator, show } from "kernel-helpers";
 * ```
 *
 * @module
 */
export * from "./errors";
export * from "./runtime";
export * from "./text";
export * from "./timeseries";
export * from "./datasets";
export * from "./models";
export * from "./train";
export * from "./metrics";
export * from "./plots";
export * from "./display";
export * from "./check";
