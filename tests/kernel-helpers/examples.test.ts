import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { projectRoot } from "../support/project";
import surface from "./fixtures/public-surface.json";

// Every TSDoc `@example` of kernel-helpers runs here: each ```ts block becomes a small program
// against the built package (the root's names it uses are imported for it), is type-checked
// with the project's strict settings, and runs. An expression statement ending in a comment
// that reads as a value (`padSequences([[1]]); // [[1]]`) is checked against it (numbers to
// 1e-6 relative, tensors through arraySync); `// throws "text"` checks that the line throws a
// message containing the text.
//
// Every example must run, with its stated values checked. Examples that read a user's files (`data/AAPL.csv`,
// `data/filings.csv`) run in a scratch folder holding the course lesson's own copies, taken
// from SEQLAB_LESSON_DATA (default ../shared/data/aapl, beside the project).
const lessonData = path.resolve(projectRoot, process.env.SEQLAB_LESSON_DATA ?? path.join("..", "shared", "data", "aapl"));

const helpersDir = path.join(projectRoot, "kernel-helpers");
const workDir = path.join(projectRoot, "dist", "tests", "kernel-helpers", ".examples");

interface Example {
  /** Source file relative to kernel-helpers/. */
  file: string;
  /** 1-based line of the example's code in that file. */
  line: number;
  code: string;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "dist" || e.name === "node_modules" || e.name === "native" ? [] : sourceFiles(full);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** The ```ts blocks of every @example tag in a file. */
function examplesOf(file: string): Example[] {
  const text = fs.readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const out: Example[] = [];
  const seen = new Set<number>();
  const visit = (node: ts.Node): void => {
    for (const tag of ts.getJSDocTags(node)) {
      if (tag.tagName.text !== "example" || seen.has(tag.pos)) continue;
      seen.add(tag.pos);
      const comment = ts.getTextOfJSDocComment(tag.comment) ?? "";
      const tagLine = source.getLineAndCharacterOfPosition(tag.pos).line + 1;
      for (const m of comment.matchAll(/```(?:ts|typescript)\n([\s\S]*?)```/g)) {
        const before = comment.slice(0, m.index).split("\n").length;
        out.push({ file: path.relative(helpersDir, file), line: tagLine + before, code: m[1] });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** The expected value a trailing comment states, or undefined when it states none. */
function statedValue(comment: string): { kind: "value"; literal: string } | { kind: "throws"; text: string } | undefined {
  const c = comment.trim();
  const thrown = /^throws\b\s*(.*)$/.exec(c);
  if (thrown) {
    const quoted = /^"((?:[^"\\]|\\.)*)"/.exec(thrown[1]);
    return { kind: "throws", text: quoted ? (JSON.parse(`"${quoted[1]}"`) as string) : "" };
  }
  for (const candidate of [c, c.replace(/\s+\(.*\)$/, "")]) {
    try {
      const v: unknown = new Function(`"use strict"; return (${candidate});`)();
      if (isPlainData(v)) return { kind: "value", literal: candidate };
    } catch {
      // not a value: the comment is prose
    }
  }
  return undefined;
}

function isPlainData(v: unknown): boolean {
  if (v === null || ["number", "string", "boolean"].includes(typeof v)) return true;
  if (Array.isArray(v)) return v.every(isPlainData);
  return typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype && Object.values(v as object).every(isPlainData);
}

/** The example as a module exporting `run()`, with its checks inserted. */
function toProgram(example: Example): string {
  const source = ts.createSourceFile("x.ts", example.code, ts.ScriptTarget.ES2022, true);
  const imports: string[] = [];
  const body: string[] = [];
  const declared = new Set<string>();
  for (const stmt of source.statements) {
    const text = example.code.slice(stmt.getStart(source), stmt.end);
    if (ts.isImportDeclaration(stmt)) {
      imports.push(text);
      const names = stmt.importClause?.namedBindings;
      if (names && ts.isNamedImports(names)) names.elements.forEach((e) => declared.add(e.name.text));
      if (names && ts.isNamespaceImport(names)) declared.add(names.name.text);
      continue;
    }
    const trailing = ts.getTrailingCommentRanges(example.code, stmt.end)?.[0];
    const comment = trailing && trailing.kind === ts.SyntaxKind.SingleLineCommentTrivia ? example.code.slice(trailing.pos + 2, trailing.end) : "";
    const stated = ts.isExpressionStatement(stmt) && comment ? statedValue(comment) : undefined;
    const line = example.line + source.getLineAndCharacterOfPosition(stmt.getStart(source)).line;
    const where = JSON.stringify(`${example.file}:${line}`);
    const expr = ts.isExpressionStatement(stmt) ? example.code.slice(stmt.expression.getStart(source), stmt.expression.end) : "";
    if (stated?.kind === "value") body.push(`__check(${expr}, ${stated.literal}, ${where});`);
    else if (stated?.kind === "throws") body.push(`await __throws(async () => { ${expr}; }, ${JSON.stringify(stated.text)}, ${where});`);
    else body.push(text);
  }
  const identifiers = new Set(example.code.match(/[A-Za-z_$][\w$]*/g) ?? []);
  const root = surface["kernel-helpers"];
  const values = root.values.filter((n) => identifiers.has(n) && !declared.has(n));
  const types = root.types.filter((n) => identifiers.has(n) && !declared.has(n));
  // An internal module's example may use that module's own exports (by relative path, which
  // the package's exports map does not govern).
  const ownModule = path.join(helpersDir, "dist", example.file.replace(/\.ts$/, ""));
  const ownExports = fs.existsSync(`${ownModule}.js`) ? Object.keys(require(ownModule) as object) : [];
  const own = ownExports.filter((n) => identifiers.has(n) && !declared.has(n) && !values.includes(n));
  const ownSpecifier = JSON.stringify(path.relative(workDir, ownModule));
  const head = [
    ...(declared.has("tf") || !identifiers.has("tf") ? [] : ['import * as tf from "@tensorflow/tfjs-node";']),
    ...(declared.has("dfd") || !identifiers.has("dfd") ? [] : ['import * as dfd from "danfojs-node";']),
    ...(values.length ? [`import { ${values.join(", ")} } from "kernel-helpers";`] : []),
    ...(types.length ? [`import type { ${types.join(", ")} } from "kernel-helpers";`] : []),
    ...(own.length ? [`import { ${own.join(", ")} } from ${ownSpecifier};`] : []),
    'import { __check, __throws } from "./harness";',
  ];
  return [...head, ...imports, "export async function run(): Promise<void> {", ...body, "}", ""].join("\n");
}

const HARNESS = `
import { strict as assert } from "node:assert";
function plain(v: unknown): unknown {
  if (v !== null && typeof v === "object" && typeof (v as { arraySync?: unknown }).arraySync === "function" && "dtype" in (v as object)) {
    return (v as { arraySync(): unknown }).arraySync();
  }
  return v;
}
function near(a: unknown, b: unknown, at: string): void {
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isNaN(a) && Number.isNaN(b)) return;
    assert.ok(Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)), at + ": " + a + " is not " + b);
    return;
  }
  if (Array.isArray(b)) {
    assert.ok(Array.isArray(a) || ArrayBuffer.isView(a), at + ": expected an array, got " + JSON.stringify(a));
    const arr = Array.from(a as ArrayLike<unknown>);
    assert.equal(arr.length, b.length, at + ": length " + arr.length + " is not " + b.length);
    b.forEach((x, i) => near(arr[i], x, at + "[" + i + "]"));
    return;
  }
  if (b !== null && typeof b === "object") {
    assert.ok(a !== null && typeof a === "object", at + ": expected an object, got " + JSON.stringify(a));
    for (const [k, x] of Object.entries(b)) near((a as Record<string, unknown>)[k], x, at + "." + k);
    return;
  }
  assert.deepEqual(a, b, at);
}
export function __check(actual: unknown, expected: unknown, where: string): void {
  near(plain(actual), expected, where);
}
export async function __throws(f: () => Promise<void>, text: string, where: string): Promise<void> {
  await assert.rejects(f, (e: Error) => e.message.includes(text), where + ": expected an error containing " + JSON.stringify(text));
}
`;

interface Outcome {
  example: Example;
  error?: string;
}

function compileAll(examples: Example[]): Map<number, string> {
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  fs.writeFileSync(path.join(workDir, "harness.ts"), HARNESS);
  const files = examples.map((ex, i) => {
    const file = path.join(workDir, `example-${i}.ts`);
    fs.writeFileSync(file, toProgram(ex));
    return file;
  });
  const program = ts.createProgram([path.join(workDir, "harness.ts"), ...files], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ["node"],
    typeRoots: [path.join(projectRoot, "node_modules", "@types")],
    outDir: workDir,
    rootDir: workDir,
  });
  const errors = new Map<number, string>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const i = files.indexOf(d.file?.fileName ?? "");
    if (i < 0) continue;
    const message = `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
    errors.set(i, errors.has(i) ? `${errors.get(i)}; ${message}` : message);
  }
  program.emit();
  return errors;
}

describe("every @example of kernel-helpers runs", function () {
  this.timeout(600_000);
  const examples = sourceFiles(helpersDir).flatMap(examplesOf);
  // Two examples that must fail, so the runner is seen to check values and compile errors.
  const selfChecks: Example[] = [
    { file: "self-check.ts", line: 1, code: "padSequences([[1, 2]]); // [[1, 3]]\n" },
    { file: "self-check.ts", line: 2, code: "undefinedVariable.length;\n" },
  ];
  const all = [...examples, ...selfChecks];
  const outcomes: Outcome[] = all.map((example) => ({ example }));

  const startDir = process.cwd();
  after(() => process.chdir(startDir));

  before(async () => {
    const compileErrors = compileAll(all);
    const scratch = path.join(workDir, "cwd");
    fs.mkdirSync(path.join(scratch, "data"), { recursive: true });
    for (const name of ["AAPL.csv", "filings.csv"]) {
      const from = path.join(lessonData, name);
      assert.ok(fs.existsSync(from), `${from} is missing: set SEQLAB_LESSON_DATA to the folder holding the lesson's AAPL.csv and filings.csv`);
      fs.copyFileSync(from, path.join(scratch, "data", name));
    }
    process.chdir(scratch);
    for (let i = 0; i < all.length; i++) {
      if (compileErrors.has(i)) {
        outcomes[i].error = `does not compile: ${compileErrors.get(i)}`;
        continue;
      }
      try {
        const mod = require(path.join(workDir, `example-${i}.js`)) as { run(): Promise<void> };
        await mod.run();
      } catch (e) {
        outcomes[i].error = (e as Error).message.split("\n")[0];
      }
    }
  });

  it("fails an example whose stated value differs, or that does not compile", () => {
    const [wrong, undeclared] = outcomes.slice(examples.length);
    assert.match(wrong.error ?? "", /self-check.ts:1\[0\]\[1\]: 2 is not 3/);
    assert.match(undeclared.error ?? "", /does not compile: TS2304: Cannot find name 'undefinedVariable'/);
  });

  it("finds examples in every area", () => {
    assert.ok(examples.length > 100, `${examples.length} examples`);
    for (const area of ["text/", "timeseries/", "datasets/", "plots/", "errors.ts"]) {
      assert.ok(examples.some((e) => e.file.startsWith(area)), area);
    }
  });

  for (const file of [...new Set(examples.map((e) => e.file))].sort()) {
    it(`${file}: every example runs`, () => {
      const failed = outcomes.filter((o) => o.example.file === file && o.error);
      const lines = failed.map((o) => `  kernel-helpers/${o.example.file}:${o.example.line}: ${o.error}`);
      assert.equal(lines.length, 0, `\n${lines.join("\n")}`);
    });
  }
});
