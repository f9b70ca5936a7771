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

/** A metric value as Keras prints it: 4 significant decimals. */
export function formatMetric(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(4) : v.toFixed(4);
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
