/**
 * danfo DataFrames and Series as HTML tables (shape, head and tail) with a text twin.
 *
 * @module
 */
import { InvalidArgumentError, describeValue } from "../errors";
import type { MimeBundle } from "./bundle";
import { escapeXml } from "./_svg";

/** The parts of a danfo `DataFrame` or `Series` that display reads. */
export interface FrameLike {
  /** `true` for a Series. */
  $isSeries: boolean;
  /** `[rows, columns]`. */
  shape: number[];
  /** Row labels. */
  index: Array<string | number>;
  /** Column names (a Series has one). */
  columns: string[];
  /** Rows (DataFrame: arrays; Series: values). */
  values: unknown[];
}

/** Options of {@link frameBundle}. */
export interface FrameBundleOptions {
  /** Rows shown from the top and from the bottom when the frame is longer than `2 * edgeRows`. @default 5 */
  edgeRows?: number;
}

/**
 * Whether `value` is a danfo.js `DataFrame` or `Series`.
 *
 * @param value Anything.
 * @returns `true` for a danfo frame or series.
 * @throws Never: any value gives `true` or `false`.
 * @example
 * ```ts
 * isDanfoFrame(new dfd.DataFrame({ a: [1, 2] })); // true
 * ```
 */
export function isDanfoFrame(value: unknown): value is FrameLike {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<FrameLike>;
  return typeof v.$isSeries === "boolean" && Array.isArray(v.shape) && Array.isArray(v.values) && Array.isArray(v.index);
}

function cellText(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  if (v === null || v === undefined) return "NaN";
  return String(v);
}

/**
 * The bundle of a danfo DataFrame or Series: an HTML table with its shape, the first and last
 * `edgeRows` rows (all rows when short), and the same as aligned text.
 *
 * @param frame The DataFrame or Series.
 * @param options How many rows to show at each end.
 * @returns `{"text/html", "text/plain"}`.
 * @throws {InvalidArgumentError} When `frame` is not a danfo DataFrame/Series.
 * @example
 * ```ts
 * frameBundle(new dfd.DataFrame({ price: [1, 2, 3] }))["text/plain"];
 * // "DataFrame 3 rows × 1 column\n   price\n0  1\n1  2\n2  3"
 * ```
 */
export function frameBundle(frame: FrameLike, options: FrameBundleOptions = {}): MimeBundle {
  if (!isDanfoFrame(frame)) throw new InvalidArgumentError(`\`frame\` must be a danfo DataFrame or Series. Received: frame=${describeValue(frame)}`);
  const edge = options.edgeRows ?? 5;
  const rows = frame.index.length;
  const columns = frame.$isSeries ? [String(frame.columns?.[0] ?? "0")] : frame.columns.map(String);
  const rowValues = (i: number): unknown[] => (frame.$isSeries ? [frame.values[i]] : (frame.values[i] as unknown[]));
  const shown: Array<number | "…"> = [];
  if (rows <= 2 * edge) for (let i = 0; i < rows; i++) shown.push(i);
  else {
    for (let i = 0; i < edge; i++) shown.push(i);
    shown.push("…");
    for (let i = rows - edge; i < rows; i++) shown.push(i);
  }
  const kind = frame.$isSeries ? "Series" : "DataFrame";
  const shape = `${rows} row${rows === 1 ? "" : "s"} × ${columns.length} column${columns.length === 1 ? "" : "s"}`;
  const html: string[] = [`<div class="seqlab-frame"><table class="dataframe"><thead><tr><th></th>`];
  for (const c of columns) html.push(`<th>${escapeXml(c)}</th>`);
  html.push("</tr></thead><tbody>");
  const text: string[][] = [["", ...columns]];
  for (const r of shown) {
    if (r === "…") {
      html.push(`<tr><th>…</th>${columns.map(() => "<td>…</td>").join("")}</tr>`);
      text.push(["…", ...columns.map(() => "…")]);
      continue;
    }
    const cells = rowValues(r).map(cellText);
    html.push(`<tr><th>${escapeXml(String(frame.index[r]))}</th>${cells.map((c) => `<td>${escapeXml(c)}</td>`).join("")}</tr>`);
    text.push([String(frame.index[r]), ...cells]);
  }
  html.push(`</tbody></table><p>${kind}: ${shape}</p></div>`);
  const widths = text[0]!.map((_, c) => Math.max(...text.map((row) => (row[c] ?? "").length)));
  const lines = text.map((row) => row.map((cell, c) => cell.padEnd(widths[c]!)).join("  ").trimEnd());
  return { "text/html": html.join(""), "text/plain": `${kind} ${shape}\n${lines.join("\n")}` };
}
