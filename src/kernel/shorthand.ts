/**
 * Expands shorthand object properties (`{ a }` → `{ a: a }`) in a cell's source before tslab
 * compiles it.
 *
 * tslab stores each cell's top-level variables on `exports` and rewrites later references to
 * them as `exports.a`; it finds those references through the type checker, which resolves the
 * name of a shorthand property to the property rather than the variable, so `{ a }` kept a bare
 * `a` and failed with "a is not defined" when `a` came from an earlier cell. The long form is
 * the same program in TypeScript and is rewritten correctly. Only columns after an expansion on
 * the same line move; line numbers (and so tracebacks' lines) are unchanged.
 *
 * @module
 */
import * as ts from "@tslab/typescript-for-tslab";

/**
 * Returns `src` with every shorthand property assignment written out in full.
 *
 * @param src A cell's TypeScript source.
 * @returns The same program with `{ a }` as `{ a: a }` (and `{ a = 1 } = o` as `{ a: a = 1 } = o`).
 * @example
 * ```ts
 * expandShorthandProperties("const o = { a, b: 2 };"); // "const o = { a: a, b: 2 };"
 * ```
 */
export function expandShorthandProperties(src: string): string {
  const file = ts.createSourceFile("cell.ts", src, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const inserts: Array<{ at: number; text: string }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isShorthandPropertyAssignment(node)) inserts.push({ at: node.name.end, text: `: ${node.name.text}` });
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (inserts.length === 0) return src;
  let out = src;
  for (const { at, text } of inserts.sort((x, y) => y.at - x.at)) out = out.slice(0, at) + text + out.slice(at);
  return out;
}
