/**
 * Internal: {@link TextVectorization}'s Keras config (`get_config()` keys) to constructor
 * arguments, and the checks of a vocabulary set by hand.
 *
 * @module
 */
import { DataError, InvalidArgumentError, assertBoolean, assertOneOf, describeValue } from "../errors";
import type {
  TextVectorizationArgs,
  TextVectorizationConfig,
  TextVectorizationOutputMode,
  TextVectorizationSplit,
  TextVectorizationStandardize,
} from "./text-vectorization-types";

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
    vocabulary: config.vocabulary ?? null,
    idfWeights: config.idf_weights ?? null,
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

/** The constructor's arguments with Keras' defaults applied, each checked. */
export function resolveArgs(args: TextVectorizationArgs): {
  maxTokens: number | null;
  outputMode: TextVectorizationOutputMode;
  osl: number | null;
  standardize: TextVectorizationStandardize;
  split: TextVectorizationSplit;
  ngrams: number[] | null;
  padToMaxTokens: boolean;
} {
  const maxTokens = args.maxTokens ?? null;
  if (maxTokens !== null && (!Number.isInteger(maxTokens) || maxTokens <= 1)) {
    throw new InvalidArgumentError(
      "If set, `maxTokens` must be an integer greater than 1 (it counts the special tokens). Received: maxTokens=" +
        describeValue(maxTokens),
    );
  }
  const outputMode = args.outputMode ?? "int";
  assertOneOf(outputMode, ["int", "multi_hot", "count", "tf_idf"] as const, "outputMode");
  const osl = args.outputSequenceLength ?? null;
  if (osl !== null) {
    if (!Number.isInteger(osl) || osl <= 0) {
      throw new InvalidArgumentError(
        "`outputSequenceLength` must be a positive integer or null. Received: outputSequenceLength=" + describeValue(osl),
      );
    }
    if (outputMode !== "int") {
      throw new InvalidArgumentError(
        '`outputSequenceLength` must only be set with outputMode "int". Received: outputMode=' +
          describeValue(outputMode) + ", outputSequenceLength=" + osl,
      );
    }
  }
  const standardize = args.standardize === undefined ? "lower_and_strip_punctuation" : args.standardize;
  if (typeof standardize !== "function" && standardize !== null) {
    assertOneOf(standardize, ["lower_and_strip_punctuation", "lower", "strip_punctuation"] as const, "standardize");
  }
  const split = args.split === undefined ? "whitespace" : args.split;
  if (typeof split !== "function" && split !== null) assertOneOf(split, ["whitespace", "character"] as const, "split");
  let ngrams: number[] | null = null;
  if (args.ngrams !== undefined && args.ngrams !== null) {
    const g = args.ngrams;
    const widths = typeof g === "number" ? Array.from({ length: Number.isInteger(g) && g > 0 ? g : 0 }, (_, i) => i + 1) : Array.from(g);
    if (widths.length === 0 || !widths.every((n) => Number.isInteger(n) && n > 0)) {
      throw new InvalidArgumentError(
        "`ngrams` must be a positive integer, an array of positive integers, or null. Received: ngrams=" + describeValue(g),
      );
    }
    ngrams = widths;
  }
  const padToMaxTokens = args.padToMaxTokens ?? false;
  assertBoolean(padToMaxTokens, "padToMaxTokens");
  if (padToMaxTokens && maxTokens === null) {
    throw new InvalidArgumentError("If `padToMaxTokens` is true, `maxTokens` must be set. Received: maxTokens=null");
  }
  return { maxTokens, outputMode, osl, standardize, split, ngrams, padToMaxTokens };
}
