/**
 * Internal: reading tfjs callback logs and formatting progress numbers.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-node";

/** tfjs' callback logs: numbers, or scalars not yet read. */
export type RawLogs = Record<string, number | tf.Scalar> | undefined;

/** Reads logs into plain numbers (scalars are read, not disposed: tfjs owns them). */
export function readLogs(logs: RawLogs): Record<string, number> {
  const out: Record<string, number> = {};
  if (!logs) return out;
  for (const [k, v] of Object.entries(logs)) {
    if (typeof v === "number") out[k] = v;
    else if (v && typeof (v as tf.Scalar).dataSync === "function" && !(v as tf.Scalar).isDisposed) out[k] = (v as tf.Scalar).dataSync()[0]!;
  }
  return out;
}

/** Running means of batch metrics over an epoch, weighted by batch size (as Keras' progress bar averages). */
export class RunningMeans {
  private sums: Record<string, number> = {};
  private count = 0;

  /** Adds one batch's values. */
  add(values: Record<string, number>, size: number): void {
    for (const [k, v] of Object.entries(values)) {
      if (k === "batch" || k === "size") continue;
      this.sums[k] = (this.sums[k] ?? 0) + v * size;
    }
    this.count += size;
  }

  /** The means so far. */
  means(): Record<string, number> {
    const out: Record<string, number> = {};
    if (this.count === 0) return out;
    for (const [k, s] of Object.entries(this.sums)) out[k] = s / this.count;
    return out;
  }

  /** Samples seen. */
  samples(): number {
    return this.count;
  }
}

/** `75` → `"1:15"`, `3725` → `"1:02:05"`, `4.2` → `"4s"`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/** A metric value as Keras' progress bar prints it: `%.4f` above 1e-3 in magnitude, else `%.4e` (`1.2345e-04`). */
export function formatMetric(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
  if (Math.abs(v) > 1e-3) return v.toFixed(4);
  const [mantissa, exponent] = v.toExponential(4).split("e") as [string, string];
  const sign = exponent.startsWith("-") ? "-" : "+";
  return `${mantissa}e${sign}${exponent.replace(/^[-+]/, "").padStart(2, "0")}`;
}

/** A time per step as Keras prints it: `2s/step`, `12ms/step`, `850us/step`. */
export function formatStepTime(seconds: number, unit = "step"): string {
  if (seconds >= 1 || seconds === 0) return `${Math.round(seconds)}s/${unit}`;
  if (seconds >= 1e-3) return `${Math.round(seconds * 1e3)}ms/${unit}`;
  return `${Math.round(seconds * 1e6)}us/${unit}`;
}

/** An ETA as Keras prints it: `42s`, `1:05`, `1:02:05` (whole seconds, truncated). */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (seconds > 3600) return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
  if (seconds > 60) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  return `${s}s`;
}

/** Metric entries in Keras' order: training metrics first, then their `val_` twins. */
export function kerasOrder(values: Record<string, number>): Array<[string, number]> {
  const entries = Object.entries(values).filter(([k]) => k !== "batch" && k !== "size");
  return [...entries.filter(([k]) => !k.startsWith("val_")), ...entries.filter(([k]) => k.startsWith("val_"))];
}

/** `"loss 0.1234 · mae 0.5000"`. */
export function formatValues(values: Record<string, number>, sep = " · ", eq = " "): string {
  return kerasOrder(values)
    .map(([k, v]) => `${k}${eq}${formatMetric(v)}`)
    .join(sep);
}
