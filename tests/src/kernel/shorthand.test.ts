import { strict as assert } from "node:assert";
import { expandShorthandProperties } from "../../../src/kernel/shorthand";

describe("expandShorthandProperties()", () => {
  it("expandShorthandProperties() writes shorthand properties out in full", () => {
    assert.equal(expandShorthandProperties("const o = { a, b: 2, c };"), "const o = { a: a, b: 2, c: c };");
  });

  it("expandShorthandProperties() keeps defaults in assignment patterns and leaves binding patterns alone", () => {
    assert.equal(expandShorthandProperties("({ a = 1 } = o);"), "({ a: a = 1 } = o);");
    assert.equal(expandShorthandProperties("const { a, b } = o;"), "const { a, b } = o;");
  });

  it("expandShorthandProperties() keeps line numbers and leaves code without shorthands unchanged", () => {
    const src = "const x = 1;\nf({ x,\n  y });\nconsole.log(x);";
    const out = expandShorthandProperties(src);
    assert.equal(out.split("\n").length, src.split("\n").length);
    assert.equal(out, "const x = 1;\nf({ x: x,\n  y: y });\nconsole.log(x);");
    assert.equal(expandShorthandProperties("let s = `{ a }`; // { b }"), "let s = `{ a }`; // { b }");
  });
});
