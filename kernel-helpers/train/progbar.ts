/**
 * `ProgbarLogger`: Keras' text progress bar, for plain Node scripts.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";
import { assertNonNegativeNumber, assertPositiveInteger } from "../errors";
import { RunningMeans, formatEta, formatMetric, formatStepTime, kerasOrder, readLogs, type RawLogs } from "./_logs";

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
 * metric, weighted by batch size, and an ETA), coloured as Keras colours it; otherwise one
 * plain line per epoch is printed. It never sets `model.stopTraining`.
 *
 * Porting note: mirrors `keras.callbacks.ProgbarLogger` with Keras 3's bar and number
 * formats. Keras prints ANSI colours even when not in a terminal; here plain output (logs,
 * files) has none, and its bar is "━" for the done part and spaces for the rest. Pass
 * `verbose: 0` to `fit` so tfjs-node does not print its own bar too.
 *
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
 * model.compile({ optimizer: "adam", loss: "meanSquaredError" });
 * const x = tf.randomNormal([32, 2]), y = tf.randomNormal([32, 1]);
 * await model.fit(x, y, { epochs: 2, verbose: 0, callbacks: [new ProgbarLogger()] });
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
  private afterFirstStep: number | undefined;

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
    assertNonNegativeNumber(this.every, "every", "milliseconds");
    assertPositiveInteger(this.width, "width");
  }

  private steps(): number | undefined {
    const steps = this.params?.steps;
    if (typeof steps === "number" && steps > 0) return steps;
    const samples = this.params?.samples;
    const batchSize = this.params?.batchSize;
    return typeof samples === "number" && typeof batchSize === "number" && batchSize > 0 ? Math.ceil(samples / batchSize) : undefined;
  }

  /**
   * One bar line, as Keras 3 prints it: `"3/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.3000"`:
   * steps done, the bar (green done part and grey rest in a terminal), the ETA (or the
   * elapsed seconds once the epoch is complete), the time per step (the first step, which
   * includes warm-up, excluded once there are others) and the metrics.
   *
   * @param current Batches done.
   * @param values Metric values to show.
   * @param final Whether the epoch is complete (elapsed time instead of ETA).
   * @returns The line.
   */
  line(current: number, values: Record<string, number>, final: boolean): string {
    const target = this.steps();
    const now = performance.now();
    const perStep =
      current === 0 ? 0 : this.afterFirstStep !== undefined && current > 1 ? (now - this.afterFirstStep) / 1000 / (current - 1) : (now - this.epochStart) / 1000 / current;
    let bar: string;
    if (target) {
      const done = Math.min(this.width, Math.floor((current / target) * this.width));
      const counter = `${String(current).padStart(String(target).length)}/${target}`;
      bar = this.interactive
        ? `\x1b[1m${counter}\x1b[0m ${done > 0 ? `\x1b[32m${"━".repeat(done)}\x1b[0m` : ""}\x1b[37m${"━".repeat(this.width - done)}\x1b[0m`
        : `${counter} ${"━".repeat(done)}${" ".repeat(this.width - done)}`;
    } else bar = `${String(current).padStart(7)}/Unknown`;
    const time = final || !target ? `${Math.round((now - this.epochStart) / 1000)}s` : formatEta(perStep * (target - current));
    const metrics = kerasOrder(values).map(([k, v]) => ` - ${k}: ${formatMetric(v)}`).join("");
    return `${bar} ${time} ${formatStepTime(perStep)}${metrics}`;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.running = new RunningMeans();
    this.epochStart = performance.now();
    this.seen = 0;
    this.afterFirstStep = undefined;
    this.write(`Epoch ${epoch + 1}/${this.params?.epochs ?? "?"}\n`);
  }

  override async onBatchEnd(_batch: number, logs?: RawLogs): Promise<void> {
    const values = readLogs(logs);
    this.running.add(values, values.size ?? Number(this.params?.batchSize ?? 1));
    this.seen++;
    if (this.seen === 1) this.afterFirstStep = performance.now();
    if (this.interactive && performance.now() - this.lastDraw >= this.every) {
      this.lastDraw = performance.now();
      this.write(`\r${this.line(this.seen, this.running.means(), false)}`);
    }
  }

  override async onEpochEnd(_epoch: number, logs?: RawLogs): Promise<void> {
    this.write(`${this.interactive ? "\r" : ""}${this.line(this.seen, readLogs(logs), true)}\n`);
  }
}
