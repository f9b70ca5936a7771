/**
 * Weather: daily Seattle weather 2012–2015 from the `vega-datasets` npm package (offline).
 *
 * @module
 */
import type * as dfd from "danfojs-node";
import { readCsvFile, toDatedTable } from "./_csv-table";
import { datedFrame, vegaDataPath } from "./_frames";

/**
 * Daily Seattle weather, 2012-01-01 to 2015-12-31 (1,461 days), from `vega-datasets`
 * (`seattle-weather.csv`): a DataFrame indexed by ISO date with numeric columns
 * `precipitation` (mm), `temp_max`, `temp_min` (°C), `wind` (m/s) and the string column
 * `weather` ("drizzle", "rain", "sun", "snow", "fog").
 *
 * @returns The DataFrame.
 * @throws {MissingFileError} When `vega-datasets` is not installed.
 * @example
 * ```ts
 * const w = weather.seattle();
 * w.shape; // [1461, 5]
 * ```
 */
export function seattle(): dfd.DataFrame {
  const csv = readCsvFile(vegaDataPath("seattle-weather.csv"), "Reinstall vega-datasets.");
  return datedFrame(toDatedTable(csv, { dateColumn: "date", stringColumns: ["weather"] }));
}
