/**
 * Internal: {@link TextVectorization}'s Keras config (`get_config()` keys) to constructor
 * arguments, and the checks of a vocabulary set by hand.
 *
 * @module
 */
import { DataError, InvalidArgumentError, describeValue } from "../errors";
import type { TextVectorizationArgs, TextVectorizationConfig } from "./text-vectorization-types";

/** The constructor arguments a Keras config describes; rejects what has no counterpart here. */
export function argsFromConfig(config: TextVectorizationConfig): TextVectorizationArgs {
  if (typeof config !== "object" || config === null) {
    throw new InvalidArgumentError("`config` must be an object of Keras' get_config() keys. Received: config=" + describeValue(config));
  }
  if (config.sparse === true || config.ragged === true) {
    throw new InvalidArgumentError(
      "`sparse` and `ragged` outputs are not supported: set both to false. " +
        `Received: sparse=${describeValue(config.sparse)}, ragged=${describeValue(config.ragged)}`,
    );
  }
  if (config.encoding !== undefined && config.encoding !== "utf-8") {
    throw new InvalidArgumentError('`encoding` must be "utf-8". Received: encoding=' + describeValue(config.encoding));
  }
  return {
    maxTokens: config.max_tokens ?? null,
    standardize: config.standardize === undefined ? "lower_and_strip_punctuation" : config.standardize,
    split: config.split === undefined ? "whitespace" : config.split,
    ngrams: config.ngrams ?? null,
    outputMode: config.output_mode ?? "int",
    outputSequenceLength: config.output_sequence_length ?? null,
    padToMaxTokens: config.pad_to_max_tokens ?? false,
  };
}

/**
 * The learned tokens of a vocabulary set by hand, special tokens removed from the front as
 * Keras' `set_vocabulary` does; rejects duplicates and special tokens elsewhere.
 */
export function learnedTokens(vocabulary: readonly string[], specials: readonly string[]): string[] {
  if (!Array.isArray(vocabulary) || !vocabulary.every((t) => typeof t === "string")) {
    throw new InvalidArgumentError("`vocabulary` must be an array of strings. Received: vocabulary=" + describeValue(vocabulary));
  }
  const tokens = specials.every((t, i) => vocabulary[i] === t) ? vocabulary.slice(specials.length) : vocabulary.slice();
  const seen = new Set<string>();
  tokens.forEach((t, i) => {
    if (specials.includes(t) || t === "" || t === "[UNK]") {
      throw new DataError(
        `\`vocabulary\` may hold the special tokens ${JSON.stringify(specials)} only at its start. Received: vocabulary[${i}]=${describeValue(t)}`,
      );
    }
    if (seen.has(t)) throw new DataError(`\`vocabulary\` must not repeat a token. Received: ${describeValue(t)} twice`);
    seen.add(t);
  });
  return tokens;
}

/** Checks tf-idf weights against the learned tokens: one finite number each. */
export function checkIdfWeights(idfWeights: unknown, count: number): Float32Array {
  if (!Array.isArray(idfWeights) && !(idfWeights instanceof Float32Array)) {
    throw new InvalidArgumentError(
      '`idfWeights` must be given with outputMode "tf_idf": one weight per learned token. Received: idfWeights=' + describeValue(idfWeights),
    );
  }
  const w = Array.from(idfWeights as ArrayLike<unknown>);
  if (w.length !== count || !w.every((v) => typeof v === "number" && Number.isFinite(v))) {
    throw new InvalidArgumentError(
      `\`idfWeights\` must hold ${count} finite numbers, one per learned token. Received: idfWeights=${describeValue(w)}`,
    );
  }
  return Float32Array.from(w as number[]);
}
