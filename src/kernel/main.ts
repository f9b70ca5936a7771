#!/usr/bin/env node
/**
 * The seqlab kernel process, launched by Jupyter through the `seqlab` kernelspec:
 * `node dist/src/kernel/main.js --config-path {connection_file}`.
 *
 * Built on tslab's TypeScript compiler and executor.
 *
 * @module
 */
import { createConverter } from "tslab/dist/converter";
import { createExecutor, type ConverterSet } from "tslab/dist/executor";
import * as jupyter from "tslab/dist/jupyter";
import { installDisplaySink } from "./display-channel";

/** Reads `--config-path <file>` from the command line. */
function configPathFromArgs(argv: readonly string[]): string {
  const i = argv.indexOf("--config-path");
  const value = i >= 0 ? argv[i + 1] : undefined;
  if (!value) {
    console.error("usage: node dist/src/kernel/main.js --config-path <connection file>");
    process.exit(2);
  }
  return value;
}

/** Starts the kernel on the connection file Jupyter passed. */
export function startKernel(configPath: string): void {
  if (process.env.TF_CPP_MIN_LOG_LEVEL === undefined) process.env.TF_CPP_MIN_LOG_LEVEL = "2";
  let node: ReturnType<typeof createConverter> | undefined;
  const convs: ConverterSet = {
    get node() {
      node ??= createConverter({ isJS: false, isBrowser: false });
      return node;
    },
    get browser(): never {
      throw new Error("browser code is not supported by the seqlab kernel");
    },
    close() {
      node?.close();
    },
  };
  void convs.node;
  const executor = createExecutor(process.cwd(), convs, { log: console.log, error: console.error });
  installDisplaySink((content, update) => {
    const write = jupyter.lastWriteDisplayData;
    if (!write) throw new Error("display() was called outside a running cell");
    write(content as never, update);
  });
  const server = new jupyter.ZmqServer(new jupyter.JupyterHandlerImpl(executor, false), configPath);
  process.on("SIGINT", () => executor.interrupt());
  process.on("uncaughtException", (err) => console.error("UncaughtException:", err));
  process.on("unhandledRejection", (reason) => console.error("UnhandledPromiseRejection:", reason));
  void server.init();
}

if (require.main === module) startKernel(configPathFromArgs(process.argv));
