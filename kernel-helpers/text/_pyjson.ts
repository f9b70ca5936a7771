/**
 * Internal: JSON written exactly as Python's `json.dumps` writes it with default settings
 * (`", "` and `": "` separators, non-ASCII escaped as `\uXXXX`), and an order-preserving
 * reader for flat JSON objects (JavaScript objects move integer-like keys first, Python
 * dicts keep insertion order).
 *
 * @module
 */
import { DataError } from "../errors";

/** A value Python's json module can write. */
export type PyJsonValue = null | boolean | number | string | PyJsonValue[] | PyJsonEntries;

/** An object as ordered entries, so key order survives. */
export class PyJsonEntries {
  /** @param entries Key/value pairs in output order. */
  constructor(public readonly entries: ReadonlyArray<readonly [string | number, PyJsonValue]>) {}
}

/** Writes a string literal like Python's `json.dumps(s)` (ensure_ascii=True). */
export function pyDumpString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(start, i);
    start = i + 1;
    switch (c) {
      case 0x22: out += '\\"'; break;
      case 0x5c: out += "\\\\"; break;
      case 0x0a: out += "\\n"; break;
      case 0x0d: out += "\\r"; break;
      case 0x09: out += "\\t"; break;
      case 0x08: out += "\\b"; break;
      case 0x0c: out += "\\f"; break;
      default: out += "\\u" + c.toString(16).padStart(4, "0");
    }
  }
  return out + s.slice(start) + '"';
}

/** Writes a number like Python's json module (integers without a decimal point). */
function pyDumpNumber(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  return String(n);
}

/** Writes `value` like Python's `json.dumps(value)`. */
export function pyDumps(value: PyJsonValue): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return pyDumpNumber(value);
  if (typeof value === "string") return pyDumpString(value);
  if (Array.isArray(value)) return "[" + value.map(pyDumps).join(", ") + "]";
  const parts: string[] = [];
  for (const [k, v] of value.entries) parts.push(pyDumpString(String(k)) + ": " + pyDumps(v));
  return "{" + parts.join(", ") + "}";
}

const WS = /[ \t\n\r]*/y;
const STRING = /"(?:[^"\\]|\\.)*"/y;
const NUMBER = /-?(?:\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?|NaN|-?Infinity/y;

/**
 * Reads a flat JSON object `{"key": value, ...}` whose values are numbers or strings,
 * keeping key order.
 *
 * @param text The JSON text.
 * @param name What the text is, for error messages.
 * @returns The entries in file order.
 * @throws {DataError} When the text is not such an object.
 */
export function parseFlatObject(text: string, name: string): Array<[string, number | string]> {
  let pos = 0;
  const fail = (): never => {
    throw new DataError(
      `\`${name}\` must be a JSON object of strings or numbers, as Keras' Tokenizer.to_json() writes it. ` +
        `Could not read it at character ${pos}. Received: ${name}=${JSON.stringify(text.slice(0, 60))}`,
    );
  };
  const skip = (): void => {
    WS.lastIndex = pos;
    WS.exec(text);
    pos = WS.lastIndex;
  };
  const token = (re: RegExp): string | null => {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) return null;
    pos = re.lastIndex;
    return m[0];
  };
  const out: Array<[string, number | string]> = [];
  skip();
  if (text[pos] !== "{") fail();
  pos++;
  skip();
  if (text[pos] === "}") return out;
  for (;;) {
    skip();
    const k = token(STRING) ?? fail();
    skip();
    if (text[pos] !== ":") fail();
    pos++;
    skip();
    let value: number | string;
    const s = token(STRING);
    if (s !== null) value = JSON.parse(s) as string;
    else {
      const n = token(NUMBER) ?? fail();
      value = n === "NaN" ? NaN : n === "Infinity" ? Infinity : n === "-Infinity" ? -Infinity : Number(n);
    }
    out.push([JSON.parse(k) as string, value]);
    skip();
    if (text[pos] === ",") {
      pos++;
      continue;
    }
    if (text[pos] === "}") break;
    fail();
  }
  return out;
}
