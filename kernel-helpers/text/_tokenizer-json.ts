/**
 * Internal: reading Keras' `Tokenizer.to_json()` layout.
 *
 * @module
 */
import { DataError, describeValue } from "../errors";
import { parseFlatObject } from "./_pyjson";
import type { TokenizerArgs, TokenizerJson } from "./tokenizer-types";

/** What a saved tokenizer holds: its arguments and its five vocabularies. @internal */
export interface _ParsedTokenizer {
  args: TokenizerArgs;
  wordCounts: Array<[string, number]>;
  wordDocs: Array<[string, number]>;
  indexDocs: Array<[number, number]>;
  wordIndex: Array<[string, number]>;
  indexWord: Array<[number, string]>;
}

function numbersOf(entries: Array<[string, number | string]>, name: string): Array<[string, number]> {
  return entries.map(([k, v]) => {
    if (typeof v !== "number") throw new DataError(`\`${name}["${k}"]\` must be a number. Received: ${describeValue(v)}`);
    return [k, v];
  });
}

function intKey(k: string, name: string): number {
  const n = Number(k);
  if (!Number.isInteger(n)) throw new DataError(`\`${name}\` keys must be integers. Received: key ${describeValue(k)}`);
  return n;
}

/** Reads Keras' tokenizer JSON. @internal */
export function _parseTokenizerJson(json: string | TokenizerJson): _ParsedTokenizer {
  let parsed: unknown;
  if (typeof json === "string") {
    try {
      parsed = JSON.parse(json);
    } catch (e) {
      throw new DataError(`\`json\` must be the text of Tokenizer.toJSON(). It is not valid JSON (${(e as Error).message}). Received: json=${describeValue(json)}`);
    }
  } else parsed = json;
  const config = (parsed as { config?: unknown } | null)?.config;
  if (typeof config !== "object" || config === null) {
    throw new DataError(
      `\`json\` must have Keras' layout {"class_name": "Tokenizer", "config": {...}}. Received: json=${describeValue(json)}`,
    );
  }
  const c = config as Record<string, unknown>;
  const vocab = (key: string): Array<[string, number | string]> => {
    const v = c[key];
    if (v === undefined) return [];
    if (typeof v !== "string") throw new DataError(`\`config.${key}\` must be a JSON string. Received: ${describeValue(v)}`);
    return parseFlatObject(v, `config.${key}`);
  };
  return {
    args: {
      numWords: c.num_words as number | null | undefined,
      filters: c.filters as string | undefined,
      lower: c.lower as boolean | undefined,
      split: c.split as string | undefined,
      charLevel: c.char_level as boolean | undefined,
      oovToken: c.oov_token as string | null | undefined,
      documentCount: c.document_count as number | undefined,
    },
    wordCounts: numbersOf(vocab("word_counts"), "word_counts"),
    wordDocs: numbersOf(vocab("word_docs"), "word_docs"),
    indexDocs: numbersOf(vocab("index_docs"), "index_docs").map(([k, v]) => [intKey(k, "index_docs"), v]),
    wordIndex: numbersOf(vocab("word_index"), "word_index"),
    indexWord: vocab("index_word").map(([k, v]) => [intKey(k, "index_word"), String(v)]),
  };
}
