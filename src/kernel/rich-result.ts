/**
 * How the value of a cell's last expression becomes a Jupyter MIME bundle
 * (`execute_result`):
 *
 * 1. objects with a `[Symbol.for("Jupyter.display")]()` method returning a bundle (the Deno
 *    kernel's protocol; the method may return a promise);
 * 2. Plotly figures (`{data: [traces...], layout?, config?, frames?}`): the Plotly MIME type,
 *    HTML drawing with `window.Plotly` when the page has it, and text;
 * 3. danfo DataFrames and Series: an HTML table with the shape, head and tail, and text;
 * 4. tfjs tensors: shape, dtype and values (summarised by tfjs when large);
 * 5. tfjs models: the layer summary as an HTML table and as text;
 * 6. anything else: `text/plain` from `util.inspect`.
 *
 * @module
 */
import * as util from "node:util";

/** A Jupyter MIME bundle: MIME type → data. */
export type MimeBundle = Record<string, unknown>;

/** The symbol of the display protocol shared with the Deno kernel. */
export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

/** The Plotly MIME type. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** Rows shown at each end of a long DataFrame. */
const TABLE_EDGE_ROWS = 5;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

function isObject(v: unknown): v is Record<PropertyKey, unknown> {
  return (typeof v === "object" || typeof v === "function") && v !== null;
}

function isBundle(v: unknown): v is MimeBundle {
  return isObject(v) && !Array.isArray(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => k.includes("/"));
}

/** Whether `v` is a Plotly figure: a `data` array of trace objects, and only figure keys. */
function isPlotlyFigure(v: unknown): v is { data: object[]; layout?: Record<string, unknown>; config?: object; frames?: unknown } {
  if (!isObject(v) || Array.isArray(v) || !Array.isArray(v.data)) return false;
  const allowed = new Set(["data", "layout", "config", "frames"]);
  return Object.keys(v).every((k) => allowed.has(k)) && v.data.every((t) => isObject(t) && !Array.isArray(t));
}

interface TensorLike {
  shape: number[];
  dtype: string;
  isDisposed: boolean;
  toString(verbose?: boolean): string;
}

function isTensor(v: unknown): v is TensorLike {
  return isObject(v) && Array.isArray(v.shape) && typeof v.dtype === "string" && typeof v.dataSync === "function" && typeof v.isDisposed === "boolean";
}

interface LayerLike {
  name: string;
  getClassName(): string;
  countParams(): number;
  outputShape: unknown;
}

interface ModelLike {
  name: string;
  layers: LayerLike[];
  trainableWeights: Array<{ shape: number[] }>;
  countParams(): number;
  summary(lineLength?: number, positions?: number[], printFn?: (message?: unknown) => void): void;
}

function isModel(v: unknown): v is ModelLike {
  return isObject(v) && Array.isArray(v.layers) && typeof v.summary === "function" && typeof v.countParams === "function";
}

interface FrameLike {
  shape: number[];
  columns: string[];
  index: Array<string | number>;
  values: unknown[];
}

function isDanfo(v: unknown): v is FrameLike {
  if (!isObject(v)) return false;
  const name = (v.constructor as { name?: string } | undefined)?.name;
  return (name === "DataFrame" || name === "Series") && Array.isArray(v.shape) && Array.isArray(v.index) && Array.isArray(v.values);
}

function plotlyBundle(fig: { data: object[]; layout?: Record<string, unknown>; config?: object; frames?: unknown }): MimeBundle {
  const spec: Record<string, unknown> = { data: fig.data, layout: fig.layout ?? {} };
  if (fig.config) spec.config = fig.config;
  if (fig.frames) spec.frames = fig.frames;
  const id = `seqlab-plot-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const json = JSON.stringify(spec).replace(/</g, "\\u003c");
  const title = fig.layout?.title;
  const titleText = typeof title === "string" ? title : isObject(title) && typeof title.text === "string" ? title.text : "";
  const html =
    `<div id="${id}" class="seqlab-plotly"></div>\n<script type="text/javascript">(function () {\n` +
    `  var fig = ${json};\n  var el = document.getElementById("${id}");\n` +
    `  if (window.Plotly) { window.Plotly.newPlot(el, fig.data, fig.layout, fig.config || { responsive: true }); }\n` +
    `  else { el.textContent = "Plotly figure: plotly.js is not loaded on this page."; }\n})();</script>`;
  return {
    [PLOTLY_MIME]: spec,
    "text/html": html,
    "text/plain": `Plotly figure${titleText ? ` "${titleText}"` : ""} with ${fig.data.length} trace(s)`,
  };
}

function cellText(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  if (typeof v === "string") return v;
  return util.inspect(v, { breakLength: Infinity, depth: 1 });
}

function danfoBundle(frame: FrameLike): MimeBundle {
  const isSeries = frame.constructor.name === "Series";
  const rows = frame.index.length;
  const columns = isSeries ? [String((frame as unknown as { columns?: string[] }).columns?.[0] ?? "0")] : frame.columns.map(String);
  const rowAt = (i: number): unknown[] => (isSeries ? [frame.values[i]] : ((frame.values[i] as unknown[]) ?? []));
  const shown: Array<number | "gap"> = [];
  if (rows <= 2 * TABLE_EDGE_ROWS) for (let i = 0; i < rows; i++) shown.push(i);
  else {
    for (let i = 0; i < TABLE_EDGE_ROWS; i++) shown.push(i);
    shown.push("gap");
    for (let i = rows - TABLE_EDGE_ROWS; i < rows; i++) shown.push(i);
  }
  const kind = isSeries ? "Series" : "DataFrame";
  const shape = isSeries ? `${rows} rows` : `${rows} rows × ${columns.length} columns`;
  const head = `<tr><th></th>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr>`;
  const body = shown
    .map((r) =>
      r === "gap"
        ? `<tr><th>…</th>${columns.map(() => "<td>…</td>").join("")}</tr>`
        : `<tr><th>${escapeHtml(String(frame.index[r]))}</th>${rowAt(r).map((c) => `<td>${escapeHtml(cellText(c))}</td>`).join("")}</tr>`,
    )
    .join("");
  const html =
    `<div class="seqlab-dataframe"><table class="dataframe"><thead>${head}</thead><tbody>${body}</tbody></table>` +
    `<p>${kind}: ${shape}</p></div>`;
  const textRows: string[][] = [["", ...columns]];
  for (const r of shown) {
    textRows.push(r === "gap" ? ["…", ...columns.map(() => "…")] : [String(frame.index[r]), ...rowAt(r).map(cellText)]);
  }
  const widths = textRows[0]!.map((_, c) => Math.max(...textRows.map((row) => (row[c] ?? "").length)));
  const text = textRows.map((row) => row.map((cell, c) => cell.padStart(widths[c] ?? 0)).join("  ")).join("\n");
  return { "text/html": html, "text/plain": `${text}\n\n[${kind}: ${shape}]` };
}

function tensorBundle(t: TensorLike): MimeBundle {
  const header = `Tensor shape=[${t.shape.join(", ")}] dtype=${t.dtype}`;
  if (t.isDisposed) {
    const text = `${header} (disposed)`;
    return { "text/plain": text, "text/html": `<pre>${escapeHtml(text)}</pre>` };
  }
  const values = t.toString().replace(/^Tensor\n/, "").replace(/^\s{4}/gm, "");
  const text = `${header}\n${values}`;
  return {
    "text/plain": text,
    "text/html": `<div class="seqlab-tensor"><p><b>Tensor</b> shape [${t.shape.join(", ")}], dtype ${escapeHtml(t.dtype)}</p><pre>${escapeHtml(values)}</pre></div>`,
  };
}

function modelBundle(m: ModelLike): MimeBundle {
  const lines: string[] = [];
  try {
    m.summary(undefined, undefined, (line?: unknown) => lines.push(String(line ?? "")));
  } catch (err) {
    const text = `Model "${m.name}" (not built yet: ${(err as Error).message})`;
    return { "text/plain": text, "text/html": `<pre>${escapeHtml(text)}</pre>` };
  }
  const shapeOf = (layer: LayerLike): string => {
    try {
      return JSON.stringify(layer.outputShape).replace(/null/g, "None");
    } catch {
      return "multiple";
    }
  };
  const rows = m.layers
    .map((l) => `<tr><td>${escapeHtml(l.name)} (${escapeHtml(l.getClassName())})</td><td>${escapeHtml(shapeOf(l))}</td><td>${l.countParams()}</td></tr>`)
    .join("");
  const total = m.countParams();
  const trainable = m.trainableWeights.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
  const html =
    `<div class="seqlab-model"><p><b>Model: "${escapeHtml(m.name)}"</b></p><table><thead><tr><th>Layer (type)</th><th>Output shape</th><th>Param #</th></tr></thead>` +
    `<tbody>${rows}</tbody></table><p>Total params: ${total}<br>Trainable params: ${trainable}<br>Non-trainable params: ${total - trainable}</p></div>`;
  return { "text/plain": lines.join("\n"), "text/html": html };
}

/**
 * The MIME bundle of a value, or `undefined` for `undefined` (nothing to show).
 *
 * @param value The last expression's value.
 * @returns The bundle (always with `text/plain`).
 * @throws Whatever a `[Symbol.for("Jupyter.display")]()` method throws, or a `TypeError`
 *   when it returns something that is not a MIME bundle.
 * @example
 * ```ts
 * await richResult(42); // { "text/plain": "42" }
 * ```
 */
export async function richResult(value: unknown): Promise<MimeBundle | undefined> {
  if (value === undefined) return undefined;
  if (isObject(value) && typeof value[JUPYTER_DISPLAY] === "function") {
    const bundle: unknown = await (value[JUPYTER_DISPLAY] as () => unknown).call(value);
    if (!isBundle(bundle)) {
      throw new TypeError(
        `[Symbol.for("Jupyter.display")]() must return an object mapping MIME types to data, e.g. {"text/plain": "hi"}. Received: ${util.inspect(bundle, { depth: 1 })}`,
      );
    }
    return "text/plain" in bundle ? bundle : { ...bundle, "text/plain": util.inspect(value, { depth: 1 }) };
  }
  if (isTensor(value)) return tensorBundle(value);
  if (isModel(value)) return modelBundle(value);
  if (isDanfo(value)) return danfoBundle(value);
  if (isPlotlyFigure(value)) return plotlyBundle(value);
  return { "text/plain": util.inspect(value, { depth: 4, maxArrayLength: 100, breakLength: 100 }) };
}
