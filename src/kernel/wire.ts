/**
 * The Jupyter wire protocol over ZeroMQ: splitting routing identities from the signed
 * message frames, checking the HMAC signature, and signing replies.
 *
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { parseHeader, ProtocolError, type MessageHeader } from "./messages";

const DELIMITER = Buffer.from("<IDS|MSG>");

/** A message as it comes off a socket, before its content is validated. */
export interface WireMessage {
  /** ZeroMQ routing identities, copied to replies. */
  identities: Buffer[];
  /** The message header. */
  header: MessageHeader;
  /** The parent header (may be empty). */
  parentHeader: Record<string, unknown>;
  /** Metadata. */
  metadata: Record<string, unknown>;
  /** Content, validated later per `msg_type`. */
  content: unknown;
}

/** Signs and decodes messages with the connection file's key. */
export interface WireCodec {
  /**
   * Decodes raw frames.
   *
   * @throws {ProtocolError} On a missing delimiter, a bad signature or malformed JSON.
   */
  decode(frames: readonly Buffer[]): WireMessage;
  /** Encodes a message to frames ready to send. */
  encode(identities: readonly Buffer[], header: MessageHeader, parent: object, metadata: object, content: object): Buffer[];
  /** A fresh header for a message of `msgType` answering `parent`. */
  header(msgType: string, parent: MessageHeader | undefined): MessageHeader;
}

function parseJsonFrame(frame: Buffer | undefined, what: string): unknown {
  if (frame === undefined) throw new ProtocolError(`message is missing its ${what} frame`);
  try {
    return JSON.parse(frame.toString("utf8"));
  } catch (err) {
    throw new ProtocolError(`message ${what} is not JSON: ${(err as Error).message}`);
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

/**
 * Creates the codec for a connection.
 *
 * @param key The HMAC-SHA256 key from the connection file (`""` disables signing).
 * @returns The codec.
 * @example
 * ```ts
 * const codec = createWireCodec(connection.key);
 * const msg = codec.decode(frames);
 * ```
 */
export function createWireCodec(key: string): WireCodec {
  function sign(parts: readonly Buffer[]): string {
    if (key === "") return "";
    const hmac = createHmac("sha256", key);
    for (const p of parts) hmac.update(p);
    return hmac.digest("hex");
  }
  return {
    decode(frames) {
      const at = frames.findIndex((f) => f.equals(DELIMITER));
      if (at < 0) throw new ProtocolError("message is missing the <IDS|MSG> delimiter");
      const signature = frames[at + 1]?.toString("ascii") ?? "";
      const parts = frames.slice(at + 2, at + 6);
      if (parts.length < 4) throw new ProtocolError("message has fewer than 4 frames after its signature");
      const expected = sign(parts);
      if (key !== "") {
        const a = Buffer.from(signature);
        const b = Buffer.from(expected);
        if (a.length !== b.length || !timingSafeEqual(a, b)) throw new ProtocolError("message signature is invalid");
      }
      return {
        identities: frames.slice(0, at),
        header: parseHeader(parseJsonFrame(parts[0], "header")),
        parentHeader: asRecord(parseJsonFrame(parts[1], "parent header")),
        metadata: asRecord(parseJsonFrame(parts[2], "metadata")),
        content: parseJsonFrame(parts[3], "content"),
      };
    },
    encode(identities, header, parent, metadata, content) {
      const parts = [header, parent, metadata, content].map((p) => Buffer.from(JSON.stringify(p), "utf8"));
      return [...identities, DELIMITER, Buffer.from(sign(parts), "ascii"), ...parts];
    },
    header(msgType, parent) {
      return {
        msg_id: randomBytes(16).toString("hex"),
        session: parent?.session ?? "",
        username: parent?.username ?? "kernel",
        date: new Date().toISOString(),
        msg_type: msgType,
        version: "5.3",
      };
    },
  };
}
