import * as assert from "node:assert/strict";
import { DataError, InvalidArgumentError, ShapeError, plots } from "kernel-helpers";

type Trace = Record<string, unknown>;
const traces = (fig: { data: Trace[] }) => fig.data;

describe("plots.history()", () => {
  it("draws train and validation of each metric on its own chart, epochs from 1", () => {
    const fig = plots.history({ loss: [1, 0.5], val_loss: [1.2, 0.7], mae: [0.9, 0.6], val_mae: [1, 0.8] });
    const t = traces(fig);
    assert.equal(t.length, 4);
    assert.deepEqual(t.map((x) => [x.name, x.xaxis, x.yaxis]), [
      ["train", "x", "y"], ["validation", "x", "y"], ["train", "x2", "y2"], ["validation", "x2", "y2"],
    ]);
    assert.deepEqual(t[0]!.x, [1, 2]);
    assert.deepEqual(t[1]!.y, [1.2, 0.7]);
    const layout = fig.layout as Record<string, { title?: { text: string } }>;
    assert.equal(layout.yaxis!.title!.text, "loss");
    assert.equal(layout.yaxis2!.title!.text, "MAE");
    assert.equal(layout.xaxis!.title!.text, "epoch");
  });

  it("reads a tfjs History object and its epoch numbers", () => {
    const fig = plots.history({ history: { loss: [3, 2, 1] }, epoch: [4, 5, 6] });
    assert.deepEqual(traces(fig)[0]!.x, [5, 6, 7]);
    assert.equal(traces(fig).length, 1);
  });

  it("keeps only the requested metrics and draws NaN as a gap", () => {
    const fig = plots.history({ loss: [1, NaN], mae: [2, 1] }, { metrics: ["loss"] });
    assert.equal(traces(fig).length, 1);
    assert.deepEqual(traces(fig)[0]!.y, [1, null]);
  });

  it("rejects a metric the history lacks, naming what it has", () => {
    assert.throws(() => plots.history({ loss: [1] }, { metrics: ["acc"] }), (e: Error) => e instanceof InvalidArgumentError && /it has loss/.test(e.message));
  });

  it("rejects an empty history", () => {
    assert.throws(() => plots.history({}), InvalidArgumentError);
  });
});

describe("plots.forecast()", () => {
  it("draws actual and predicted against x and marks the end of training", () => {
    const fig = plots.forecast({ x: [new Date("2020-01-01"), new Date("2020-01-02"), new Date("2020-01-03")], actual: [1, 2, 3], predicted: [null, 2.5, 2.9], trainEnd: new Date("2020-01-02"), yLabel: "price (USD)" });
    const [actual, predicted] = traces(fig);
    assert.deepEqual(actual!.x, ["2020-01-01", "2020-01-02", "2020-01-03"]);
    assert.deepEqual(predicted!.y, [null, 2.5, 2.9]);
    const layout = fig.layout as { shapes: Array<{ x0: string }>; yaxis: { title: { text: string } }; xaxis: { title: { text: string } } };
    assert.equal(layout.shapes[0]!.x0, "2020-01-02");
    assert.equal(layout.yaxis.title.text, "price (USD)");
    assert.equal(layout.xaxis.title.text, "date");
  });

  it("numbers time steps from 0 when x is absent", () => {
    const fig = plots.forecast({ actual: [1, 2], predicted: [1, 2] });
    assert.deepEqual(traces(fig)[0]!.x, [0, 1]);
    assert.equal((fig.layout as { xaxis: { title: { text: string } } }).xaxis.title.text, "time step");
  });

  it("rejects series of different lengths and a trainEnd off the axis", () => {
    assert.throws(() => plots.forecast({ actual: [1, 2, 3], predicted: [1, 2] }), ShapeError);
    assert.throws(() => plots.forecast({ actual: [1, 2], predicted: [1, 2], trainEnd: 5 }), InvalidArgumentError);
    assert.throws(() => plots.forecast({ actual: [1, NaN], predicted: [1, 2] }), DataError);
  });
});

describe("plots.series()", () => {
  it("draws each column against a Date column found by name", () => {
    const fig = plots.series({ Date: ["2020-01-01", "2020-01-02"], Close: [1, 2], Open: [3, 4] }, ["Close", "Open"]);
    assert.deepEqual(traces(fig).map((t) => [t.name, t.y]), [["Close", [1, 2]], ["Open", [3, 4]]]);
    assert.deepEqual(traces(fig)[0]!.x, ["2020-01-01", "2020-01-02"]);
  });

  it("puts columns on separate charts when asked", () => {
    const fig = plots.series({ a: [1, 2], b: [3, 4] }, ["a", "b"], { separate: true });
    assert.deepEqual(traces(fig).map((t) => t.yaxis), ["y", "y2"]);
    assert.deepEqual(traces(fig)[0]!.x, [0, 1]);
  });

  it("rejects a missing column, naming the columns it has", () => {
    assert.throws(() => plots.series({ a: [1] }, ["b"]), (e: Error) => e instanceof InvalidArgumentError && /it has a/.test(e.message));
  });
});

describe("plots.confusionMatrix()", () => {
  it("counts true (rows) against predicted (columns) over the sorted classes", () => {
    const fig = plots.confusionMatrix([0, 1, 1, 0, 2], [0, 1, 0, 0, 1]);
    const t = traces(fig)[0]!;
    assert.deepEqual(t.z, [[2, 0, 0], [1, 1, 0], [0, 1, 0]]);
    assert.deepEqual(t.x, ["0", "1", "2"]);
    assert.deepEqual(t.text, [["2", "0", "0"], ["1", "1", "0"], ["0", "1", "0"]]);
  });

  it("normalises rows to recall with normalize: 'true'", () => {
    const fig = plots.confusionMatrix(["cat", "cat", "dog", "dog"], ["cat", "dog", "dog", "dog"], { normalize: "true", classNames: ["Cat", "Dog"] });
    const t = traces(fig)[0]!;
    assert.deepEqual(t.z, [[0.5, 0.5], [0, 1]]);
    assert.deepEqual(t.y, ["Cat", "Dog"]);
  });

  it("rejects probabilities and mismatched lengths", () => {
    assert.throws(() => plots.confusionMatrix([0, 1], [0.2, 0.9]), InvalidArgumentError);
    assert.throws(() => plots.confusionMatrix([0, 1], [0]), ShapeError);
  });
});

describe("plots.compareModels()", () => {
  it("draws one bar chart per metric plus training time", () => {
    const fig = plots.compareModels([
      { name: "naive", metrics: { mae: 2, rmse: 3 }, trainingSeconds: 0 },
      { name: "LSTM", metrics: { mae: 1, rmse: 1.5 }, trainingSeconds: 10 },
    ]);
    assert.deepEqual(traces(fig).map((t) => [t.name, t.y]), [["MAE", [2, 1]], ["RMSE", [3, 1.5]], ["training time", [0, 10]]]);
    assert.deepEqual(traces(fig)[0]!.x, ["naive", "LSTM"]);
    assert.equal((fig.layout as Record<string, { title: { text: string } }>).yaxis3!.title.text, "seconds");
  });

  it("rejects an entry missing a metric", () => {
    assert.throws(() => plots.compareModels([{ name: "a", metrics: { mae: 1 } }, { name: "b", metrics: {} }]), InvalidArgumentError);
  });
});

describe("plots.gradientNorms()", () => {
  it("draws one line per series on a log axis, zeros as gaps", () => {
    const fig = plots.gradientNorms({ SimpleRNN: [1, 0.1, 0], LSTM: [1, 0.9, 0.8] });
    assert.deepEqual(traces(fig).map((t) => [t.name, t.x, t.y]), [["SimpleRNN", [0, 1, 2], [1, 0.1, null]], ["LSTM", [0, 1, 2], [1, 0.9, 0.8]]]);
    assert.equal((fig.layout as { yaxis: { type: string } }).yaxis.type, "log");
  });

  it("rejects negative norms", () => {
    assert.throws(() => plots.gradientNorms({ a: [1, -1] }), InvalidArgumentError);
  });
});

describe("plots.distribution()", () => {
  it("bins like numpy.histogram: half-open bins, the last one closed", () => {
    const h = plots.histogram([1, 2, 2, 3, 4], 3);
    assert.deepEqual(h.edges, [1, 2, 3, 4]);
    assert.deepEqual(h.counts, [1, 2, 2]);
    assert.equal(h.mean, 2.4);
    assert.ok(Math.abs(h.std - Math.sqrt(1.04)) < 1e-12);
  });

  it("draws the bins as bars at their centres with their widths, n/mean/std in the title", () => {
    const fig = plots.distribution([0, 1, 1, 2], { bins: 2, xLabel: "error (USD)" });
    const t = traces(fig)[0]!;
    assert.deepEqual(t.x, [0.5, 1.5]);
    assert.deepEqual(t.y, [1, 3]);
    assert.deepEqual(t.width, [1, 1]);
    assert.match((fig.layout as { title: { text: string } }).title.text, /n = 4, mean 1, std 0.7071/);
  });

  it("uses Sturges' rule by default and rejects infinite values", () => {
    assert.equal(plots.histogram([1, 2, 3, 4, 5, 6, 7, 8], 4).counts.length, 4);
    assert.equal((traces(plots.distribution([1, 2, 3, 4, 5, 6, 7, 8]))[0]!.y as number[]).length, 4);
    assert.throws(() => plots.distribution([1, Infinity]), DataError);
  });
});

describe("plots.sampleTable()", () => {
  it("lists samples by rising temperature, with seeds when given", () => {
    const fig = plots.sampleTable([{ temperature: 1.5, text: "zq", seed: "th" }, { temperature: 0.2, text: "the the" }]);
    const t = traces(fig)[0]! as { type: string; header: { values: string[] }; cells: { values: string[][] } };
    assert.equal(t.type, "table");
    assert.deepEqual(t.header.values, ["temperature", "seed", "generated text"]);
    assert.deepEqual(t.cells.values, [["0.2", "1.5"], ["", "th"], ["the the", "zq"]]);
  });

  it("rejects a temperature of 0", () => {
    assert.throws(() => plots.sampleTable([{ temperature: 0, text: "a" }]), InvalidArgumentError);
  });
});
