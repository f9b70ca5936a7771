/**
 * `ProgbarLogger`: Keras' text progress bar, for plain Node scripts.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { InvalidArgumentError, describeValue } from "../errors";
import { RunningMeans, formatDuration, formatMetric, kerasOrder, readLogs, type RawLogs } from "./_logs";

/** Options of {@link ProgbarLogger}. */
export interface ProgbarLoggerOptions {
  /** Where text goes. @default process.stdout.write */
  write?: (text: string) => void;
  /** Redraw the bar in place during an epoch (`\r`); otherwise print one line per epoch. @default process.stdout.isTTY */
  interactive?: boolean;
  /** Minimum milliseconds between in-place redraws. @default 100 */
  every?: number;
  /** Width of the bar in characters. @default 20 */
  width?: number;
}

/**
 * A Keras-style text progress bar for `model.fit` in plain Node scripts:
 *
 * ```
 * Epoch 1/5
 * 8/8 ━━━━━━━━━━━━━━━━━━━━ 1s 12ms/step - loss: 0.1234 - val_loss: 0.2345
 * ```
 *
 * In a terminal the bar redraws in place during each epoch (with the running mean of each
 * metric and an ETA); otherwise one line per epoch is printed. It never sets
 * `model.stopTraining`.
 *
 * Porting note: mirrors `keras.callbacks.ProgbarLogger` (Keras 3's bar). Pass `verbose: 0`
 * to `fit` so tfjs-node does not print its own bar too.
 *
 * @example
 * ```ts
 * await model.fit(x, y, { epochs: 5, verbose: 0, callbacks: [new ProgbarLogger()] });
 * ```
 */
export class ProgbarLogger extends tf.Callback {
  private readonly write: (text: string) => void;
  private readonly interactive: boolean;
  private readonly every: number;
  private readonly width: number;
  private running = new RunningMeans();
  private epochStart = 0;
  private lastDraw = 0;
  private seen = 0;

  /**
   * @param options Output, redraw mode and bar width.
   * @throws {InvalidArgumentError} When `every` is negative or `width` is not a positive integer.
   */
  constructor(options: ProgbarLoggerOptions = {}) {
    super();
    this.write = options.write ?? ((t: string) => void process.stdout.write(t));
    this.interactive = options.interactive ?? process.stdout.isTTY === true;
    this.every = options.every ?? 100;
    this.width = options.width ?? 20;
    if (typeof this.every !== "number" || !(this.every >= 0)) {
      throw new InvalidArgumentError(`\`every\` must be a number of milliseconds ≥ 0. Received: every=${describeValue(options.every)}`);
    }
    if (!Number.isInteger(this.width) || this.width <= 0) {
      throw new InvalidArgumentError(`\`width\` must be a positive integer. Received: width=${describeValue(options.width)}`);
    }
  }

  private steps(): number | undefined {
    const steps = this.params?.steps;
    if (typeof steps === "number" && steps > 0) return steps;
    const samples = this.params?.samples;
    const batchSize = this.params?.batchSize;
    return typeof samples === "number" && typeof batchSize === "number" && batchSize > 0 ? Math.ceil(samples / batchSize) : undefined;
  }

  /**
   * One bar line: `"3/8 ━━━━━━━╸━━━━━━━━━━━━ 0s 5ms/step - loss: 0.3000"`.
   *
   * @param current Batches done.
   * @param values Metric values to show.
   * @param final Whether the epoch is complete (elapsed time instead of ETA).
   * @returns The line.
   */
  line(current: number, values: Record<string, number>, final: boolean): string {
    const target = this.steps();
    const elapsed = (performance.now() - this.epochStart) / 1000;
    const perStep = current > 0 ? elapsed / current : 0;
    let bar = "";
    if (target) {
      const filled = Math.min(this.width, Math.floor((current / target) * this.width));
      bar = `${String(current).padStart(String(target).length)}/${target} ${"━".repeat(filled)}${filled < this.width ? "╸" : ""}${" ".repeat(Math.max(0, this.width - filled - 1))}`;
    } else bar = `${current}/Unknown`;
    const time = final || !target ? formatDuration(elapsed) : formatDuration(perStep * (target - current));
    const step = perStep >= 1 ? `${perStep.toFixed(1)}s/step` : `${Math.round(perStep * 1000)}ms/step`;
    const metrics = kerasOrder(values).map(([k, v]) => ` - ${k}: ${formatMetric(v)}`).join("");
    return `${bar} ${time} ${step}${metrics}`;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.running = new RunningMeans();
    this.epochStart = performance.now();
    this.seen = 0;
    this.write(`Epoch ${epoch + 1}/${this.params?.epochs ?? "?"}\n`);
  }

  override async onBatchEnd(_batch: number, logs?: RawLogs): Promise<void> {
    const values = readLogs(logs);
    this.running.add(values, values.size ?? Number(this.params?.batchSize ?? 1));
    this.seen++;
    if (this.interactive && performance.now() - this.lastDraw >= this.every) {
      this.lastDraw = performance.now();
      this.write(`\r${this.line(this.seen, this.running.means(), false)}`);
    }
  }

  override async onEpochEnd(_epoch: number, logs?: RawLogs): Promise<void> {
    this.write(`${this.interactive ? "\r" : ""}${this.line(this.seen, readLogs(logs), true)}\n`);
  }
}
