/**
 * `seqlab setup`: everything `npm install` needs beyond npm, idempotent and printed step by step.
 *
 * 1. build the TypeScript; 2. make tfjs-node load with the `tensorflow` backend;
 * 3. compile the fused recurrent kernels (never fatal: without a compiler the layers fall back
 *    to the standard ones); 4. create `.venv` with pinned JupyterLab, nbconvert, nbclient,
 *    nbformat and plotly; 5. register the `seqlab` kernel inside `.venv`; 6. install seqlab's
 *    JupyterLab extension (the Plotly renderer that redraws live displays) into `.venv`.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheDir, projectRoot } from "./paths";
import { freeBytes, formatGb } from "./disk";
import { buildFusedOps } from "./fused-ops";
import { ensureKernelSpec } from "./kernelspec";
import { ensureLabextension } from "./labextension";
import { runCommand, SetupError } from "./run";
import { ensureTensorflow, probeTensorflow, tensorflowCacheDir } from "./tensorflow";
import { ensureVenv } from "./venv";

/** Disk space a first install needs: the wheel, its extracted libraries and JupyterLab. */
export const FIRST_INSTALL_BYTES = 2.5e9;

/** One numbered step of the setup. */
interface Step {
  title: string;
  run: (log: (line: string) => void) => void;
}

/**
 * Runs every setup step in order, printing what each does.
 *
 * @param print Where progress lines go.
 * @throws {SetupError} From the first step that fails, with its remedy.
 */
export function runSetup(print: (line: string) => void = (l) => console.log(l)): void {
  const steps: Step[] = [
    {
      title: "build the TypeScript",
      run: (log) => {
        const tsc = path.join(projectRoot, "node_modules", "typescript", "bin", "tsc");
        const r = runCommand(process.execPath, [tsc, "-b"], { cwd: projectRoot, inherit: true });
        if (r.status !== 0) throw new SetupError("the TypeScript build failed (see the errors above).");
        log("dist/ and kernel-helpers/dist/ are up to date");
      },
    },
    {
      title: "TensorFlow for Node (@tensorflow/tfjs-node, backend tensorflow)",
      run: (log) => {
        if (!probeTensorflow().ok && !fs.existsSync(path.join(tensorflowCacheDir(), "extracted", ".complete"))) {
          const free = freeBytes(cacheDir());
          if (free < FIRST_INSTALL_BYTES) {
            throw new SetupError(
              `only ${formatGb(free)} free where the TensorFlow libraries are cached (${cacheDir()}); ` +
                `${formatGb(FIRST_INSTALL_BYTES)} are needed. Free some space, or point SEQLAB_CACHE_DIR at a larger disk, then run \`npm install\` again.`,
            );
          }
        }
        ensureTensorflow(log);
      },
    },
    {
      title: "fused recurrent kernels (LSTM, GRU, SimpleRNN as single TensorFlow ops)",
      run: (log) => {
        const result = buildFusedOps(log);
        log(result.ok ? result.message : `notice: ${result.message}`);
      },
    },
    { title: "Python environment .venv (JupyterLab, nbconvert, nbclient, plotly)", run: ensureVenv },
    { title: 'register the Jupyter kernel "seqlab"', run: ensureKernelSpec },
    { title: "JupyterLab extension: Plotly figures that redraw on display updates", run: ensureLabextension },
  ];
  const started = Date.now();
  steps.forEach((step, i) => {
    print(`[seqlab setup] ${i + 1}/${steps.length} ${step.title}`);
    step.run((line) => print(`    ${line}`));
  });
  print(`[seqlab setup] done in ${((Date.now() - started) / 1000).toFixed(1)} s. Next: \`npm start\` (JupyterLab) or \`npm run course\`.`);
}
