import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DataError, InvalidArgumentError, MissingFileError, stocks } from "kernel-helpers";
import { tempCsv } from "./_tmp";

const HEADER = "Date,Open,High,Low,Close,Adj Close,Volume\n";

describe("stocks", () => {
  it("stocks.loadCsv() reads a Yahoo CSV indexed by date, sorted, numeric", () => {
    const file = tempCsv(
      HEADER + "2019-04-23,1,2,0.5,1.5,1.4,100\r\n2019-04-22,2,3,1,2.5,2.4,200\r\n\r\n2019-04-24,null,null,null,null,null,null\n",
    );
    const df = stocks.loadCsv(file);
    assert.deepEqual(df.index, ["2019-04-22", "2019-04-23", "2019-04-24"]);
    assert.deepEqual(df.columns, ["Open", "High", "Low", "Close", "Adj Close", "Volume"]);
    assert.deepEqual((df.values as number[][])[0], [2, 3, 1, 2.5, 2.4, 200]);
    assert.ok((df.values as number[][])[2].every((v) => Number.isNaN(v)));
  });

  it("stocks.loadCsv() handles a byte-order mark, quoted fields and timestamps", () => {
    const file = tempCsv("\ufeff" + HEADER + '"2019-04-22 00:00:00","1.5",2,1,"2",2,"300"\n');
    const df = stocks.loadCsv(file);
    assert.deepEqual(df.index, ["2019-04-22"]);
    assert.deepEqual(df.values, [[1.5, 2, 1, 2, 2, 300]]);
  });

  it("stocks.loadCsv() names the line of a ragged row, a bad date or a bad number", () => {
    const ragged = tempCsv(HEADER + "2019-04-22,1,2,3,4,5,6\n2019-04-23,1,2,3,4,5\n");
    assert.throws(() => stocks.loadCsv(ragged), (e: Error) => e instanceof DataError && /line 3 has 6 fields but the header has 7/.test(e.message));
    const badDate = tempCsv(HEADER + "2019-04-22,1,2,3,4,5,6\n2019-02-30,1,2,3,4,5,6\n");
    assert.throws(() => stocks.loadCsv(badDate), (e: Error) => e instanceof DataError && /line 3, column "Date" is not a valid date/.test(e.message));
    const badNumber = tempCsv(HEADER + "2019-04-22,1,2,3,4,5,6\n2019-04-23,1,2,abc,4,5,6\n");
    assert.throws(() => stocks.loadCsv(badNumber), (e: Error) => e instanceof DataError && /line 3, column "Low" is not a number.*Received: "abc"/.test(e.message));
    const noClose = tempCsv("Date,Open\n2019-04-22,1\n");
    assert.throws(() => stocks.loadCsv(noClose), /"Close"/);
    const empty = tempCsv("");
    assert.throws(() => stocks.loadCsv(empty), /empty/);
  });

  it("stocks.loadCsv() reports a missing file with what to do", () => {
    assert.throws(() => stocks.loadCsv(path.join(os.tmpdir(), "no-such-dir-seqlab", "AAPL.csv")), (e: Error) => e instanceof MissingFileError && /data\/AAPL.csv/.test(e.message));
  });

  it("stocks.sp500() loads the bundled daily S&P 500 with Yahoo column names", () => {
    const df = stocks.sp500();
    assert.deepEqual(df.shape, [5105, 6]);
    assert.deepEqual(df.columns, ["Open", "High", "Low", "Close", "Adj Close", "Volume"]);
    assert.equal(df.index[0], "2000-01-03");
    assert.equal(df.index[df.index.length - 1], "2020-04-17");
    assert.deepEqual((df.values as number[][])[0], [1469.25, 1478.0, 1438.359985, 1455.219971, 1455.219971, 931800000]);
  });

  it("stocks.monthly() loads one symbol's monthly prices", () => {
    const msft = stocks.monthly("msft");
    assert.deepEqual(msft.shape, [123, 1]);
    assert.deepEqual(msft.columns, ["price"]);
    assert.equal(msft.index[0], "2000-01-01");
    assert.equal(msft.index[122], "2010-03-01");
    assert.deepEqual((msft.values as number[][]).slice(0, 2), [[39.81], [36.35]]);
    assert.equal(stocks.monthly("GOOG").index[0], "2004-08-01");
    assert.throws(() => stocks.monthly("TSLA"), InvalidArgumentError);
  });

  it("stocks.findLocalCsv() finds data/<SYMBOL>.csv in the folder or a parent", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-find-"));
    fs.mkdirSync(path.join(root, "data"));
    fs.mkdirSync(path.join(root, "notebooks", "walkthroughs"), { recursive: true });
    assert.equal(stocks.findLocalCsv("AAPL", { from: path.join(root, "notebooks", "walkthroughs") }), null);
    fs.writeFileSync(path.join(root, "data", "AAPL.csv"), HEADER);
    assert.equal(stocks.findLocalCsv("aapl", { from: path.join(root, "notebooks", "walkthroughs") }), path.join(root, "data", "AAPL.csv"));
    assert.throws(() => stocks.findLocalCsv("../x"), InvalidArgumentError);
  });
});
