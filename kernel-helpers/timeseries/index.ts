/**
 * Time series: chronological splits, Keras windowing, sklearn scalers, pandas-style series helpers,
 * multi-step forecasting and baselines.
 *
 * @module
 */
export * from "./train-test-split";
export * from "./timeseries-generator";
export * from "./timeseries-dataset";
export * from "./standard-scaler";
export * from "./min-max-scaler";
export * from "./series-ops";
export * from "./forecast";
export * from "./baselines";
