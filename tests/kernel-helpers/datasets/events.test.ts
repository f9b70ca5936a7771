import * as assert from "node:assert/strict";
import * as dfd from "danfojs-node";
import { DataError, events } from "kernel-helpers";
import { tempCsv } from "./_tmp";

describe("events", () => {
  it("events.loadCsv() reads an event table indexed by date", () => {
    const df = events.loadCsv(tempCsv("Date,10-K,10-Q,8-K\n2019-03-04,0.0,0.0,1.0\n2018-11-05,1.0,0.0,0.0\n"));
    assert.deepEqual(df.index, ["2018-11-05", "2019-03-04"]);
    assert.deepEqual(df.columns, ["10-K", "10-Q", "8-K"]);
    assert.deepEqual(df.values, [[1, 0, 0], [0, 0, 1]]);
    assert.throws(() => events.loadCsv(tempCsv("Date,x\n2019-13-01,1\n")), (e: Error) => e instanceof DataError && /line 2/.test(e.message));
    assert.throws(() => events.loadCsv(tempCsv("Date,x\n2020-01-02,1\n2020-01-03,1\n2020-01-02,0\n")), (e: Error) => e instanceof DataError && /lines 2 and 4 have the same date 2020-01-02/.test(e.message));
  });

  it("events.mergeOnDate() left-merges on the date index and fills missing events with 0", () => {
    const prices = new dfd.DataFrame({ Close: [1, 2, 3] }, { index: ["2020-01-01", "2020-01-02", "2020-01-03"] });
    const ev = new dfd.DataFrame({ "10-K": [1, 1], "8-K": [0, NaN] }, { index: ["2019-12-31", "2020-01-02"] });
    const merged = events.mergeOnDate(prices, ev);
    assert.deepEqual(merged.index, ["2020-01-01", "2020-01-02", "2020-01-03"]);
    assert.deepEqual(merged.columns, ["Close", "10-K", "8-K"]);
    assert.deepEqual(merged.values, [[1, 0, 0], [2, 1, 0], [3, 0, 0]]);
  });

  it("events.mergeOnDate() suffixes shared columns like pandas", () => {
    const left = new dfd.DataFrame({ v: [1, 2] }, { index: ["a", "b"] });
    const right = new dfd.DataFrame({ v: [10] }, { index: ["b"] });
    const merged = events.mergeOnDate(left, right, { fillValue: -1 });
    assert.deepEqual(merged.columns, ["v_x", "v_y"]);
    assert.deepEqual(merged.index, ["a", "b"]);
    assert.deepEqual(merged.values, [[1, -1], [2, 10]]);
    assert.throws(() => events.mergeOnDate([1] as never, right), /DataFrame/);
  });
});
