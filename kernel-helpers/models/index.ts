/**
 * Models: Keras-style builders for sequence classification, forecasting and character
 * language models, and fused recurrent layers that train many times faster than tfjs-layers'.
 *
 * Importing this module installs the helpers' process-wide global patches (fused layers behind
 * `tf.layers.lstm/gru/simpleRNN` and the class registry; see `_recurrent-patches.ts`), as the
 * kernel does explicitly; `uninstallPatches(helperPatches())` from `kernel-helpers/contract`
 * undoes them.
 *
 * @module
 */
import { installPatches } from "../contract/global-patches";
import { HELPER_PATCHES } from "./_recurrent-patches";

installPatches(HELPER_PATCHES);

export { FusedLSTM, FusedGRU, FusedSimpleRNN, lstm, gru, simpleRNN } from "./fused-layers";
export type { FusedGRULayerArgs } from "./fused-layers";
export { withStandardRecurrentLayers } from "./_recurrent-patches";
export { setFusedNoticeHandler } from "./_notice";
export type { NoticeHandler } from "./_notice";
export { fusedOpsStatus } from "./_native";
export type { FusedOpsStatus } from "./_native";
export { buildSequenceClassifier, buildForecaster, buildCharLanguageModel } from "./builders";
export type {
  SequenceClassifierArgs,
  ForecasterArgs,
  CharLanguageModelArgs,
  RecurrentCellType,
  RecurrentImpl,
} from "./builders";
