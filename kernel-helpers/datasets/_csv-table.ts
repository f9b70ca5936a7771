/**
 * Internal: CSV files read with papaparse, with line numbers kept so every error names the
 * file line; and the date/number parsing the dataset loaders share.
 *
 * @module
 */
import * as fs from "node:fs";
import Papa from "papaparse";
import { DataError, MissingFileError, describeValue } from "../errors";

/** One data row and the file line it came from (1-based; the header is line 1). */
export interface CsvRow {
  line: number;
  fields: string[];
}

/** A parsed CSV: header and rows. */
export interface CsvTable {
  source: string;
  header: string[];
  rows: CsvRow[];
}

/**
 * Parses CSV text with papaparse (RFC 4180 quoting, LF, CRLF or CR, optional BOM; blank lines
 * skipped, as pandas does), then checks what papaparse lets through: an unterminated quote and
 * rows whose field count differs from the header's are errors naming the file line.
 *
 * Line endings are normalized to LF first: papaparse guesses one line ending per file and
 * would join the rows of a file that mixes them into one field.
 *
 * @param text The file's text.
 * @param source The file name, for messages.
 * @returns Header and rows.
 * @throws {DataError} For an empty file, an unterminated quote, or a row whose field count differs from the header's.
 */
export function parseCsv(text: string, source: string): CsvTable {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.replace(/\r\n?/g, "\n");
  const records: CsvRow[] = [];
  let start = 0;
  let line = 1;
  let counted = 0;
  Papa.parse(text, {
    delimiter: ",",
    newline: "\n",
    quoteChar: '"',
    skipEmptyLines: true,
    step: (result) => {
      while (text[start] === "\n") start++; // blank lines papaparse skipped
      for (; counted < start; counted++) if (text[counted] === "\n") line++;
      const unterminated = result.errors.find((e) => e.code === "MissingQuotes");
      if (unterminated) {
        throw new DataError(`${source}: line ${line} has an unterminated quoted field. Received: a '"' without its closing quote`);
      }
      if (result.errors.length > 0) {
        throw new DataError(`${source}: line ${line} cannot be read as CSV (${result.errors[0].message}). Received: ${describeValue(text.slice(start, result.meta.cursor))}`);
      }
      records.push({ line, fields: result.data });
      start = result.meta.cursor;
    },
  });
  if (records.length === 0) throw new DataError(`${source} is empty: a header row and data rows are expected. Received: an empty file`);
  const [head, ...rows] = records;
  const header = head.fields.map((h) => h.trim());
  for (const r of rows) {
    if (r.fields.length !== header.length) {
      throw new DataError(
        `${source}: line ${r.line} has ${r.fields.length} fields but the header has ${header.length} (${header.join(",")}). ` +
          `Fix or remove that row. Received: ${describeValue(r.fields.join(","))}`,
      );
    }
  }
  return { source, header, rows };
}

/**
 * Reads and parses a CSV file.
 *
 * @param path The file path.
 * @param hint What to do when the file is missing.
 * @returns The parsed table.
 * @throws {MissingFileError} When the file does not exist or cannot be read.
 * @throws {DataError} See {@link parseCsv}.
 */
export function readCsvFile(path: string, hint: string): CsvTable {
  if (typeof path !== "string" || path === "") {
    throw new MissingFileError(`A CSV path (a non-empty string) is required. ${hint} Received: path=${describeValue(path)}`);
  }
  let text: string;
  try {
    text = fs.readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MissingFileError(`Cannot read ${path} (${code ?? "read error"}). ${hint} Received: path=${describeValue(path)}`);
  }
  return parseCsv(text, path);
}

/** Values pandas' `read_csv` reads as missing (NaN) by default. */
const NA_VALUES = new Set(["", "null", "NULL", "NaN", "nan", "-NaN", "-nan", "NA", "N/A", "n/a", "#N/A", "#N/A N/A", "#NA", "<NA>", "None", "1.#IND", "-1.#IND", "1.#QNAN", "-1.#QNAN"]);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses a numeric CSV field: a decimal number, or a pandas missing-value marker (NaN).
 *
 * @param raw The field.
 * @param where "file: line N, column "X"", for messages.
 * @returns The number or NaN.
 * @throws {DataError} For anything else.
 */
export function parseNumber(raw: string, where: string): number {
  const s = raw.trim();
  if (NUMBER.test(s)) return Number(s);
  if (NA_VALUES.has(s)) return NaN;
  throw new DataError(`${where} is not a number (use a plain decimal like 12.5, or leave it empty for missing). Received: ${describeValue(raw)}`);
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

/**
 * Parses a date field to ISO `YYYY-MM-DD`: `2019-04-23`, `2019-04-23 00:00:00`, `2019-04-23T16:00:00Z`,
 * or `Apr 23 2019` (the vega-datasets form).
 *
 * @param raw The field.
 * @param where "file: line N, column "Date"", for messages.
 * @returns The ISO date.
 * @throws {DataError} For anything else, or an impossible date (2019-02-30).
 */
export function parseDate(raw: string, where: string): string {
  const s = raw.trim();
  let y = NaN;
  let m = NaN;
  let d = NaN;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^([A-Za-z]{3})[a-z]*\.? (\d{1,2}),? (\d{4})$/.exec(s))) {
    const mm = MONTHS[match[1].toLowerCase()];
    if (mm !== undefined) [y, m, d] = [Number(match[3]), mm, Number(match[2])];
  }
  if (!Number.isFinite(y) || !validDate(y, m, d)) {
    throw new DataError(`${where} is not a valid date (expected YYYY-MM-DD). Received: ${describeValue(raw)}`);
  }
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** A dated table: sorted rows with an ISO date each, and named columns of numbers or strings. */
export interface DatedTable {
  dates: string[];
  columns: string[];
  data: Array<number[] | string[]>;
}

/** Options of {@link toDatedTable}. */
export interface DatedTableOptions {
  /** Name of the date column. */
  dateColumn: string;
  /** Columns kept as strings (all others must be numeric). */
  stringColumns?: string[];
  /** Columns that must be present. */
  required?: string[];
}

/**
 * Turns a parsed CSV into a table indexed by date, sorted ascending (stable for equal dates).
 *
 * @param csv The parsed CSV.
 * @param options Date column, string columns, required columns.
 * @returns The dated table.
 * @throws {DataError} For a missing column, no data rows, an unparseable date or number, or a repeated date (naming the lines).
 */
export function toDatedTable(csv: CsvTable, options: DatedTableOptions): DatedTable {
  const { dateColumn, stringColumns = [], required = [] } = options;
  const missing = [dateColumn, ...required].filter((c) => !csv.header.includes(c));
  if (missing.length > 0) {
    throw new DataError(
      `${csv.source} must have the column(s) ${missing.map((c) => `"${c}"`).join(", ")} in its header row. ` +
        `Received: columns ${describeValue(csv.header)}`,
    );
  }
  if (csv.rows.length === 0) throw new DataError(`${csv.source} has a header but no data rows. Received: 0 rows`);
  const dateAt = csv.header.indexOf(dateColumn);
  const columns = csv.header.filter((_, j) => j !== dateAt);
  const colAt = columns.map((c) => csv.header.indexOf(c));
  const parsed = csv.rows.map((r) => {
    const date = parseDate(r.fields[dateAt], `${csv.source}: line ${r.line}, column "${dateColumn}"`);
    const values = columns.map((c, k) =>
      stringColumns.includes(c) ? r.fields[colAt[k]] : parseNumber(r.fields[colAt[k]], `${csv.source}: line ${r.line}, column "${c}"`),
    );
    return { date, values, line: r.line };
  });
  const order = parsed.map((_, i) => i).sort((a, b) => (parsed[a].date < parsed[b].date ? -1 : parsed[a].date > parsed[b].date ? 1 : a - b));
  for (let k = 1; k < order.length; k++) {
    const [p, q] = [parsed[order[k - 1]], parsed[order[k]]];
    if (p.date === q.date) {
      throw new DataError(
        `${csv.source}: lines ${p.line} and ${q.line} have the same date ${p.date}; each date may appear once (a DataFrame index is unique). ` +
          `Remove or combine the duplicate row. Received: two rows dated ${p.date}`,
      );
    }
  }
  const data = columns.map((_, k) => order.map((i) => parsed[i].values[k])) as Array<number[] | string[]>;
  return { dates: order.map((i) => parsed[i].date), columns, data };
}
