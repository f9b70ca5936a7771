import { strict as assert } from "node:assert";
import { parseHeader, parseRequest, ProtocolError } from "../../../src/kernel/messages";
import { createWireCodec } from "../../../src/kernel/wire";

describe("Jupyter messages", () => {
  it("parseRequest() types an execute_request and fills protocol defaults", () => {
    assert.deepEqual(parseRequest("execute_request", { code: "1" }), {
      msg_type: "execute_request",
      content: { code: "1", silent: false, store_history: true, stop_on_error: true },
    });
  });

  it("parseRequest() rejects a request without its required fields", () => {
    assert.throws(() => parseRequest("execute_request", {}), (e: unknown) => e instanceof ProtocolError && /`code` must be a string/.test(e.message));
    assert.throws(() => parseRequest("complete_request", { code: "x", cursor_pos: -1 }), /`cursor_pos` must be a non-negative integer. Received: -1/);
  });

  it("parseRequest() returns undefined for message types the kernel does not handle", () => {
    assert.equal(parseRequest("debug_request", {}), undefined);
  });

  it("parseHeader() requires msg_id and msg_type", () => {
    assert.throws(() => parseHeader({ msg_type: "x" }), /`msg_id` must be a string/);
  });

  it("the wire codec round-trips a signed message and rejects a bad signature", () => {
    const codec = createWireCodec("secret");
    const header = codec.header("execute_request", undefined);
    const frames = codec.encode([Buffer.from("client")], header, {}, {}, { code: "1 + 1" });
    const msg = codec.decode(frames);
    assert.deepEqual(msg.identities, [Buffer.from("client")]);
    assert.equal(msg.header.msg_type, "execute_request");
    assert.deepEqual(msg.content, { code: "1 + 1" });
    const tampered = [...frames];
    tampered[tampered.length - 1] = Buffer.from(JSON.stringify({ code: "evil()" }));
    assert.throws(() => codec.decode(tampered), /signature is invalid/);
  });
});
