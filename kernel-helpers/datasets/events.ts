/**
 * Event tables (one row per dated event, numeric flags or counts, e.g. SEC filings with columns
 * `10-K, 10-Q, 8-K`) and their left merge onto a daily table with zero fill.
 *
 * @module
 */
import * as dfd from "danfojs-node";
import { assertNumber, describeValue, InvalidArgumentError } from "../errors";
import { readCsvFile, toDatedTable } from "./_csv-table";
import { datedFrame } from "./_frames";
import { type FrameLike, isFrameLike } from "../timeseries/_inputs";

/** Options of {@link loadCsv}. */
export interface LoadEventsCsvOptions {
  /**
   * Name of the date column.
   * @default "Date"
   */
  dateColumn?: string;
}

/**
 * Loads an event table CSV (a date column and numeric columns, e.g. `Date,10-K,10-Q,8-K` with
 * 1.0/0.0 flags) as a DataFrame indexed by ISO date, sorted by date.
 *
 * @param file Path of the CSV file.
 * @param options `dateColumn` (default "Date").
 * @returns The events.
 * @throws {MissingFileError} When the file cannot be read.
 * @throws {DataError} For a missing date column, no rows, a ragged row, a repeated date, or an
 *   unparseable date or number (the message names the file line and column).
 * @example
 * ```ts
 * const filings = events.loadCsv("data/filings.csv");
 * filings.columns; // ["10-K", "10-Q", "8-K"]
 * ```
 */
export function loadCsv(file: string, options: LoadEventsCsvOptions = {}): dfd.DataFrame {
  const { dateColumn = "Date" } = options;
  const csv = readCsvFile(file, "Check the path; an event table needs a date column and numeric columns.");
  return datedFrame(toDatedTable(csv, { dateColumn }));
}

/** Options of {@link mergeOnDate}. */
export interface MergeOnDateOptions {
  /**
   * Value for event columns on dates without an event.
   * @default 0
   */
  fillValue?: number;
}

/**
 * Left-merges an event table onto a dated table by index (date), then fills the event columns
 * where no event happened: pandas' `pd.merge(left, events, how="left", left_index=True,
 * right_index=True)` followed by filling the new columns' missing values with `fillValue`. Every row of `left`
 * is kept, in order; its index stays. Event dates missing from `left` are dropped. Columns
 * present in both get pandas' suffixes `_x` (left) and `_y` (events).
 *
 * Porting note: only the event columns are filled (pandas' `.fillna(0)` after the merge also
 * fills missing values already in `left`; drop those first with `dropNa`). A date appears at most
 * once in each table (a danfo index is unique; pandas would repeat the left row for a repeated
 * event date), so each left row gets exactly one row of event values.
 *
 * @param left The daily table (e.g. prices), indexed by ISO date.
 * @param eventTable The events, indexed by ISO date (from {@link loadCsv}).
 * @param options `fillValue` (default 0).
 * @returns A new DataFrame: the columns of `left`, then the event columns.
 * @throws {InvalidArgumentError} When an input is not a DataFrame or `fillValue` is not a number.
 * @example
 * ```ts
 * const prices = stocks.loadCsv("data/AAPL.csv");
 * const merged = events.mergeOnDate(prices, events.loadCsv("data/filings.csv"));
 * merged.shape; // [3523, 9]
 * // rows without a filing have 10-K = 10-Q = 8-K = 0
 * ```
 */
export function mergeOnDate(left: FrameLike, eventTable: FrameLike, options: MergeOnDateOptions = {}): dfd.DataFrame {
  const { fillValue = 0 } = options;
  for (const [name, f] of [["left", left], ["eventTable", eventTable]] as const) {
    if (!isFrameLike(f) || f.ndim !== 2) {
      throw new InvalidArgumentError(`\`${name}\` must be a danfo DataFrame indexed by date. Received: ${name}=${describeValue(f)}`);
    }
  }
  assertNumber(fillValue, "fillValue");
  const leftValues = left.values as unknown[][];
  const rightValues = eventTable.values as unknown[][];
  const byDate = new Map<string, number[]>();
  eventTable.index.forEach((label, i) => {
    const key = String(label);
    const list = byDate.get(key);
    if (list) list.push(i);
    else byDate.set(key, [i]);
  });
  const shared = new Set(left.columns.filter((c) => eventTable.columns.includes(c)));
  const leftNames = left.columns.map((c) => (shared.has(c) ? `${c}_x` : c));
  const rightNames = eventTable.columns.map((c) => (shared.has(c) ? `${c}_y` : c));
  const columns = [...leftNames, ...rightNames];
  const data: unknown[][] = columns.map(() => []);
  const index: Array<string | number> = [];
  left.index.forEach((label, i) => {
    const matches = byDate.get(String(label)) ?? [-1];
    for (const r of matches) {
      index.push(label);
      leftNames.forEach((_, j) => data[j].push(leftValues[i][j]));
      rightNames.forEach((_, j) => {
        const v = r < 0 ? fillValue : rightValues[r][j];
        data[leftNames.length + j].push(typeof v === "number" && Number.isNaN(v) ? fillValue : v);
      });
    }
  });
  const obj: Record<string, unknown[]> = {};
  columns.forEach((c, j) => (obj[c] = data[j]));
  return new dfd.DataFrame(obj, { index, columns });
}
