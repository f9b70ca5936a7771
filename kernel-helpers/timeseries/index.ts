/**
 * Time series: chronological splits, Keras windowing, sklearn scalers, pandas-style series helpers,
 * multi-step forecasting and baselines.
 *
 * @module
 */
export * from "./trainTestSplit";
export * from "./timeseriesGenerator";
export * from "./timeseriesDataset";
export * from "./standardScaler";
export * from "./minMaxScaler";
export * from "./seriesOps";
export * from "./forecast";
export * from "./baselines";
