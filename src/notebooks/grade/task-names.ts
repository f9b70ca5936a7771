/**
 * The authoring rule that makes a released assignment workable: every name a given cell (or a
 * test cell) uses from the student's code is defined by an earlier task whose text asks for it
 * by name, and every cell the student writes follows its own task text. Otherwise a student who
 * follows the text gets "Cannot find name" in a cell they did not write.
 *
 * @module
 */
import ts from "typescript";
import { cellKind, cellText, type Notebook } from "./assignment";

/**
 * Top-level names a cell declares (variables, functions, classes, interfaces, types, imports).
 *
 * @param code The cell's code.
 * @returns The names.
 * @example
 * ```ts
 * declaredNames("const { a, b } = f();\nfunction g() {}"); // Set { "a", "b", "g" }
 * ```
 */
export function declaredNames(code: string): Set<string> {
  const file = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.ES2022, true);
  const names = new Set<string>();
  const bind = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bind(el.name);
  };
  for (const st of file.statements) {
    if (ts.isVariableStatement(st)) st.declarationList.declarations.forEach((d) => bind(d.name));
    else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) names.add(st.name.text);
    else if (ts.isImportDeclaration(st) && st.importClause) {
      if (st.importClause.name) names.add(st.importClause.name.text);
      const b = st.importClause.namedBindings;
      if (b && ts.isNamedImports(b)) b.elements.forEach((e) => names.add(e.name.text));
      else if (b && ts.isNamespaceImport(b)) names.add(b.name.text);
    }
  }
  return names;
}

/**
 * Identifiers a cell reads (not property names, not names it declares itself anywhere).
 *
 * @param code The cell's code.
 * @returns The names.
 * @example
 * ```ts
 * usedNames("const n = xs.length + k;"); // Set { "xs", "k" }
 * ```
 */
export function usedNames(code: string): Set<string> {
  const file = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.ES2022, true);
  const used = new Set<string>();
  const own = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const p = node.parent;
      const isDeclName =
        (ts.isVariableDeclaration(p) || ts.isFunctionDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p) || ts.isClassDeclaration(p) ||
          ts.isInterfaceDeclaration(p) || ts.isTypeAliasDeclaration(p) || ts.isFunctionExpression(p) || ts.isImportSpecifier(p)) &&
        (p as { name?: ts.Node }).name === node;
      const isMember =
        (ts.isPropertyAccessExpression(p) && p.name === node) ||
        ((ts.isPropertyAssignment(p) || ts.isPropertySignature(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isMethodSignature(p)) && p.name === node) ||
        (ts.isBindingElement(p) && p.propertyName === node) ||
        (ts.isQualifiedName(p) && p.right === node);
      if (isDeclName) own.add(node.text);
      else if (!isMember) used.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  for (const n of own) used.delete(n);
  return used;
}

const TASK = /\*\*Task (\d+)\b/;

/** Whether a task text names `name` in code: \`name\`, \`name(...)\` or \`name: type\`. */
const asksFor = (text: string, name: string): boolean => ["`", "(", ":", "<"].some((end) => text.includes(`\`${name}${end}`));

/**
 * Problems with the task texts of an assignment source: a solution cell without a task text
 * right before it, or a name used by a given/test cell that no earlier task asks for.
 *
 * @param source The assignment source.
 * @returns One sentence per problem (empty when the assignment is workable).
 * @example
 * ```ts
 * taskNameProblems(source); // ['cell 5 (given) uses `trainIds`, which no earlier task asks for by name']
 * ```
 */
export function taskNameProblems(source: Notebook): string[] {
  const problems: string[] = [];
  const owner = new Map<string, { cell: number; text: string }>();
  let taskText = "";
  source.cells.forEach((cell, i) => {
    const kind = cellKind(cell);
    const text = cellText(cell);
    if (cell.cell_type === "markdown" && kind === "given" && TASK.test(text)) taskText = text;
    if (kind === "solution" || kind === "manual") {
      const prev = source.cells[i - 1];
      if (!prev || prev.cell_type !== "markdown" || cellKind(prev) !== "given" || !TASK.test(cellText(prev))) {
        problems.push(`cell ${i} (${kind === "manual" ? "a written answer" : "student code"}) has no task text right before it: add a markdown cell "**Task N.** ..." that says what to write.`);
      }
      if (cell.cell_type === "code") {
        for (const name of declaredNames(text)) if (!owner.has(name)) owner.set(name, { cell: i, text: taskText });
      }
      return;
    }
    if (cell.cell_type !== "code") return;
    for (const name of usedNames(text)) {
      const o = owner.get(name);
      const laterOwner = !o && source.cells.slice(i + 1).some((c) => cellKind(c) === "solution" && c.cell_type === "code" && declaredNames(cellText(c)).has(name));
      if (laterOwner) problems.push(`cell ${i} (${kind}) uses \`${name}\`, which only a later task defines.`);
      else if (o && !asksFor(o.text, name)) {
        problems.push(`cell ${i} (${kind}) uses \`${name}\`, defined in cell ${o.cell}, but that task's text never asks for \`${name}\` by name.`);
      }
    }
  });
  return problems;
}
