import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { imdb, textToWordSequence, InvalidArgumentError } from "kernel-helpers";

type Data = ReturnType<typeof imdb.loadData>;

function cacheRoot(): string {
  const env = process.env;
  if (env.SEQLAB_CACHE_DIR) return path.resolve(env.SEQLAB_CACHE_DIR);
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(require("node:os").homedir(), ".cache");
  return path.join(base, "seqlab");
}

describe("imdb", function () {
  this.timeout(120_000);
  let data: Data;
  before(() => {
    data = imdb.loadData(); // builds the cache on the first run ever
  });

  it("imdb.loadData() splits 50,000 reviews into 25,000/25,000 with 12,500 per label", () => {
    assert.equal(data.train.x.length, 25_000);
    assert.equal(data.test.x.length, 25_000);
    assert.equal(data.train.y.length, 25_000);
    for (const s of [data.train, data.test]) {
      assert.equal(s.y.filter((v) => v === 1).length, 12_500);
      assert.equal(s.y.filter((v) => v === 0).length, 12_500);
    }
  });
  it("imdb.loadData() starts every review with startChar 1 and offsets words by indexFrom 3", () => {
    for (const x of data.train.x.slice(0, 200)) {
      assert.equal(x[0], 1);
      assert.ok(x.slice(1).every((w) => w >= 4 || w === 2), "word ids are ranks + 3");
    }
  });
  it("imdb.loadData() writes the encoded corpus to the cache folder", () => {
    assert.ok(fs.existsSync(path.join(cacheRoot(), "datasets", "imdb", "corpus-seqlab-imdb-v1.bin")));
  });
  it("imdb.loadData() is deterministic for a seed and shuffles differently for another", () => {
    const again = imdb.loadData();
    assert.deepEqual(again.train.x.slice(0, 50), data.train.x.slice(0, 50));
    assert.deepEqual(again.test.y, data.test.y);
    const other = imdb.loadData({ seed: 1 });
    assert.notDeepEqual(other.train.y.slice(0, 100), data.train.y.slice(0, 100));
    const key = (x: number[]): string => x.join(",");
    assert.deepEqual(new Set(other.train.x.map(key)).size, new Set(data.train.x.map(key)).size);
  });
  it("imdb.loadData() replaces ids outside skipTop..numWords by oovChar, start included, as Keras", () => {
    const d = imdb.loadData({ numWords: 100, skipTop: 5 });
    const all = d.train.x.concat(d.test.x);
    assert.ok(all.every((x) => x.every((w) => w === 2 || (w >= 5 && w < 100))));
    assert.ok(all.every((x) => x[0] === 2), "startChar 1 < skipTop becomes oovChar");
    const raw = data.train.x[0];
    assert.deepEqual(d.train.x[0], raw.map((w) => (w >= 5 && w < 100 ? w : 2)));
  });
  it("imdb.loadData() without numWords also maps the largest id to oovChar, as Keras", () => {
    const big = Math.max(...data.train.x.concat(data.test.x).map((x) => Math.max(...x)));
    const wi = imdb.getWordIndex();
    assert.ok(big < wi.size + 3, "the rarest word's id never appears");
  });
  it("imdb.loadData() drops oov words with oovChar null and the start with startChar null", () => {
    const d = imdb.loadData({ numWords: 50, oovChar: null, startChar: null, indexFrom: 0 });
    const x0 = data.train.x[0].slice(1).map((w) => w - 3).filter((w) => w < 50);
    assert.deepEqual(d.train.x[0], x0);
  });
  it("imdb.loadData() with maxlen keeps only reviews shorter than maxlen", () => {
    const d = imdb.loadData({ maxlen: 100 });
    const expected = data.train.x.filter((x) => x.length < 100).length;
    assert.equal(d.train.x.length, expected);
    assert.equal(d.train.y.length, expected);
    assert.ok(d.test.x.every((x) => x.length < 100));
  });
  it("imdb.loadData() rejects bad options with the argument's name", () => {
    assert.throws(() => imdb.loadData({ maxlen: 0 }), /`maxlen` must be a positive integer or null. Received: maxlen=0/);
    assert.throws(() => imdb.loadData({ numWords: -1 }), /`numWords`/);
    assert.throws(() => imdb.loadData({ skipTop: 1.5 }), /`skipTop`/);
    assert.throws(() => imdb.loadData({ maxlen: 2 }), InvalidArgumentError);
    assert.throws(() => imdb.loadData({ seed: {} as unknown as number }), /`seed`/);
  });
  it("imdb.getWordIndex() ranks words by frequency and imdb.decode() reverses ids the Keras way", () => {
    const wi = imdb.getWordIndex();
    assert.equal(wi.get("the"), 1);
    assert.ok(wi.size > 100_000);
    assert.equal(imdb.decode([1, 4, 2, 0]), "? the ? ?");
    assert.equal(imdb.decode([1, 3, 0], { indexFrom: 0, unknown: "<?>" }), `the ${[...wi.keys()][2]} <?>`);
    assert.throws(() => imdb.decode([-1]), /`seq\[0\]`/);
  });
  it("imdb.loadTexts() returns the raw reviews in loadData's order", () => {
    const t = imdb.loadTexts();
    assert.equal(t.train.texts.length, 25_000);
    assert.deepEqual(t.test.labels, data.test.y);
    const wi = imdb.getWordIndex();
    const words = textToWordSequence(t.train.texts[3].replace(/<br\s*\/?>/gi, " "));
    assert.deepEqual(data.train.x[3].slice(1), words.map((w) => wi.get(w)! + 3).map((w) => (w < wi.size + 3 ? w : 2)));
  });
});
