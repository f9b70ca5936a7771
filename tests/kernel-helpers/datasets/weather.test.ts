import * as assert from "node:assert/strict";
import { weather } from "kernel-helpers";

describe("weather", () => {
  it("weather.seattle() loads daily Seattle weather indexed by date", () => {
    const w = weather.seattle();
    assert.deepEqual(w.shape, [1461, 5]);
    assert.deepEqual(w.columns, ["precipitation", "temp_max", "temp_min", "wind", "weather"]);
    assert.equal(w.index[0], "2012-01-01");
    assert.equal(w.index[1460], "2015-12-31");
    assert.deepEqual((w.values as unknown[][])[0], [0.0, 12.8, 5.0, 4.7, "drizzle"]);
    assert.deepEqual((w.values as unknown[][])[1460], [0.0, 5.6, -2.1, 3.5, "sun"]);
  });
});
