/**
 * The fused kernels' AVX2+FMA and SSE code paths, not only the building host's: `seqlab setup`
 * compiles with `-march=native`, so on an AVX-512 machine every other test runs the AVX-512
 * path, while most laptops run the AVX2 one. Here the op library is built (recurrent sources
 * only) for `-march=haswell` (AVX2+FMA, no AVX-512) and `-march=x86-64` (SSE2) into temporary
 * folders, its instructions are checked to be that target's, and a child mocha with
 * `SEQLAB_FUSED_BUILD_DIR` pointing there runs every case of `fused-kernel-paths.test.js`
 * (LSTM, GRU in both reset forms and SimpleRNN, masked, both directions, 1 to 130 rows, 13, 16,
 * 32 and 40 units, against the standard layers) after `_fused-isa-child.js` has checked that
 * the child loaded that library and no other. Skipped only when the compiler cannot build for
 * the target (or the machine is not x86-64).
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { OPS_LIBRARY_NAME } from "kernel-helpers/contract";
import { buildFusedOps } from "../../../src/setup/fused-ops";

/** The sources the recurrent layers need: the build skips Adam, Dense and the losses. */
const RECURRENT_SOURCES = ["lstm_ops.cc", "gru_ops.cc", "simple_rnn_ops.cc"];

interface IsaTarget {
  march: string;
  label: string;
  /** Registers and instructions the target's vector code must use. */
  uses: RegExp[];
  /** Registers of wider vector sets it must not use. */
  avoids: RegExp;
}

const TARGETS: IsaTarget[] = [
  { march: "haswell", label: "AVX2+FMA, no AVX-512", uses: [/%ymm\d/, /\tvfmadd\w+ /], avoids: /%zmm\d/ },
  { march: "x86-64", label: "SSE2", uses: [/\tmulps +%xmm\d/], avoids: /%[yz]mm\d/ },
];

const MOCHA = require.resolve("mocha/bin/mocha.js");
const CHILD_SPECS = [path.join(__dirname, "_fused-isa-child.js"), path.join(__dirname, "fused-kernel-paths.test.js")];

/** Why `g++` cannot compile for `march` here, or null when it can. */
function cannotTarget(march: string): string | null {
  if (process.arch !== "x64") return `this machine is ${process.arch}, not x86-64`;
  const r = spawnSync("g++", [`-march=${march}`, "-x", "c++", "-c", "-o", os.devNull, os.devNull], { encoding: "utf8" });
  if (r.error) return "g++ could not be run";
  return r.status === 0 ? null : `g++ cannot build for -march=${march}: ${r.stderr.trim().split("\n")[0]}`;
}

for (const target of TARGETS) {
  describe(`fused kernels built for -march=${target.march} (${target.label})`, function () {
    let dir = "";
    let library = "";

    before(function () {
      this.timeout(1_800_000);
      const reason = cannotTarget(target.march);
      if (reason !== null) {
        console.log(`    skipped: ${reason}`);
        this.skip();
      }
      dir = fs.mkdtempSync(path.join(os.tmpdir(), `seqlab-fused-${target.march}-`));
      library = path.join(dir, OPS_LIBRARY_NAME);
      const start = Date.now();
      const result = buildFusedOps(() => undefined, { buildDir: dir, march: target.march, sources: RECURRENT_SOURCES });
      assert.ok(result.ok, result.message);
      console.log(`    built for -march=${target.march} in ${((Date.now() - start) / 1000).toFixed(0)} s`);
    });

    after(function () {
      if (dir !== "") fs.rmSync(dir, { recursive: true, force: true });
    });

    it(`uses ${target.label} vector registers and no wider ones`, function () {
      this.timeout(300_000);
      const r = spawnSync("objdump", ["-d", "--no-show-raw-insn", library], {
        encoding: "utf8",
        maxBuffer: 1 << 30,
      });
      assert.equal(r.status, 0, `objdump failed: ${r.error?.message ?? r.stderr}`);
      for (const used of target.uses) assert.match(r.stdout, used);
      const wider = r.stdout.split("\n").find((line) => target.avoids.test(line));
      assert.equal(wider, undefined, `the library uses wider vector registers than -march=${target.march}: ${wider}`);
    });

    it("passes every fused-kernel-paths case in a process that loaded this library", function () {
      this.timeout(1_800_000);
      const env: NodeJS.ProcessEnv = { ...process.env, SEQLAB_FUSED_BUILD_DIR: dir, SEQLAB_FUSED_MARCH: target.march };
      delete env.SEQLAB_FUSED;
      const r = spawnSync(
        process.execPath,
        [MOCHA, "--no-config", "--exit", "--reporter", "spec", "--timeout", "600000", ...CHILD_SPECS],
        { env, encoding: "utf8", maxBuffer: 1 << 26, timeout: 1_700_000 },
      );
      const out = `${r.stdout}\n${r.stderr}`;
      assert.equal(r.status, 0, `the child mocha failed (status ${r.status}, ${r.error?.message ?? ""}):\n${out.slice(-6000)}`);
      assert.ok(out.includes(`fused op library: ${library}`), `the child did not report loading ${library}:\n${out.slice(-3000)}`);
      const passing = Number(/(\d+) passing/.exec(out)?.[1] ?? 0);
      assert.ok(passing >= 40, `only ${passing} cases passed:\n${out.slice(-3000)}`);
      assert.doesNotMatch(out, /\d+ (pending|failing)/);
      console.log(`    ${passing} cases passed in the child`);
    });
  });
}
