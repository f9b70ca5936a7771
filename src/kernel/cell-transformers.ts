/**
 * The emit transformers that turn a compiled cell into something the kernel can run: names
 * declared by earlier cells are read from the notebook's `exports` object (a shorthand
 * property `{ a }` naming one becomes `{ a: exports.a }`), the cell's last
 * expression is stored in `exports` (its value is the cell's result), and the
 * `export { ... }` lists the compiler added are dropped from the declaration output.
 *
 * They run after TypeScript's own transforms, on the CommonJS output: the cell's own exports
 * are already `exports.name = name` assignments there (placed after each declaration, or
 * first for functions), which the search for the last expression steps over.
 *
 * @module
 */
import * as ts from "@tslab/typescript-for-tslab";

/** The prefix of the variable holding the cell's last expression. */
const LAST_EXPRESSION = "tsLastExpr";

/**
 * A variable name for the last expression that none of the cell's names uses.
 *
 * @param taken The cell's top-level names.
 * @returns `tsLastExpr`, or `tsLastExpr0`, `tsLastExpr1`, ...
 * @example
 * ```ts
 * lastExpressionName(new Set(["tsLastExpr"])); // "tsLastExpr0"
 * ```
 */
export function lastExpressionName(taken: ReadonlySet<string>): string {
  if (!taken.has(LAST_EXPRESSION)) return LAST_EXPRESSION;
  for (let i = 0; ; i++) if (!taken.has(`${LAST_EXPRESSION}${i}`)) return `${LAST_EXPRESSION}${i}`;
}

/**
 * The transformers for one cell's emit.
 *
 * @param checker The checker of the cell's program.
 * @param previous The earlier cells' declarations file (names declared there become `exports.name`).
 * @param taken The cell's top-level names.
 * @param onLastExpression Told the variable name when the cell ends with an expression.
 * @returns The custom transformers to pass to `program.emit`.
 * @example
 * ```ts
 * program.emit(cell, write, undefined, false, cellTransformers(checker, declFile, names, (n) => (last = n)));
 * ```
 */
export function cellTransformers(
  checker: ts.TypeChecker,
  previous: ts.SourceFile,
  taken: ReadonlySet<string>,
  onLastExpression: (name: string) => void,
): ts.CustomTransformers {
  const context = ts.getNullTransformationContext();
  const fromPrevious = (node: ts.Identifier): boolean =>
    (checker.getSymbolAtLocation(node)?.declarations ?? []).some((d) => d.getSourceFile() === previous);
  const exportsOf = (name: ts.Identifier): ts.PropertyAccessExpression =>
    ts.factory.createPropertyAccessExpression(ts.factory.createIdentifier("exports"), ts.factory.createIdentifier(name.text));
  const wrap = (node: ts.Node): ts.Node => {
    if (ts.isShorthandPropertyAssignment(node)) {
      // `{ a }` (and `{ a = 1 } = o`) naming an earlier cell's `a`: the checker resolves the
      // shorthand's name to the property, so it is written out as `a: exports.a`.
      const original = ts.getParseTreeNode(node, ts.isShorthandPropertyAssignment);
      const value = original && checker.getShorthandAssignmentValueSymbol(original);
      if (!value?.declarations?.some((d) => d.getSourceFile() === previous)) return ts.visitEachChild(node, wrap, context);
      const initializer = node.objectAssignmentInitializer && (ts.visitNode(node.objectAssignmentInitializer, wrap) as ts.Expression);
      const target = exportsOf(node.name);
      return ts.setTextRange(
        ts.factory.createPropertyAssignment(ts.factory.createIdentifier(node.name.text), initializer ? ts.factory.createAssignment(target, initializer) : target),
        node,
      );
    }
    if (!ts.isIdentifier(node)) return ts.visitEachChild(node, wrap, context);
    if (node.parent && ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) return node;
    if (!fromPrevious(node)) return node;
    return ts.factory.createPropertyAccessExpression(ts.factory.createIdentifier("exports"), node);
  };
  const after = (): ts.Transformer<ts.SourceFile> => (file) => {
    const wrapped = ts.visitEachChild(file, wrap, context);
    const statements = [...wrapped.statements];
    for (let i = statements.length - 1; i >= 0; i--) {
      const s = statements[i]!;
      const source = ts.getParseTreeNode(s);
      // Export assignments the module transform added (for the `export { ... }` list).
      if (!source || ts.isExportDeclaration(source) || ts.isExportSpecifier(source)) continue;
      if (!ts.isExpressionStatement(s) || !ts.isExpressionStatement(source)) break;
      const name = lastExpressionName(taken);
      const target = ts.factory.createPropertyAccessExpression(ts.factory.createIdentifier("exports"), name);
      statements[i] = ts.setTextRange(ts.factory.createExpressionStatement(ts.factory.createAssignment(target, s.expression)), s);
      onLastExpression(name);
      return ts.factory.updateSourceFile(wrapped, statements);
    }
    return wrapped;
  };
  const afterDeclarations = (): ts.Transformer<ts.SourceFile | ts.Bundle> => (node) => {
    if (!ts.isSourceFile(node)) return node;
    return ts.factory.updateSourceFile(
      node,
      node.statements.filter((s) => !ts.isExportDeclaration(s)),
    );
  };
  return { after: [after], afterDeclarations: [afterDeclarations] };
}
