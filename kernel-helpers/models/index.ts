/**
 * Models: Keras-style builders for sequence classification, forecasting and character
 * language models, and fused recurrent layers that train many times faster than tfjs-layers'.
 *
 * @module
 */
export { FusedLSTM, FusedGRU, FusedSimpleRNN, lstm, gru, simpleRNN } from "./fused-layers";
export type { FusedGRULayerArgs } from "./fused-layers";
export { withStandardRecurrentLayers } from "./_standard";
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
