/**
 * `liveTraining()`: one notebook output per `fit` that redraws loss/metric curves and a
 * progress line while the model trains.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { assertNonNegativeNumber, describeValue, InvalidArgumentError } from "../errors";
import { interruptRequested } from "../contract/interrupt-signal";
import { displayBundle } from "../display/bundle";
import { plotlyBundle, type PlotlyFigure } from "../display/plotly";
import { epochStep } from "../plots/_common";
import { plots } from "../plots/namespace";
import { RunningMeans, formatDuration, formatValues, readLogs, type RawLogs } from "./_logs";


/** Options of {@link liveTraining}. */
export interface LiveTrainingOptions {
  /** Metrics to plot (train names; validation curves are added when `fit` validates). @default every metric `fit` reports, loss first */
  metrics?: string[];
  /** Minimum time between redraws, in milliseconds; the final state is always drawn. @default 500 */
  every?: number;
  /** Figure title, shown above the progress line. @default "Training" */
  title?: string;
  /** Where updates go (tests, benchmarks): receives each bundle and whether it replaces the previous one. @default the notebook display */
  sink?: (bundle: Record<string, unknown>, update: boolean) => void;
}

/** A snapshot of a {@link LiveTrainingCallback}'s state. */
export interface LiveTrainingState {
  /** Values of the completed epochs so far, Keras `history.history` style (an epoch cut short by an interrupt is not in it). */
  history: Record<string, number[]>;
  /** The progress line shown under the title. */
  progress: string;
  /** Redraws sent so far (the first display included). */
  draws: number;
  /** Whether the user interrupted the fit (JupyterLab's stop button). */
  interrupted: boolean;
}

/**
 * The callback {@link liveTraining} returns. Pass it in `model.fit(..., {callbacks})`.
 * It only reads logs and sends displays: it never sets `model.stopTraining`, so early
 * stopping and the kernel's interrupt work as without it.
 *
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
 * model.compile({ optimizer: "adam", loss: "meanSquaredError" });
 * const x = tf.randomNormal([32, 2]), y = tf.randomNormal([32, 1]);
 * const live = new LiveTrainingCallback({ metrics: ["loss"] }); // same as liveTraining({...})
 * await model.fit(x, y, { epochs: 3, verbose: 0, callbacks: [live] });
 * live.state().history.loss.length; // 3
 * ```
 */
export class LiveTrainingCallback extends tf.Callback {
  private readonly metricsOption?: string[];
  private readonly every: number;
  private readonly title: string;
  private readonly sink?: (bundle: Record<string, unknown>, update: boolean) => void;
  private displayId?: string;
  private history: Record<string, number[]> = {};
  private running = new RunningMeans();
  private lastDraw = 0;
  private trainStart = 0;
  private batchesDone = 0;
  private samplesDone = 0;
  private epoch = 0;
  private batch = 0;
  private progress = "";
  private draws = 0;
  private epochBatches = 0;
  private interrupted = false;
  /** The epoch in progress (or cut short): its running means, drawn at a fractional epoch. */
  private partial: { at: number; values: Record<string, number> } | undefined;

  /**
   * @param options See {@link LiveTrainingOptions}.
   * @throws {InvalidArgumentError} When `every` is negative or `metrics` is not an array of names.
   */
  constructor(options: LiveTrainingOptions = {}) {
    super();
    const every = options.every ?? 500;
    assertNonNegativeNumber(every, "every", "milliseconds");
    if (options.metrics !== undefined && (!Array.isArray(options.metrics) || options.metrics.some((m) => typeof m !== "string"))) {
      throw new InvalidArgumentError(`\`metrics\` must be an array of metric names, e.g. ["loss", "mae"]. Received: metrics=${describeValue(options.metrics)}`);
    }
    this.metricsOption = options.metrics;
    this.every = every;
    this.title = options.title ?? "Training";
    this.sink = options.sink;
  }

  /** The current curves and progress line. @returns A copy of the state. */
  state(): LiveTrainingState {
    return { history: JSON.parse(JSON.stringify(this.history)) as Record<string, number[]>, progress: this.progress, draws: this.draws, interrupted: this.interrupted };
  }

  private get totalEpochs(): number {
    return Number(this.params?.epochs ?? 0);
  }

  private get stepsPerEpoch(): number | undefined {
    const steps = this.params?.steps;
    if (typeof steps === "number" && steps > 0) return steps;
    const samples = this.params?.samples;
    const batchSize = this.params?.batchSize;
    if (typeof samples === "number" && typeof batchSize === "number" && batchSize > 0) return Math.ceil(samples / batchSize);
    return undefined;
  }

  private plottedMetrics(shown: Record<string, number[]>): string[] {
    if (this.metricsOption) return this.metricsOption.map((m) => m.replace(/^val_/, ""));
    const names = Array.isArray(this.params?.metrics) ? (this.params.metrics as string[]) : Object.keys(shown);
    const train = [...new Set(names.map((m) => m.replace(/^val_/, "")))];
    return train.sort((a, b) => (a === "loss" ? -1 : b === "loss" ? 1 : 0));
  }

  /**
   * The figure for the current state: the completed epochs' curves, plus the running mean of
   * the epoch in progress (or the one an interrupt cut short) as a last training point at its
   * fractional epoch (3.5 = half of epoch 4), with the progress line as subtitle.
   *
   * @returns A Plotly figure.
   */
  figure(): PlotlyFigure {
    const title = `${this.title}<br><sub>${this.progress}</sub>`;
    const partial = this.partial;
    const shown: Record<string, number[]> = {};
    for (const [k, v] of Object.entries(this.history)) shown[k] = [...v];
    if (partial) for (const [k, v] of Object.entries(partial.values)) if (!k.startsWith("val_")) (shown[k] ??= []).push(v);
    const metrics = this.plottedMetrics(shown).filter((m) => m in shown || `val_${m}` in shown);
    if (metrics.length > 0 && (shown[metrics[0]!]?.length ?? shown[`val_${metrics[0]}`]?.length ?? 0) > 0) {
      const fig = plots.history(shown, { metrics, title });
      if (partial) {
        for (const trace of fig.data) {
          const xs = trace.x as number[];
          const key = metrics[Number(String(trace.xaxis).slice(1) || "1") - 1];
          if (trace.name === "train" && key !== undefined && xs.length === shown[key]?.length && key in partial.values) xs[xs.length - 1] = Math.round(partial.at * 1000) / 1000;
        }
      }
      const epochs = this.totalEpochs;
      if (epochs > 0) {
        for (const [k, axis] of Object.entries(fig.layout ?? {})) {
          if (k.startsWith("xaxis") && axis && typeof axis === "object") Object.assign(axis, { range: [0.5, epochs + 0.5], tick0: 1, dtick: epochStep(epochs) });
        }
      }
      return fig;
    }
    return {
      data: [{ type: "scatter", mode: "lines", x: [], y: [], name: "train" }],
      layout: {
        title: { text: title },
        xaxis: { title: { text: "epoch" }, range: [0.5, Math.max(this.totalEpochs, 1) + 0.5], tick0: 1, dtick: epochStep(Math.max(this.totalEpochs, 1)) },
        yaxis: { title: { text: "loss" } },
        height: 360,
      },
    };
  }

  private send(): void {
    const bundle = plotlyBundle(this.figure());
    bundle["text/plain"] = `${this.title}: ${this.progress.replace(/<[^>]+>/g, "")}`;
    this.lastDraw = performance.now();
    this.draws++;
    if (this.sink) {
      this.sink(bundle, this.draws > 1);
      return;
    }
    if (this.displayId === undefined) this.displayId = displayBundle(bundle);
    else displayBundle(bundle, { id: this.displayId, update: true });
  }

  private progressLine(current: Record<string, number>, done: boolean): string {
    const elapsed = (performance.now() - this.trainStart) / 1000;
    const rate = elapsed > 0 ? this.samplesDone / elapsed : 0;
    const parts: string[] = [];
    const epochs = this.totalEpochs;
    const steps = this.stepsPerEpoch;
    if (done) {
      const completed = this.history[Object.keys(this.history)[0] ?? ""]?.length ?? 0;
      const stopped = this.model?.stopTraining === true && this.epoch + 1 < epochs;
      if (this.interrupted) {
        const cut = this.partial ? ` in epoch ${this.epoch + 1}/${epochs}` : ` after epoch ${this.epoch + 1}/${epochs}`;
        parts.push(`interrupted${cut}: ${completed} epoch${completed === 1 ? "" : "s"} complete`);
      } else parts.push(stopped ? `stopped after epoch ${this.epoch + 1}/${epochs}` : `done: ${epochs} epoch${epochs === 1 ? "" : "s"}`);
      parts.push(`${formatDuration(elapsed)}`);
    } else {
      parts.push(`epoch ${this.epoch + 1}/${epochs}`);
      parts.push(steps ? `batch ${this.batch + 1}/${steps}` : `batch ${this.batch + 1}`);
      if (steps && epochs > 0 && this.batchesDone > 0) {
        const left = (epochs - this.epoch - 1) * steps + (steps - this.batch - 1);
        parts.push(`ETA ${formatDuration((elapsed / this.batchesDone) * left)}`);
      }
    }
    parts.push(`${Math.round(rate).toLocaleString("en-US")} samples/s`);
    const values = formatValues(current);
    if (values) parts.push(values);
    return parts.join(" · ");
  }

  override async onTrainBegin(): Promise<void> {
    this.history = {};
    this.trainStart = performance.now();
    this.batchesDone = 0;
    this.samplesDone = 0;
    this.epoch = Number(this.params?.initialEpoch ?? 0);
    this.batch = -1;
    this.draws = 0;
    this.displayId = undefined;
    this.interrupted = false;
    this.partial = undefined;
    this.progress = `starting: ${this.totalEpochs} epoch${this.totalEpochs === 1 ? "" : "s"}`;
    this.send();
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
    this.batch = -1;
    this.epochBatches = 0;
    this.partial = undefined;
    this.running = new RunningMeans();
  }

  override async onBatchEnd(batch: number, logs?: RawLogs): Promise<void> {
    const values = readLogs(logs);
    const size = values.size ?? Number(this.params?.batchSize ?? 1);
    this.running.add(values, size);
    this.batch = batch;
    this.batchesDone++;
    this.epochBatches++;
    this.samplesDone += size;
    this.interrupted ||= interruptRequested();
    const steps = this.stepsPerEpoch;
    if (steps) this.partial = { at: this.epoch + Math.min(this.epochBatches / steps, 1), values: this.running.means() };
    if (performance.now() - this.lastDraw >= this.every) {
      this.progress = this.progressLine(this.running.means(), false);
      this.send();
    }
  }

  override async onEpochEnd(epoch: number, logs?: RawLogs): Promise<void> {
    const values = readLogs(logs);
    this.epoch = epoch;
    this.interrupted ||= interruptRequested();
    const steps = this.stepsPerEpoch;
    if (steps !== undefined && this.epochBatches < steps && this.partial) {
      // Cut short (an interrupt, or a callback stopping mid-epoch): its running means stay a fractional point.
      this.partial = { at: this.partial.at, values: this.running.means() };
    } else {
      for (const [k, v] of Object.entries(values)) (this.history[k] ??= []).push(v);
      this.partial = undefined;
    }
    if (performance.now() - this.lastDraw >= this.every) {
      this.progress = this.progressLine(values, false);
      this.send();
    }
  }

  override async onTrainEnd(): Promise<void> {
    this.interrupted ||= interruptRequested();
    const last: Record<string, number> = {};
    for (const [k, v] of Object.entries(this.history)) if (v.length > 0) last[k] = v[v.length - 1]!;
    if (this.partial) Object.assign(last, this.partial.values);
    this.progress = this.progressLine(last, true);
    this.send();
  }
}

/**
 * Live training curves for `model.fit`: returns a tfjs callback that keeps one notebook
 * output per `fit` and redraws it in place (a display id, `update_display_data`) at most
 * every `every` ms and once at the end. The output shows the train and validation curve of
 * each metric (one chart per metric, epochs on x) under a progress line: epoch, batch,
 * samples/s, ETA and the current epoch's running mean of each metric. During an epoch the
 * training curve ends in that running mean, drawn at the fractional epoch reached (3.5 =
 * half of epoch 4), so long epochs move the curve every `every` ms too. The last redraw is
 * the finished figure, so the saved notebook and its HTML export keep the final curves.
 * When the user interrupts the cell (JupyterLab's stop button), the kernel stops `fit` at
 * the next batch and the figure keeps the epochs that ran, the cut-short epoch as its
 * fractional point, titled "interrupted in epoch k/N: j epochs complete".
 * Outside the kernel (plain Node) each redraw prints its progress line; for scripts,
 * {@link ProgbarLogger} prints Keras' text progress bar.
 *
 * Porting note: Keras has no live plot; this stands in for `verbose=1` in notebooks. Pass
 * `verbose: 0` to `fit` so tfjs-node's own console progress bar stays quiet.
 *
 * @param options Metrics to plot, redraw interval, title.
 * @returns The callback.
 * @throws {InvalidArgumentError} When `every` is negative or `metrics` malformed.
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
 * model.compile({ optimizer: "adam", loss: "meanSquaredError" });
 * const x = tf.randomNormal([32, 2]), y = tf.randomNormal([32, 1]);
 * await model.fit(x, y, { epochs: 3, validationSplit: 0.25, verbose: 0, callbacks: [liveTraining()] });
 * ```
 */
export function liveTraining(options: LiveTrainingOptions = {}): LiveTrainingCallback {
  return new LiveTrainingCallback(options);
}
