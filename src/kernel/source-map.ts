/**
 * Just enough of the Source Map v3 format to map a compiled cell's stack frames back to
 * the cell: decoding inline maps and looking positions up.
 *
 * @module
 */

/** A 0-based position in a file. */
export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based column. */
  column: number;
}

/** One decoded mapping segment. */
interface Segment {
  column: number;
  source: Position;
}

/** A decoded source map: for each generated line, segments sorted by column. */
export interface SourceMap {
  /**
   * The original position of a generated position: the segment at or before `column` on
   * `line`, or the line's first segment when the column precedes every segment.
   *
   * @returns `undefined` when the line has no mapping.
   */
  lookup(pos: Position): Position | undefined;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function decodeVlq(text: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of text) {
    const digit = BASE64.indexOf(ch);
    if (digit < 0) throw new Error(`invalid base64 VLQ digit ${JSON.stringify(ch)}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/**
 * Decodes a source map's `mappings` field (single source).
 *
 * @param mappings The VLQ mappings string.
 * @returns The decoded map.
 * @throws {Error} On an invalid VLQ digit.
 * @example
 * ```ts
 * decodeMappings("AAAA").lookup({ line: 0, column: 0 }); // { line: 0, column: 0 }
 * ```
 */
export function decodeMappings(mappings: string): SourceMap {
  const lines: Segment[][] = [];
  let srcLine = 0;
  let srcCol = 0;
  for (const lineText of mappings.split(";")) {
    const segments: Segment[] = [];
    let column = 0;
    for (const seg of lineText.split(",")) {
      if (seg === "") continue;
      const f = decodeVlq(seg);
      column += f[0] ?? 0;
      if (f.length >= 4) {
        srcLine += f[2] ?? 0;
        srcCol += f[3] ?? 0;
        segments.push({ column, source: { line: srcLine, column: srcCol } });
      }
    }
    segments.sort((a, b) => a.column - b.column);
    lines.push(segments);
  }
  return {
    lookup({ line, column }) {
      const segs = lines[line];
      if (!segs || segs.length === 0) return undefined;
      let best = segs[0]!;
      for (const s of segs) {
        if (s.column <= column) best = s;
        else break;
      }
      return { line: best.source.line, column: best.source.column };
    },
  };
}

const MAP_COMMENT = "//# sourceMappingURL=data:application/json;base64,";

/** The length of the JSON object at the start of `text` (string-aware brace matching), or -1. */
function jsonObjectLength(text: string): number {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === "\\") escaped = true;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * Splits a compiled file into its code and the inline source maps in it (in order).
 * TypeScript may append more declarations right after a map comment on the same line, so
 * each comment's extent is found from its JSON, not from the end of the line.
 *
 * @param js Compiled JavaScript or declarations with `//# sourceMappingURL=data:...` comments.
 * @returns The code without those comments, and the decoded maps.
 * @example
 * ```ts
 * const { code, maps } = extractInlineSourceMaps(output);
 * ```
 */
export function extractInlineSourceMaps(js: string): { code: string; maps: SourceMap[] } {
  const maps: SourceMap[] = [];
  let code = "";
  let rest = js;
  for (let at = rest.indexOf(MAP_COMMENT); at >= 0; at = rest.indexOf(MAP_COMMENT)) {
    code += rest.slice(0, at);
    const b64 = /^[A-Za-z0-9+/=]*/.exec(rest.slice(at + MAP_COMMENT.length))?.[0] ?? "";
    const decoded = Buffer.from(b64, "base64").toString("latin1");
    const length = jsonObjectLength(decoded);
    let consumed = b64.length;
    if (length > 0) {
      consumed = Math.min(b64.length, Math.ceil(length / 3) * 4);
      try {
        const parsed = JSON.parse(Buffer.from(decoded.slice(0, length), "latin1").toString("utf8")) as { mappings?: unknown };
        if (typeof parsed.mappings === "string") maps.push(decodeMappings(parsed.mappings));
      } catch {
        // Not a map after all: drop the comment, keep going.
      }
    }
    rest = rest.slice(at + MAP_COMMENT.length + consumed);
    if (!rest.startsWith("\n") && rest.length > 0) code += "\n";
  }
  return { code: code + rest, maps };
}

/**
 * Composes maps: `maps[maps.length - 1]` maps the final file to the previous stage, and so on
 * down to `maps[0]`, which maps the first stage to the original source.
 *
 * @param maps Maps from the first compilation stage to the last.
 * @returns A map from the final file to the original source.
 * @example
 * ```ts
 * const toCell = composeMaps([tsToEsm, esmToCjs]);
 * ```
 */
export function composeMaps(maps: readonly SourceMap[]): SourceMap {
  return {
    lookup(pos) {
      let p: Position | undefined = pos;
      for (let i = maps.length - 1; i >= 0 && p; i--) p = maps[i]!.lookup(p);
      return p;
    },
  };
}
