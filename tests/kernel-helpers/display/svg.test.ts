import * as assert from "node:assert/strict";
import { plots, plotlyBundle } from "kernel-helpers";

const svgOf = (fig: Parameters<typeof plotlyBundle>[0]): string => plotlyBundle(fig)["image/svg+xml"] as string;
const count = (text: string, re: RegExp): number => (text.match(re) ?? []).length;

describe("plotlyBundle() static SVG", () => {
  it("draws a confusion matrix as one labelled cell per count", () => {
    const svg = svgOf(plots.confusionMatrix([0, 1, 1, 0, 1], [0, 1, 0, 0, 1], { classNames: ["neg", "pos"] }));
    assert.equal(count(svg, /<rect x="[^"]+" y="[^"]+" width="[^"]+" height="[^"]+" fill="rgb\(/g), 4);
    for (const label of [">2<", ">0<", ">1<", ">neg<", ">pos<", ">true class<", ">predicted class<"]) assert.ok(svg.includes(label), label);
  });

  it("draws one bar per histogram bin and grouped bars for model comparisons", () => {
    assert.equal(count(svgOf(plots.distribution([1, 2, 2, 3, 4], { bins: 3 })), /<rect [^>]*stroke="#fff" stroke-width="0.5"\/>/g), 3);
    const compare = svgOf(plots.compareModels([{ name: "a", metrics: { mae: 1 } }, { name: "b", metrics: { mae: 2 } }]));
    assert.equal(count(compare, /stroke-width="0.5"\/>/g), 2);
  });

  it("labels a log axis in powers of ten and skips zeros", () => {
    const svg = svgOf(plots.gradientNorms({ rnn: [1, 0.1, 0.01, 0] }));
    for (const tick of [">1<", ">0.1<", ">0.01<"]) assert.ok(svg.includes(tick), tick);
    assert.equal(count(svg, /<circle /g), 3, "the zero norm is a gap");
  });

  it("breaks lines at gaps and writes each subplot's title", () => {
    const svg = svgOf(plots.history({ loss: [1, 0.9, NaN, 0.5, 0.4], mae: [1, 0.9, 0.8, 0.7, 0.6] }));
    assert.equal(count(svg, /<polyline /g), 2 + 1, "loss in two pieces, mae in one");
    assert.ok(svg.includes(">loss<") && svg.includes(">MAE<") && svg.includes(">Training history<"));
  });

  it("writes a table's header and cells, and escapes text", () => {
    const svg = svgOf(plots.sampleTable([{ temperature: 0.5, text: "a <b> & c" }]));
    assert.ok(svg.includes(">temperature<") && svg.includes(">0.5<") && svg.includes(">a &lt;b&gt; &amp; c<"));
  });
});
