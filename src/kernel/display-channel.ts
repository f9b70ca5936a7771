/**
 * The kernel's side of the display channel through which code running inside the kernel
 * (kernel-helpers' `display`) sends Jupyter display messages. The key, the types and the
 * installer are the shared contract's (`kernel-helpers` `contract/display-sink.ts`, which
 * documents the sink's behaviour); the kernel installs its sink once, in `main.ts`.
 *
 * The sibling channel for interrupts is in `interrupt-channel.ts`.
 *
 * @module
 */
export { DISPLAY_SINK_KEY, installDisplaySink } from "kernel-helpers/contract";
export type { DisplayContent, DisplaySink } from "kernel-helpers/contract";
