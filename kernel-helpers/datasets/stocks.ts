/**
 * Stock prices: Yahoo-format daily CSVs from a path, the S&P 500 daily series and monthly prices
 * of five tech stocks from the `vega-datasets` npm package (offline).
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as dfd from "danfojs-node";
import { InvalidArgumentError, assertOneOf, describeValue } from "../errors";
import { parseCsv, readCsvFile, toDatedTable } from "./_csv-table";
import { datedFrame, vegaDataPath } from "./_frames";

/** Options of {@link loadCsv}. */
export interface LoadStockCsvOptions {
  /**
   * Name of the date column.
   * @default "Date"
   */
  dateColumn?: string;
}

const MISSING_HINT =
  "Download a daily history as CSV (Yahoo Finance: Historical Data, Download) and save it, e.g. as data/AAPL.csv in the project.";

/**
 * Loads a Yahoo Finance daily CSV (`Date,Open,High,Low,Close,Adj Close,Volume`) as a danfo
 * DataFrame indexed by ISO date (`YYYY-MM-DD`), sorted by date, every other column numeric
 * (pandas: `pd.read_csv(path, index_col="Date", parse_dates=True).sort_index()`). Yahoo's
 * `null` cells and empty cells become NaN, as in pandas.
 *
 * @param file Path of the CSV file.
 * @param options `dateColumn` (default "Date").
 * @returns The prices, one row per trading day.
 * @throws {MissingFileError} When the file cannot be read.
 * @throws {DataError} For a missing Date or Close column, no rows, a row with the wrong number
 *   of fields, a repeated date, or an unparseable date or number; the message names the file
 *   line and column.
 * @example
 * ```ts
 * const prices = stocks.loadCsv("data/AAPL.csv");
 * prices.shape; // [3523, 6]
 * prices.index[0]; // "2005-04-25"
 * ```
 */
export function loadCsv(file: string, options: LoadStockCsvOptions = {}): dfd.DataFrame {
  const { dateColumn = "Date" } = options;
  const csv = readCsvFile(file, MISSING_HINT);
  return datedFrame(toDatedTable(csv, { dateColumn, required: ["Close"] }));
}

/**
 * The S&P 500 index, daily, 2000-01-03 to 2020-04-17 (5,105 trading days), from the
 * `vega-datasets` package (`sp500-2000.csv`), with Yahoo's column names so the same pipeline
 * works on it: `Open, High, Low, Close, Adj Close, Volume`, indexed by ISO date.
 *
 * @returns The DataFrame.
 * @throws {MissingFileError} When `vega-datasets` is not installed.
 * @example
 * ```ts
 * const spx = stocks.sp500();
 * spx.columns; // ["Open", "High", "Low", "Close", "Adj Close", "Volume"]
 * ```
 */
export function sp500(): dfd.DataFrame {
  const csv = readCsvFile(vegaDataPath("sp500-2000.csv"), "Reinstall vega-datasets.");
  return datedFrame(toDatedTable(csv, { dateColumn: "date" }), {
    open: "Open",
    high: "High",
    low: "Low",
    close: "Close",
    adjclose: "Adj Close",
    volume: "Volume",
  });
}

/** Symbols available in {@link monthly}. */
export const MONTHLY_SYMBOLS = ["AAPL", "AMZN", "GOOG", "IBM", "MSFT"] as const;

/** A symbol of {@link monthly}. */
export type MonthlySymbol = (typeof MONTHLY_SYMBOLS)[number];

/**
 * Monthly closing prices of one of five stocks (first day of each month, January 2000 to March 2010, 123 months;
 * GOOG from its 2004 listing), from `vega-datasets` (`stocks.csv`): a DataFrame with one column
 * `price`, indexed by ISO date.
 *
 * @param symbol One of "AAPL", "AMZN", "GOOG", "IBM", "MSFT" (any case).
 * @returns The DataFrame.
 * @throws {InvalidArgumentError} For another symbol.
 * @throws {MissingFileError} When `vega-datasets` is not installed.
 * @example
 * ```ts
 * stocks.monthly("MSFT").index[0]; // "2000-01-01"
 * ```
 */
export function monthly(symbol: MonthlySymbol | string): dfd.DataFrame {
  if (typeof symbol !== "string") {
    throw new InvalidArgumentError(`\`symbol\` must be a string such as "AAPL". Received: symbol=${describeValue(symbol)}`);
  }
  const upper = symbol.toUpperCase();
  assertOneOf(upper, MONTHLY_SYMBOLS, "symbol");
  const file = vegaDataPath("stocks.csv");
  const all = parseCsv(fs.readFileSync(file, "utf8"), file);
  const at = all.header.indexOf("symbol");
  const rows = all.rows.filter((r) => r.fields[at] === upper).map((r) => ({ line: r.line, fields: r.fields.filter((_, j) => j !== at) }));
  const header = all.header.filter((_, j) => j !== at);
  return datedFrame(toDatedTable({ source: file, header, rows }, { dateColumn: "date" }));
}

/** Options of {@link findLocalCsv}. */
export interface FindLocalCsvOptions {
  /**
   * Folder to start from; it and its parents are searched for `data/<SYMBOL>.csv`.
   * @default process.cwd()
   */
  from?: string;
}

/**
 * Finds a user's own download `data/<SYMBOL>.csv` (e.g. `data/AAPL.csv`) in the working folder
 * or any folder above it (notebooks run inside `notebooks/...`), so a walkthrough can use it when
 * present and fall back to a bundled dataset otherwise.
 *
 * @param symbol The ticker, e.g. "AAPL" (the file name is upper case).
 * @param options `from` (default: the working folder).
 * @returns The absolute path, or `null` when there is no such file.
 * @throws {InvalidArgumentError} When `symbol` is not a plain ticker.
 * @example
 * ```ts
 * const file = stocks.findLocalCsv("AAPL");
 * const prices = file ? stocks.loadCsv(file) : stocks.sp500();
 * ```
 */
export function findLocalCsv(symbol: string, options: FindLocalCsvOptions = {}): string | null {
  if (typeof symbol !== "string" || !/^[A-Za-z0-9.^_-]+$/.test(symbol)) {
    throw new InvalidArgumentError(`\`symbol\` must be a ticker like "AAPL". Received: symbol=${describeValue(symbol)}`);
  }
  let dir = path.resolve(options.from ?? process.cwd());
  for (;;) {
    const candidate = path.join(dir, "data", `${symbol.toUpperCase()}.csv`);
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
