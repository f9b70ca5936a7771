/**
 * What a cell declares at its top level, and which of the earlier cells' declarations stay
 * visible after it: a later cell may declare a name again (`let x` in cell 1, `const x` in
 * cell 3), and then the older declaration of that meaning (value or type) is dropped from the
 * declarations carried to the next cell.
 *
 * A cell that declares nothing at all (only expressions and control flow) has no declaration
 * output: {@link declaresNothing} tells the compiler it can skip it.
 *
 * The carried declarations are one `.d.ts` text: the new cell's declaration output first,
 * then the earlier statements still in force.
 *
 * @module
 */
import * as ts from "@tslab/typescript-for-tslab";

/** The names a binding pattern (or a plain identifier) declares. */
function bindingNames(name: ts.BindingName, out: Set<string>): void {
  if (ts.isIdentifier(name)) {
    out.add(name.text);
    return;
  }
  for (const element of name.elements) {
    if (!ts.isOmittedExpression(element)) bindingNames(element.name, out);
  }
}

/**
 * The names a top-level statement declares (variables, functions, classes, enums,
 * interfaces, type aliases, namespaces, imports).
 *
 * @param statement A top-level statement.
 * @returns The declared names (empty for other statements).
 * @example
 * ```ts
 * const file = ts.createSourceFile("c.ts", "const { a, b: [c] } = o;", ts.ScriptTarget.ES2022);
 * declaredNames(file.statements[0]!); // Set { "a", "c" }
 * ```
 */
export function declaredNames(statement: ts.Statement): Set<string> {
  const out = new Set<string>();
  if (ts.isVariableStatement(statement)) {
    for (const d of statement.declarationList.declarations) bindingNames(d.name, out);
  } else if (
    ts.isFunctionDeclaration(statement) ||
    ts.isClassDeclaration(statement) ||
    ts.isEnumDeclaration(statement) ||
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement)
  ) {
    if (statement.name) out.add(statement.name.text);
  } else if (ts.isModuleDeclaration(statement)) {
    if (ts.isIdentifier(statement.name)) out.add(statement.name.text);
  } else if (ts.isImportEqualsDeclaration(statement)) {
    out.add(statement.name.text);
  } else if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    if (clause?.name) out.add(clause.name.text);
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) out.add(bindings.name.text);
    else if (bindings) for (const el of bindings.elements) out.add(el.name.text);
  }
  return out;
}

/**
 * Every name a cell declares at its top level.
 *
 * @param file The cell, parsed.
 * @returns The names, in order of appearance.
 * @example
 * ```ts
 * topLevelNames(ts.createSourceFile("c.ts", "let a = 1; function f() {}", ts.ScriptTarget.ES2022)); // Set { "a", "f" }
 * ```
 */
export function topLevelNames(file: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  for (const statement of file.statements) for (const name of declaredNames(statement)) out.add(name);
  return out;
}

/** The statements a cell may hold and still declare nothing (its declaration output would be empty). */
const NON_DECLARING = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.ExpressionStatement,
  ts.SyntaxKind.EmptyStatement,
  ts.SyntaxKind.Block,
  ts.SyntaxKind.IfStatement,
  ts.SyntaxKind.DoStatement,
  ts.SyntaxKind.WhileStatement,
  ts.SyntaxKind.ForStatement,
  ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.ContinueStatement,
  ts.SyntaxKind.BreakStatement,
  ts.SyntaxKind.SwitchStatement,
  ts.SyntaxKind.LabeledStatement,
  ts.SyntaxKind.ThrowStatement,
  ts.SyntaxKind.TryStatement,
  ts.SyntaxKind.DebuggerStatement,
]);

/**
 * Whether a cell declares nothing: every top-level statement is an expression or control flow,
 * or `export {};` (a `var` inside a block is not exported either way).
 *
 * @param file The cell, parsed.
 * @returns `true` when its declaration output is empty.
 * @example
 * ```ts
 * declaresNothing(ts.createSourceFile("c.ts", "for (const x of xs) console.log(x);", ts.ScriptTarget.ES2022)); // true
 * ```
 */
export function declaresNothing(file: ts.SourceFile): boolean {
  return file.statements.every((s) => NON_DECLARING.has(s.kind) || isEmptyExport(s));
}

/** Whether `s` is `export {};` (what makes every cell a module). */
function isEmptyExport(s: ts.Statement): boolean {
  return ts.isExportDeclaration(s) && !s.moduleSpecifier && !!s.exportClause && ts.isNamedExports(s.exportClause) && s.exportClause.elements.length === 0;
}

/** Which meanings of a name the new cell declares. */
interface Meanings {
  value: boolean;
  type: boolean;
}

/** The meanings each name of the new cell has (an import counts with its target's meanings). */
function meaningsOf(checker: ts.TypeChecker, cell: ts.SourceFile): Map<string, Meanings> {
  const out = new Map<string, Meanings>();
  const add = (name: string, node: ts.Node): void => {
    let symbol = checker.getSymbolAtLocation(node);
    if (!symbol) return;
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const prev = out.get(name) ?? { value: false, type: false };
    out.set(name, {
      value: prev.value || (symbol.flags & ts.SymbolFlags.Value) !== 0,
      type: prev.type || (symbol.flags & ts.SymbolFlags.Type) !== 0,
    });
  };
  const visitBinding = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) add(name.text, name);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) visitBinding(el.name);
  };
  for (const s of cell.statements) {
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) visitBinding(d.name);
    } else if (
      (ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) &&
      s.name
    ) {
      add(s.name.text, s.name);
    } else if (ts.isModuleDeclaration(s) && ts.isIdentifier(s.name)) {
      add(s.name.text, s.name);
    } else if (ts.isImportEqualsDeclaration(s)) {
      add(s.name.text, s.name);
    } else if (ts.isImportDeclaration(s) && s.importClause) {
      const clause = s.importClause;
      if (clause.name) add(clause.name.text, clause.name);
      const b = clause.namedBindings;
      if (b && ts.isNamespaceImport(b)) add(b.name.text, b.name);
      else if (b) for (const el of b.elements) add(el.name.text, el.name);
    }
  }
  return out;
}

/** The meanings an earlier declaration of a name has. */
function declaredMeanings(checker: ts.TypeChecker, statement: ts.Statement, nameNode: ts.Node | undefined): Meanings {
  if (ts.isVariableStatement(statement) || ts.isFunctionDeclaration(statement)) return { value: true, type: false };
  if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) return { value: false, type: true };
  if (ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) return { value: true, type: true };
  let symbol = nameNode ? checker.getSymbolAtLocation(nameNode) : undefined;
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  if (!symbol) return { value: true, type: true };
  return { value: (symbol.flags & ts.SymbolFlags.Value) !== 0, type: (symbol.flags & ts.SymbolFlags.Type) !== 0 };
}

/**
 * The earlier cells' declarations still in force after a cell: each earlier declaration
 * whose meaning the new cell declares again is dropped. A class, enum or import whose type
 * is redeclared but whose value is not keeps its value as `let name: any`.
 *
 * @param checker The checker of the program holding both files.
 * @param previous The earlier declarations' file.
 * @param cell The new cell.
 * @returns The `.d.ts` text of the earlier declarations to keep.
 * @example
 * ```ts
 * const kept = carriedDeclarations(program.getTypeChecker(), declFile, cellFile);
 * ```
 */
export function carriedDeclarations(checker: ts.TypeChecker, previous: ts.SourceFile, cell: ts.SourceFile): string {
  const redeclared = meaningsOf(checker, cell);
  const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });
  const kept: string[] = [];
  const anyValues: string[] = [];
  const conflicts = (name: string, m: Meanings): { value: boolean; type: boolean } => {
    const r = redeclared.get(name);
    return { value: !!r?.value && m.value, type: !!r?.type && m.type };
  };
  /** Keeps a statement: its own text when unchanged (JSDoc included), else printed. */
  const print = (node: ts.Node): void => {
    const original = ts.getParseTreeNode(node);
    kept.push(original === node ? previous.text.slice(node.getStart(previous, true), node.end) : printer.printNode(ts.EmitHint.Unspecified, node, previous));
  };
  for (const s of previous.statements) {
    if (ts.isExportDeclaration(s)) continue;
    if (ts.isVariableStatement(s)) {
      const decls = s.declarationList.declarations.filter((d) => {
        const names = new Set<string>();
        bindingNames(d.name, names);
        return ![...names].some((n) => redeclared.get(n)?.value);
      });
      if (decls.length === s.declarationList.declarations.length) print(s);
      else if (decls.length > 0) print(ts.factory.updateVariableStatement(s, s.modifiers, ts.factory.updateVariableDeclarationList(s.declarationList, decls)));
      continue;
    }
    if (ts.isImportDeclaration(s) && s.importClause) {
      const clause = s.importClause;
      const keep = (nameNode: ts.Identifier): boolean => {
        const m = declaredMeanings(checker, s, nameNode);
        const c = conflicts(nameNode.text, m);
        if (c.type && !c.value && m.value && !redeclared.get(nameNode.text)?.value) anyValues.push(nameNode.text);
        return !c.value && !c.type;
      };
      const name = clause.name && keep(clause.name) ? clause.name : undefined;
      let bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) {
        if (!keep(bindings.name)) bindings = undefined;
      } else if (bindings) {
        const elements = bindings.elements.filter((el) => keep(el.name));
        bindings = elements.length > 0 ? ts.factory.updateNamedImports(bindings, elements) : undefined;
      }
      if (name === clause.name && bindings === clause.namedBindings) print(s);
      else if (name || bindings)
        print(ts.factory.updateImportDeclaration(s, s.modifiers, ts.factory.updateImportClause(clause, clause.isTypeOnly, name, bindings), s.moduleSpecifier, s.assertClause));
      continue;
    }
    const names = [...declaredNames(s)];
    if (names.length === 0) {
      print(s);
      continue;
    }
    const name = names[0]!;
    const m = declaredMeanings(checker, s, undefined);
    const c = conflicts(name, m);
    if (!c.value && !c.type) {
      print(s);
    } else if ((ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && c.type && !c.value && !redeclared.get(name)?.value) {
      anyValues.push(name);
    }
  }
  const anys = [...new Set(anyValues)].map((n) => `let ${n}: any;\n`);
  return kept.map((k) => `${k}\n`).join("") + anys.join("");
}
