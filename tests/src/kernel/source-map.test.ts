import { strict as assert } from "node:assert";
import { composeMaps, decodeMappings, extractInlineSourceMaps } from "../../../src/kernel/source-map";

function inline(mappings: string): string {
  return Buffer.from(JSON.stringify({ version: 3, sources: ["x.ts"], names: [], mappings })).toString("base64");
}

describe("source maps", () => {
  it("decodeMappings() maps generated positions to the segment at or before the column", () => {
    // line 0: col 0 -> (0,0); col 4 -> (1,2). line 1: col 2 -> (3,0)
    const map = decodeMappings("AAAA,IACE;EAEF");
    assert.deepEqual(map.lookup({ line: 0, column: 0 }), { line: 0, column: 0 });
    assert.deepEqual(map.lookup({ line: 0, column: 7 }), { line: 1, column: 2 });
    assert.deepEqual(map.lookup({ line: 1, column: 0 }), { line: 3, column: 0 });
    assert.equal(map.lookup({ line: 5, column: 0 }), undefined);
  });

  it("composeMaps() applies the last stage's map first", () => {
    const first = decodeMappings(";AAEA"); // stage-1 line 1 -> source line 2
    const second = decodeMappings("AACA"); // final line 0 -> stage-1 line 1
    assert.deepEqual(composeMaps([first, second]).lookup({ line: 0, column: 0 }), { line: 2, column: 0 });
  });

  it("extractInlineSourceMaps() removes map comments, also when code follows on the same line", () => {
    const js = `let a = 1;\n//# sourceMappingURL=data:application/json;base64,${inline("AAAA")}import * as b from "b";\n`;
    const { code, maps } = extractInlineSourceMaps(js);
    assert.equal(code, 'let a = 1;\n\nimport * as b from "b";\n');
    assert.equal(maps.length, 1);
    assert.deepEqual(maps[0]?.lookup({ line: 0, column: 3 }), { line: 0, column: 0 });
  });

  it("extractInlineSourceMaps() returns every map in order", () => {
    const js = `x\n//# sourceMappingURL=data:application/json;base64,${inline("AAAA")}\n//# sourceMappingURL=data:application/json;base64,${inline("AACA")}\n`;
    const { code, maps } = extractInlineSourceMaps(js);
    assert.equal(code.trim(), "x");
    assert.deepEqual(maps.map((m) => m.lookup({ line: 0, column: 0 })?.line), [0, 1]);
  });
});
