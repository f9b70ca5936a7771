/**
 * A notebook's closing summary: its headline numbers as a table for the reader and as a
 * machine-readable output (`application/vnd.seqlab.results+json`) that `seqlab run --json`
 * collects into one results file for the course.
 *
 * @module
 */
import { InvalidArgumentError, describeValue } from "../errors";
import { quickMode } from "../runtime";
import { displayBundle, type MimeBundle } from "./bundle";
import { escapeXml } from "./_svg";

/** The MIME type of a notebook's results; JupyterLab and HTML exports show the table instead. */
export const RESULTS_MIME = "application/vnd.seqlab.results+json";

/** A headline value: a number, or a short text such as a verdict. */
export type ResultValue = number | string | boolean;

/** What {@link resultsBundle} puts under {@link RESULTS_MIME}. */
export interface NotebookResults {
  /** The notebook's short name, e.g. `"lesson 2"`. */
  title: string;
  /** `"quick"` (`SEQLAB_QUICK=1`) or `"full"`. */
  mode: "quick" | "full";
  /** Metric name → value, in the order given. */
  metrics: Record<string, ResultValue>;
}

function valueText(v: ResultValue): string {
  if (typeof v !== "number") return String(v);
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1e-3 || v === 0 ? String(Number(v.toPrecision(4))) : v.toExponential(3);
}

/**
 * The bundle of a results table: `text/html` and `text/plain` tables (metric, value) and the
 * same data as JSON under {@link RESULTS_MIME}.
 *
 * @param title The notebook's short name.
 * @param metrics Metric name → value; numbers must be finite.
 * @returns The MIME bundle.
 * @throws {InvalidArgumentError} For an empty title, no metrics, or a value that is not a
 *   finite number, a string or a boolean.
 * @example
 * ```ts
 * const b = resultsBundle("lesson 2", { "LSTM accuracy": 0.98 });
 * (b[RESULTS_MIME] as NotebookResults).metrics["LSTM accuracy"]; // 0.98
 * ```
 */
export function resultsBundle(title: string, metrics: Record<string, ResultValue>): MimeBundle {
  if (typeof title !== "string" || title.trim() === "") {
    throw new InvalidArgumentError(`\`title\` must be a non-empty string. Received: title=${describeValue(title)}`);
  }
  if (metrics === null || typeof metrics !== "object" || Array.isArray(metrics) || Object.keys(metrics).length === 0) {
    throw new InvalidArgumentError(`\`metrics\` must be a non-empty object of name -> value. Received: metrics=${describeValue(metrics)}`);
  }
  for (const [name, v] of Object.entries(metrics)) {
    const ok = typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));
    if (!ok) {
      throw new InvalidArgumentError(
        `each metric must be a finite number, a string or a boolean; compute it before showing it. Received: metrics[${JSON.stringify(name)}]=${describeValue(v)}`,
      );
    }
  }
  const rows = Object.entries(metrics).map(([k, v]) => [k, valueText(v)] as const);
  const mode = quickMode() ? "quick" : "full";
  const heading = `${title} — results (${mode} mode)`;
  const width = Math.max(6, ...rows.map(([k]) => k.length));
  const text = [heading, ...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`)].join("\n");
  const html =
    `<table class="seqlab-results"><caption>${escapeXml(heading)}</caption>` +
    `<thead><tr><th style="text-align:left">metric</th><th style="text-align:right">value</th></tr></thead><tbody>` +
    rows.map(([k, v]) => `<tr><td style="text-align:left">${escapeXml(k)}</td><td style="text-align:right">${escapeXml(v)}</td></tr>`).join("") +
    `</tbody></table>`;
  const data: NotebookResults = { title, mode, metrics: { ...metrics } };
  return { [RESULTS_MIME]: data, "text/html": html, "text/plain": text };
}

/**
 * Shows a notebook's closing summary as a table and emits it for `seqlab run --json`.
 * Pass computed values only (variables, never typed-in numbers).
 *
 * @param title The notebook's short name.
 * @param metrics Metric name → value.
 * @returns Nothing.
 * @throws {InvalidArgumentError} As {@link resultsBundle}.
 * @example
 * ```ts
 * const rnnAcc = 0.49, lstmAcc = 1.0; // computed earlier in the notebook
 * showResults("lesson 2", { "SimpleRNN accuracy": rnnAcc, "LSTM accuracy": lstmAcc });
 * ```
 */
export function showResults(title: string, metrics: Record<string, ResultValue>): void {
  displayBundle(resultsBundle(title, metrics));
}
