/**
 * `charVocabulary`: the character table of a text, for character-level language models.
 *
 * @module
 */
import { DataError, InvalidArgumentError, describeValue } from "../errors";
import { assertString } from "../errors";

/**
 * A token table: ids are positions in `tokens`.
 *
 * @example
 * ```ts
 * const v: CharVocabulary = charVocabulary("Call me Ishmael. Some years ago, never mind how long");
 * v.decode(v.encode("whale")); // "whale"
 * ```
 */
export interface CharVocabulary {
  /** The distinct characters (Unicode code points), sorted by code point. */
  readonly tokens: readonly string[];
  /** Character → id. */
  readonly tokenToId: ReadonlyMap<string, number>;
  /** Number of distinct characters. */
  readonly size: number;
  /**
   * Text → ids.
   * @throws {DataError} When the text has a character outside the vocabulary.
   */
  encode(text: string): Int32Array;
  /**
   * Ids → text.
   * @throws {DataError} When an id is not in `[0, size)`.
   */
  decode(ids: ArrayLike<number>): string;
}

function codePointCompare(a: string, b: string): number {
  return a.codePointAt(0)! - b.codePointAt(0)!;
}

/**
 * Builds the character vocabulary of a text, as Keras' character-level text generation
 * example does (`chars = sorted(set(text))`): ids follow code point order.
 *
 * @param text The corpus (for example the book).
 * @returns The vocabulary with `encode`/`decode`.
 * @throws {InvalidArgumentError} When `text` is not a string or is empty.
 * @example
 * ```ts
 * const vocab = charVocabulary("hello");
 * vocab.tokens;             // ["e", "h", "l", "o"]
 * vocab.encode("hole");     // Int32Array [1, 3, 2, 0]
 * vocab.decode([1, 0]);     // "he"
 * ```
 */
export function charVocabulary(text: string): CharVocabulary {
  assertString(text, "text");
  if (text.length === 0) {
    throw new InvalidArgumentError('`text` must be a non-empty string to build a vocabulary from. Received: text=""');
  }
  const set = new Set<string>();
  for (const c of text) set.add(c);
  const tokens = Array.from(set).sort(codePointCompare);
  const tokenToId = new Map(tokens.map((c, i) => [c, i]));
  return {
    tokens,
    tokenToId,
    size: tokens.length,
    encode(s: string): Int32Array {
      assertString(s, "text");
      const out = new Int32Array(s.length);
      let n = 0;
      for (const c of s) {
        const id = tokenToId.get(c);
        if (id === undefined) {
          throw new DataError(
            `\`text\` has a character that is not in the vocabulary (position ${n}): use only characters of the corpus. ` +
              `Received: ${describeValue(c)} (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")})`,
          );
        }
        out[n++] = id;
      }
      return n === out.length ? out : out.slice(0, n);
    },
    decode(ids: ArrayLike<number>): string {
      let s = "";
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i];
        if (!Number.isInteger(id) || id < 0 || id >= tokens.length) {
          throw new DataError(
            `\`ids[${i}]\` must be an integer in [0, ${tokens.length}). Received: ids[${i}]=${describeValue(id)}`,
          );
        }
        s += tokens[id];
      }
      return s;
    },
  };
}
