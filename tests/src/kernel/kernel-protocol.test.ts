import { strict as assert } from "node:assert";
import { iopubOf, KernelDriver, plain, type ExecuteResult, startTestKernel } from "./_kernel-driver";

describe("seqlab kernel: execution, errors and the protocol", function () {
  this.timeout(180_000);
  let kernel: KernelDriver;

  before(async function () {
    kernel = await startTestKernel();
  });
  after(async () => {
    await kernel?.stop();
  });

  it("kernel_info_reply reports TypeScript and strict checking from tsconfig.json in its banner", async () => {
    const { reply } = await kernel.send<{ reply: { banner: string; language_info: { name: string; file_extension: string } } }>({ op: "kernel_info" });
    assert.equal(reply.language_info.name, "typescript");
    assert.equal(reply.language_info.file_extension, ".ts");
    assert.match(reply.banner, /^seqlab TypeScript kernel \(tslab 1\.0\.22 compiler, TypeScript /);
    assert.match(reply.banner, /Type checking: strict \(from \.\.\/\.\.\/\.\.\/tsconfig\.json\): noImplicitAny, strictNullChecks/);
  });

  it("execute_request sends execute_input, stdout streams and an execute_result with the execution count", async () => {
    const r = await kernel.execute('const answer: number = 40;\nconsole.log("hello");\nanswer + 2');
    assert.equal(r.reply.status, "ok");
    const input = iopubOf(r, "execute_input");
    const result = iopubOf(r, "execute_result");
    assert.equal(input?.content.execution_count, r.reply.execution_count);
    assert.deepEqual(iopubOf(r, "stream")?.content, { name: "stdout", text: "hello\n" });
    assert.equal(result?.content.execution_count, r.reply.execution_count);
    assert.deepEqual(result?.content.data, { "text/plain": "42" });
    assert.deepEqual(r.iopub.map((m) => m.msg_type), ["status", "execute_input", "stream", "execute_result", "status"]);
  });

  it("a thrown exception gives an error message and reply with ename, evalue and a traceback in cell lines", async () => {
    const r = await kernel.execute('function check(n: number): number {\n\n  if (n > 1) throw new RangeError(`too big: ${n}`);\n  return n;\n}\ncheck(answer)');
    const count = r.reply.execution_count;
    assert.equal(r.reply.status, "error");
    assert.equal(r.reply.ename, "RangeError");
    assert.equal(r.reply.evalue, "too big: 40");
    const err = iopubOf(r, "error");
    assert.deepEqual({ ...err?.content }, { ename: "RangeError", evalue: "too big: 40", traceback: r.reply.traceback });
    const tb = (r.reply.traceback ?? []).map(plain);
    assert.equal(tb[0], "RangeError: too big: 40");
    assert.equal(tb[1], `at check (cell ${count}, line 3)`);
    assert.match(tb[2] ?? "", /^\s+3 \|   if \(n > 1\) throw new RangeError/);
    assert.ok(tb.includes(`at cell ${count}, line 6`), tb.join("\n"));
    assert.ok(!tb.some((l) => /seqlab-cell|\.js:\d+/.test(l)), tb.join("\n"));
  });

  it("the next cell after an error runs normally", async () => {
    const r = await kernel.execute("answer * 2");
    assert.equal(r.reply.status, "ok");
    assert.deepEqual(iopubOf(r, "execute_result")?.content.data, { "text/plain": "80" });
  });

  it("a shorthand property can use a variable from an earlier cell", async () => {
    const r = await kernel.execute("const pair = { answer, twice: answer * 2 };\nJSON.stringify(pair)");
    assert.equal(r.reply.status, "ok", JSON.stringify(r.reply));
    assert.deepEqual(iopubOf(r, "execute_result")?.content.data, { "text/plain": "'{\"answer\":40,\"twice\":80}'" });
  });

  it("a rejected promise gives the rejection's class, message and cell line", async () => {
    const r = await kernel.execute('const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));\nawait sleep(1);\nawait Promise.reject(new TypeError("async failure"));');
    assert.equal(r.reply.status, "error");
    assert.equal(r.reply.ename, "TypeError");
    assert.equal(r.reply.evalue, "async failure");
    assert.ok((r.reply.traceback ?? []).map(plain).includes(`at cell ${r.reply.execution_count}, line 3`));
    assert.equal(iopubOf(r, "error")?.content.ename, "TypeError");
  });

  it("a promise rejected without await fails the cell that created it", async () => {
    const r = await kernel.execute('Promise.reject(new SyntaxError("nobody awaited me"));\nconsole.log("after");');
    assert.equal(r.reply.status, "error");
    assert.equal(r.reply.ename, "SyntaxError");
    assert.equal(r.reply.evalue, "nobody awaited me");
  });

  it("a TypeScript type error is a TypeScriptError naming the cell, line and code", async () => {
    const r = await kernel.execute("const fine = 1;\nconst n: number = \"text\";");
    assert.equal(r.reply.status, "error");
    assert.equal(r.reply.ename, "TypeScriptError");
    assert.equal(r.reply.evalue, `cell ${r.reply.execution_count}, line 2: Type 'string' is not assignable to type 'number'. (TS2322)`);
    const tb = (r.reply.traceback ?? []).map(plain);
    assert.equal(tb[1], '     2 | const n: number = "text";');
    assert.equal(iopubOf(r, "error")?.content.evalue, r.reply.evalue);
    assert.equal(iopubOf(r, "stream"), undefined);
  });

  it("cells are checked with the project's strict options (implicit any, possibly undefined)", async () => {
    const implicitAny = await kernel.execute("function twice(x) { return x * 2; }");
    assert.equal(implicitAny.reply.ename, "TypeScriptError");
    assert.match(implicitAny.reply.evalue ?? "", /Parameter 'x' implicitly has an 'any' type\. \(TS7006\)$/);
    const maybe = await kernel.execute("const m = new Map<string, number>();\nm.get(\"a\").toFixed();");
    assert.match(maybe.reply.evalue ?? "", /line 2: Object is possibly 'undefined'\. \(TS2532\)$/);
  });

  it("a thrown non-Error value still gives a proper error", async () => {
    const r = await kernel.execute('throw "just a string";');
    assert.equal(r.reply.status, "error");
    assert.equal(r.reply.ename, "UncaughtValue");
    assert.match(r.reply.evalue ?? "", /^'just a string'/);
  });

  it("requests queued behind a failing cell are aborted, and the next one sent afterwards runs", async () => {
    const { results } = await kernel.send<{ results: ExecuteResult[] }>({
      op: "execute_many",
      codes: ['await new Promise((resolve) => setTimeout(resolve, 300));\nthrow new Error("first fails");', "console.log('queued 1')", "console.log('queued 2')"],
    });
    assert.deepEqual(results.map((r) => r.reply.status), ["error", "aborted", "aborted"]);
    assert.equal(results.flatMap((r) => r.iopub).filter((m) => m.msg_type === "stream").length, 0);
    assert.equal(results[0]?.reply.evalue, "first fails");
    const next = await kernel.execute("6 * 7");
    assert.equal(next.reply.status, "ok");
    assert.deepEqual(iopubOf(next, "execute_result")?.content.data, { "text/plain": "42" });
  });

  it("a trailing semicolon suppresses the result, and undefined shows nothing", async () => {
    const suppressed = await kernel.execute("answer + 1; // comment");
    assert.equal(suppressed.reply.status, "ok");
    assert.equal(iopubOf(suppressed, "execute_result"), undefined);
    const undef = await kernel.execute("console.log('x')");
    assert.equal(iopubOf(undef, "execute_result"), undefined);
  });

  it("complete_request returns tslab's completions", async () => {
    await kernel.execute("const greeting = { sayHello: () => 'hi', sayBye: () => 'bye' };");
    const { reply } = await kernel.send<{ reply: { status: string; matches: string[]; cursor_start: number; cursor_end: number } }>({
      op: "complete",
      code: "greeting.say",
      cursor_pos: 12,
    });
    assert.equal(reply.status, "ok");
    assert.deepEqual(reply.matches, ["sayBye", "sayHello"]);
    assert.deepEqual([reply.cursor_start, reply.cursor_end], [9, 12]);
  });

  it("inspect_request returns the type at the cursor", async () => {
    const { reply } = await kernel.send<{ reply: { found: boolean; data: { "text/plain"?: string } } }>({ op: "inspect", code: "answer", cursor_pos: 3 });
    assert.equal(reply.found, true);
    assert.equal(reply.data["text/plain"], "const answer: number");
  });

  it("restart clears variables and the execution count, and the kernel runs again", async () => {
    await kernel.send({ op: "restart" });
    const r = await kernel.execute("typeof (globalThis as Record<string, unknown>).answer");
    assert.equal(r.reply.status, "ok");
    assert.equal(r.reply.execution_count, 1);
    const gone = await kernel.execute("answer");
    assert.equal(gone.reply.ename, "TypeScriptError");
    assert.match(gone.reply.evalue ?? "", /Cannot find name 'answer'/);
  });
});

describe("seqlab kernel: the first cells, sent while the compiler warms up", function () {
  this.timeout(180_000);
  let kernel: KernelDriver;

  before(async function () {
    // Cells go out right after the kernel is ready (its first kernel_info_reply), when the warm-up starts.
    kernel = await startTestKernel();
  });
  after(async () => {
    await kernel?.stop();
  });

  it("a type error, a result, the import cell and a cell after it all come out as without a warm-up", async () => {
    const bad = await kernel.execute('const s: string = 1;');
    assert.equal(bad.reply.ename, "TypeScriptError");
    assert.equal(bad.reply.evalue, `cell ${bad.reply.execution_count}, line 1: Type 'number' is not assignable to type 'string'. (TS2322)`);
    const first = await kernel.execute("1 + 1");
    assert.equal(iopubOf(first, "execute_result")?.content.data?.["text/plain"], "2");
    const imports = await kernel.execute('import * as tf from "@tensorflow/tfjs-node";\nimport { Tokenizer } from "kernel-helpers";');
    assert.equal(imports.reply.status, "ok", imports.reply.evalue);
    const after = await kernel.execute("const t = tf.tensor1d([1, 2, 3]);\nt.shape[0] + (typeof Tokenizer === \"function\" ? 0 : 1)");
    assert.equal(after.reply.status, "ok", after.reply.evalue);
    assert.equal(iopubOf(after, "execute_result")?.content.data?.["text/plain"], "3");
    const typed = await kernel.execute("const n: number = t;");
    assert.match(typed.reply.evalue ?? "", /line 1: Type 'Tensor1D' is not assignable to type 'number'\. \(TS2322\)$/);
  });
});
