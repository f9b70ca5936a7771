/**
 * Internal: builds danfo DataFrames for the dataset loaders, and finds the bundled npm datasets.
 *
 * @module
 */
import * as path from "node:path";
import * as dfd from "danfojs-node";
import { MissingFileError } from "../errors";
import type { DatedTable } from "./_csv-table";

/**
 * A DataFrame indexed by date from a dated table, optionally renaming columns.
 *
 * @param t The table.
 * @param rename Old name → new name.
 * @returns The DataFrame.
 */
export function datedFrame(t: DatedTable, rename: Record<string, string> = {}): dfd.DataFrame {
  const columns = t.columns.map((c) => rename[c] ?? c);
  const obj: Record<string, Array<number | string>> = {};
  columns.forEach((c, k) => (obj[c] = t.data[k]));
  return new dfd.DataFrame(obj, { index: t.dates.slice(), columns });
}

/**
 * The path of a file in the `vega-datasets` npm package's `data/` folder.
 *
 * @param file The file name, e.g. "sp500-2000.csv".
 * @returns Its absolute path.
 * @throws {MissingFileError} When the package is not installed.
 */
export function vegaDataPath(file: string): string {
  let entry: string;
  try {
    entry = require.resolve("vega-datasets");
  } catch {
    throw new MissingFileError(
      `The npm package "vega-datasets" is not installed; it holds ${file}. Run \`npm install --save-exact vega-datasets@3.2.1\`. Received: no vega-datasets`,
    );
  }
  return path.join(path.dirname(entry), "..", "data", file);
}
