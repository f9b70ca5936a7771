/**
 * The datasets of `npm run bench -- rnn-variants`, made once per run and written as raw
 * little-endian files that every side (Keras, the current checkout, the baseline checkout)
 * loads, so all train on the very same arrays:
 *
 * - `imdbPost` / `imdbPre`: IMDB's first training reviews (`imdb.loadData({numWords: 10000})`),
 *   padded and truncated to `steps` ids, padding at the end (what masking is for: the mask
 *   skips the trailing zeros) or at the front (Keras' `pad_sequences` default); labels 0/1;
 * - `charsEvery` / `charsNext`: seeded random character ids in `[0, 60)`, targets the next id
 *   at every position (`[N, T, 1]`) or only after the window (`[N, 1]`);
 * - `series`: windows of `steps` days of four noisy seasonal series (seeded), target the first
 *   series' next value.
 *
 * @module
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import seedrandom from "seedrandom";
import { imdb, padSequences } from "kernel-helpers";
import { CHARS, SERIES_FEATURES, VariantDataKey, WORDS } from "./_variant-models";

/**
 * How large the datasets are.
 *
 * @example
 * ```ts
 * const sizes: VariantSizes = { ...QUICK_SIZES, reviews: 64 };
 * sizes.reviewSteps; // 20
 * ```
 */
export interface VariantSizes {
  /** IMDB reviews and their length in ids. */
  reviews: number;
  reviewSteps: number;
  /** Character windows and their length. */
  charWindows: number;
  charSteps: number;
  /** Forecasting windows and their length in days. */
  seriesWindows: number;
  seriesSteps: number;
}

/**
 * Default sizes: an epoch of every variant takes a fraction of a second to a few seconds.
 *
 * @example
 * ```ts
 * DEFAULT_SIZES.reviews; // 3072
 * ```
 */
export const DEFAULT_SIZES: VariantSizes = {
  reviews: 3072, reviewSteps: 100, charWindows: 2048, charSteps: 100, seriesWindows: 4096, seriesSteps: 14,
};
/**
 * `--quick` sizes: a smoke run.
 *
 * @example
 * ```ts
 * QUICK_SIZES.seriesSteps; // 14
 * ```
 */
export const QUICK_SIZES: VariantSizes = {
  reviews: 128, reviewSteps: 20, charWindows: 64, charSteps: 20, seriesWindows: 128, seriesSteps: 14,
};

/** One dataset as arrays. */
interface Arrays {
  x: Int32Array | Float32Array;
  xShape: number[];
  y: Float32Array;
  yShape: number[];
}

/**
 * The `load` request every side understands (see `_variant-worker.ts`, `keras-rnn.py`).
 *
 * @example
 * ```ts
 * const { dir, loads } = writeVariantData(["imdbPre"], QUICK_SIZES);
 * const load: LoadRequest = loads[0];
 * [load.op, load.x_dtype, load.x_shape]; // ["load", "int32", [128, 20]]
 * fs.rmSync(dir, { recursive: true });
 * ```
 */
export interface LoadRequest {
  [key: string]: unknown;
  op: "load";
  name: VariantDataKey;
  x: string;
  x_shape: number[];
  x_dtype: "int32" | "float32";
  y: string;
  y_shape: number[];
}

function imdbArrays(sizes: VariantSizes, padding: "pre" | "post"): Arrays {
  const { train } = imdb.loadData({ numWords: WORDS });
  const rows = padSequences(train.x.slice(0, sizes.reviews), { maxlen: sizes.reviewSteps, padding });
  const x = new Int32Array(rows.length * sizes.reviewSteps);
  rows.forEach((r, i) => x.set(r, i * sizes.reviewSteps));
  return { x, xShape: [rows.length, sizes.reviewSteps], y: Float32Array.from(train.y.slice(0, rows.length)), yShape: [rows.length, 1] };
}

function charArrays(sizes: VariantSizes, every: boolean): Arrays {
  const random = seedrandom("seqlab-bench-chars");
  const n = sizes.charWindows;
  const t = sizes.charSteps;
  const stream = Int32Array.from({ length: n * t + 1 }, () => Math.floor(random() * CHARS));
  const x = new Int32Array(n * t);
  const y = new Float32Array(every ? n * t : n);
  for (let i = 0; i < n; i++) {
    // Window i starts at i·t; its targets are the stream shifted by one.
    x.set(stream.subarray(i * t, (i + 1) * t), i * t);
    if (every) y.set(stream.subarray(i * t + 1, (i + 1) * t + 1), i * t);
    else y[i] = stream[(i + 1) * t];
  }
  return { x, xShape: [n, t], y, yShape: every ? [n, t, 1] : [n, 1] };
}

function seriesArrays(sizes: VariantSizes): Arrays {
  const random = seedrandom("seqlab-bench-series");
  const n = sizes.seriesWindows;
  const t = sizes.seriesSteps;
  const f = SERIES_FEATURES;
  const days = n + t;
  const series = Array.from({ length: f }, (_, k) =>
    Float32Array.from({ length: days }, (_, d) => Math.sin((2 * Math.PI * d) / (7 + 5 * k)) + 0.3 * (random() - 0.5)),
  );
  const x = new Float32Array(n * t * f);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < t; s++) for (let k = 0; k < f; k++) x[(i * t + s) * f + k] = series[k][i + s];
    y[i] = series[0][i + t];
  }
  return { x, xShape: [n, t, f], y, yShape: [n, 1] };
}

function arrays(key: VariantDataKey, sizes: VariantSizes): Arrays {
  switch (key) {
    case "imdbPost":
      return imdbArrays(sizes, "post");
    case "imdbPre":
      return imdbArrays(sizes, "pre");
    case "charsEvery":
      return charArrays(sizes, true);
    case "charsNext":
      return charArrays(sizes, false);
    case "series":
      return seriesArrays(sizes);
  }
}

/**
 * Writes the datasets into a fresh temporary folder.
 *
 * @param keys The datasets wanted.
 * @param sizes Their sizes.
 * @returns The folder (remove it when done) and one `load` request per dataset.
 * @example
 * ```ts
 * import * as fs from "node:fs";
 * const { dir, loads } = writeVariantData(["series", "charsNext"], QUICK_SIZES);
 * loads.map((l) => l.name); // ["series", "charsNext"]
 * loads[0].x_shape; // [128, 14, 4]: windows, days, series
 * loads[1].y_shape; // [64, 1]: the id after each window
 * fs.rmSync(dir, { recursive: true });
 * ```
 */
export function writeVariantData(keys: readonly VariantDataKey[], sizes: VariantSizes): { dir: string; loads: LoadRequest[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-bench-variants-"));
  const loads = keys.map((name): LoadRequest => {
    const a = arrays(name, sizes);
    const xFile = path.join(dir, `${name}-x.bin`);
    const yFile = path.join(dir, `${name}-y.bin`);
    fs.writeFileSync(xFile, Buffer.from(a.x.buffer, a.x.byteOffset, a.x.byteLength));
    fs.writeFileSync(yFile, Buffer.from(a.y.buffer, a.y.byteOffset, a.y.byteLength));
    const xDtype = a.x instanceof Int32Array ? "int32" : "float32";
    return { op: "load", name, x: xFile, x_shape: a.xShape, x_dtype: xDtype, y: yFile, y_shape: a.yShape };
  });
  return { dir, loads };
}
