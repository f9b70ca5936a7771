import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-node";
import { CheckError, MinMaxScaler, StandardScaler, checkBeatsBaseline, checkMentions, checkNoLeak, checkScalerFitOn } from "kernel-helpers";

const failsWith = async (fn: () => unknown, message: string | RegExp): Promise<void> => {
  await assert.rejects(async () => fn(), (err: unknown) => {
    assert.ok(err instanceof CheckError, `not a CheckError: ${String(err)}`);
    if (typeof message === "string") assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
};

describe("kernel-helpers/check learning", () => {
  const series = Array.from({ length: 10 }, (_, i) => i * 1.5);
  const train = series.slice(0, 8);

  it("checkScalerFitOn() accepts a scaler fitted on the training rows and catches test data in it", async () => {
    checkScalerFitOn(new StandardScaler().fit(train.map((t) => [t])), train, "scaler", "trainTemps");
    checkScalerFitOn(new MinMaxScaler().fit(train.map((t) => [t])), train.map((t) => [t]), "scaler", "trainTemps");
    await failsWith(
      () => checkScalerFitOn(new StandardScaler().fit(series.map((t) => [t])), train, "scaler", "trainTemps"),
      "scaler was fitted on 10 rows; expected the 8 rows of trainTemps only: fit it on the training period, never on test data (its statistics are information from the future).",
    );
    await failsWith(() => checkScalerFitOn(new StandardScaler().fit(series.slice(2).map((t) => [t])), train, "scaler", "trainTemps"), /^scaler\.mean\[0\] is 8\.25; the mean of trainTemps is 5\.25/);
    await failsWith(() => checkScalerFitOn(new StandardScaler(), train, "scaler", "trainTemps"), "scaler is not fitted: call scaler.fit(...) on trainTemps.");
    await failsWith(() => checkScalerFitOn(42, train, "scaler", "trainTemps"), "scaler should be a StandardScaler or MinMaxScaler. Received: scaler=42");
  });

  it("checkBeatsBaseline() knows which direction is better", async () => {
    checkBeatsBaseline(4.1, 4.9, { model: "LSTM", baseline: "the naive forecast", metric: "test MSE", lowerIsBetter: true });
    checkBeatsBaseline(0.8, 0.5, { model: "GRU", baseline: "the majority class", metric: "test accuracy" });
    await failsWith(
      () => checkBeatsBaseline(5.1, 4.9, { model: "LSTM", baseline: "the naive forecast", metric: "test MSE", lowerIsBetter: true }),
      "LSTM has test MSE 5.100, which does not beat the naive forecast (4.900); lower is better.",
    );
    await failsWith(() => checkBeatsBaseline(0.5, 0.5, { model: "GRU", baseline: "chance", metric: "test accuracy" }), /does not beat chance \(0\.5000\); higher is better/);
  });

  it("checkMentions() wants whole words, case-insensitive", async () => {
    checkMentions("best: GRU (0.86)", "gru", "the report", "the best model");
    await failsWith(() => checkMentions("best: GRUB", "GRU", "the report", "the best model"), 'the report does not name the best model ("GRU").');
    await failsWith(() => checkMentions(undefined, "GRU", "the report", "the best model"), "the report should be text. Received: undefined");
  });

  it("checkNoLeak() counts tensors left behind and returns the result", async () => {
    assert.equal(await checkNoLeak(() => tf.tidy(() => tf.ones([3]).sum().dataSync()[0]), "the sum"), 3);
    let kept: tf.Tensor | null = null;
    await failsWith(() => checkNoLeak(() => {
      kept = tf.ones([2]);
    }, "trainForecaster"), "trainForecaster left 1 tensor in memory; dispose what you create (tf.dispose, tf.tidy).");
    (kept as tf.Tensor | null)?.dispose();
  });
});
