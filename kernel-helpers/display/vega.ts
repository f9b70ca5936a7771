/**
 * Vega-Lite and Vega specs as Jupyter MIME bundles JupyterLab 4 renders natively.
 *
 * @module
 */
import { InvalidArgumentError, describeValue } from "../errors";
import { MIME } from "../contract/mime-types";
import type { MimeBundle } from "./bundle";
import { compileVegaLite } from "./_vegalite";

/**
 * Vega-Lite MIME types JupyterLab 4 renders, by major version.
 *
 * @example
 * ```ts
 * VEGALITE_MIMES[5]; // "application/vnd.vegalite.v5+json"
 * ```
 */
export const VEGALITE_MIMES: Readonly<Record<3 | 4 | 5, string>> = MIME.vegaLite;

/**
 * The Vega 5 MIME type JupyterLab 4 renders.
 *
 * @example
 * ```ts
 * VEGA_MIME; // "application/vnd.vega.v5+json"
 * ```
 */
export const VEGA_MIME = MIME.vega;

/** A Vega or Vega-Lite specification (JSON). */
export type VegaSpec = Record<string, unknown>;

function schemaOf(value: unknown): { kind: "vega" | "vega-lite"; major: number } | undefined {
  const schema = (value as { $schema?: unknown }).$schema;
  if (typeof schema !== "string") return undefined;
  const match = /\/schema\/(vega-lite|vega)\/v(\d+)/.exec(schema);
  return match ? { kind: match[1] as "vega" | "vega-lite", major: Number(match[2]) } : undefined;
}

/**
 * Whether `value` is a Vega or Vega-Lite spec: it names a Vega schema in `$schema`, or has a
 * Vega-Lite `mark` with an `encoding`, or a composition (`layer`, `hconcat`, `vconcat`,
 * `concat`, `facet`, `repeat`) with `data`.
 *
 * @param value Anything.
 * @returns `true` for a spec.
 * @throws Never: any value gives `true` or `false`.
 * @example
 * ```ts
 * isVegaSpec({ mark: "bar", encoding: { x: { field: "a" } } }); // true
 * ```
 */
export function isVegaSpec(value: unknown): value is VegaSpec {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  if (schemaOf(value)) return true;
  const v = value as Record<string, unknown>;
  const own = (k: string) => Object.prototype.hasOwnProperty.call(v, k);
  if (own("mark") && typeof v.encoding === "object" && v.encoding !== null) return true;
  return ["layer", "hconcat", "vconcat", "concat", "facet", "repeat"].some(own) && own("data");
}

/**
 * The MIME bundle of a Vega-Lite or Vega spec. Vega-Lite v3, v4 and v5 specs (and specs with
 * no `$schema`, taken as v5) go out under their own Vega-Lite MIME type; newer Vega-Lite
 * (v6+) is compiled to Vega with the `vega-lite` package and goes out as
 * `application/vnd.vega.v5+json`; Vega specs go out as Vega 5. A `text/plain` summary comes
 * with it. No HTML is added here (it would outrank JupyterLab's Vega renderer); seqlab's
 * HTML export adds an interactive `vegaEmbed` rendering with Vega embedded once per file.
 *
 * Porting note: Vega 6 output of `vega-lite` 6 is labelled Vega v5, the newest Vega
 * JupyterLab 4 draws; the two languages agree on what `vega-lite` emits for common charts.
 *
 * @param spec The specification.
 * @returns The bundle.
 * @throws {InvalidArgumentError} When `spec` is not a Vega/Vega-Lite spec.
 * @example
 * ```ts
 * vegaBundle({ mark: "bar", data: { values: [{ a: "x", b: 1 }] },
 *   encoding: { x: { field: "a", type: "nominal" }, y: { field: "b", type: "quantitative" } } });
 * // {"application/vnd.vegalite.v5+json": {...}, "text/plain": "Vega-Lite chart (bar)"}
 * ```
 */
export function vegaBundle(spec: VegaSpec): MimeBundle {
  if (!isVegaSpec(spec)) {
    throw new InvalidArgumentError(`\`spec\` must be a Vega or Vega-Lite specification (with $schema, or mark + encoding). Received: spec=${describeValue(spec)}`);
  }
  const schema = schemaOf(spec);
  const mark = typeof spec.mark === "string" ? spec.mark : typeof (spec.mark as { type?: unknown })?.type === "string" ? String((spec.mark as { type: string }).type) : "";
  const title = typeof spec.title === "string" ? ` "${spec.title}"` : "";
  if (schema?.kind === "vega") {
    return { [VEGA_MIME]: { ...spec, $schema: "https://vega.github.io/schema/vega/v5.json" }, "text/plain": `Vega chart${title}` };
  }
  const text = `Vega-Lite chart${title}${mark ? ` (${mark})` : ""}`;
  const major = schema?.major ?? 5;
  if (major === 3 || major === 4 || major === 5) return { [VEGALITE_MIMES[major]]: spec, "text/plain": text };
  const vega = compileVegaLite(spec);
  return { [VEGA_MIME]: { ...vega, $schema: "https://vega.github.io/schema/vega/v5.json" }, "text/plain": text };
}
