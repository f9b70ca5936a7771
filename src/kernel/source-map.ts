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

const INLINE_MAP = /\n?\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*/g;

/**
 * Splits a compiled file into its code and the inline source maps appended to it (in order).
 *
 * @param js Compiled JavaScript, possibly ending with `//# sourceMappingURL=data:...` lines.
 * @returns The code without those lines, and the decoded maps.
 * @example
 * ```ts
 * const { code, maps } = extractInlineSourceMaps(output);
 * ```
 */
export function extractInlineSourceMaps(js: string): { code: string; maps: SourceMap[] } {
  const maps: SourceMap[] = [];
  const code = js.replace(INLINE_MAP, (_m, b64: string) => {
    try {
      const parsed = JSON.parse(Buffer.from(b64, "base64").toString("utf8")) as { mappings?: unknown };
      if (typeof parsed.mappings === "string") maps.push(decodeMappings(parsed.mappings));
    } catch {
      // A comment that merely looks like a map: keep going without it.
    }
    return "\n";
  });
  return { code, maps };
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
