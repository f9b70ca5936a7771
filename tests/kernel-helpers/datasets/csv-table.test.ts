import * as assert from "node:assert/strict";
import { DataError, events } from "kernel-helpers";
import { tempCsv } from "./_tmp";

// The CSV reader behind every dataset loader (papaparse plus our checks), seen through events.loadCsv.
describe("CSV files of the dataset loaders", () => {
  it("reads LF, CRLF and CR line endings, mixed in one file, a BOM and blank lines", () => {
    const df = events.loadCsv(tempCsv("\ufeffDate,x\r\n2020-01-01,1\n\n2020-01-02,2\r2020-01-03,3\r\n\r\n"));
    assert.deepEqual(df.index, ["2020-01-01", "2020-01-02", "2020-01-03"]);
    assert.deepEqual(df.values, [[1], [2], [3]]);
  });
  it("quoted fields may hold commas, quotes and line breaks; errors still name the file line", () => {
    const df = events.loadCsv(tempCsv('Date,"a, b"\n"2020-01-01","1"\n'));
    assert.deepEqual(df.columns, ["a, b"]);
    // The quoted line break makes line 3 part of record 2; the bad date is on line 5.
    const file = tempCsv('Date,x\n2020-01-01,"1\n"\n\n2020-13-01,2\n');
    assert.throws(() => events.loadCsv(file), (e: Error) => e instanceof DataError && /line 5, column "Date" is not a valid date/.test(e.message));
  });
  it("an unterminated quote, a short row and an empty file are errors naming the line", () => {
    assert.throws(() => events.loadCsv(tempCsv('Date,x\n2020-01-01,1\n2020-01-02,"2\n')), /line 3 has an unterminated quoted field/);
    assert.throws(() => events.loadCsv(tempCsv("Date,x\n2020-01-01\n")), /line 2 has 1 fields but the header has 2/);
    assert.throws(() => events.loadCsv(tempCsv("")), /is empty: a header row and data rows are expected/);
  });
});
