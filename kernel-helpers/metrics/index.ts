/**
 * Metrics with sklearn's definitions: `mse`, `rmse`, `mae`, `mape`, `r2`, `accuracy`.
 *
 * @module
 */
export * from "./regression";
export * from "./classification";
