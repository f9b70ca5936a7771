import { strict as assert } from "node:assert";
import { parseQueueUrl } from "../../../../src/notebooks/queue/connection";

describe("parseQueueUrl()", () => {
  it("reads host, port, database and credentials of a redis:// address", () => {
    const c = parseQueueUrl("redis://grader:s%40cret@queue.example.org:6380/2") as Record<string, unknown>;
    assert.deepEqual([c.host, c.port, c.db, c.username, c.password, c.maxRetriesPerRequest], ["queue.example.org", 6380, 2, "grader", "s@cret", null]);
    const d = parseQueueUrl("redis://127.0.0.1") as Record<string, unknown>;
    assert.deepEqual([d.host, d.port, d.db], ["127.0.0.1", 6379, 0]);
    assert.ok("tls" in (parseQueueUrl("rediss://q.example.org:6379") as object));
  });

  it("rejects what is not a Redis address, naming the expected form", () => {
    assert.throws(() => parseQueueUrl("localhost:6379"), /--queue must start with redis:\/\/ \(or rediss:\/\/ for TLS\)\. Received: --queue localhost:6379/);
    assert.throws(() => parseQueueUrl("http://q:6379"), /must start with redis:\/\//);
    assert.throws(() => parseQueueUrl("not a url"), /--queue must be a Redis address like redis:\/\/host:6379\. Received: --queue not a url/);
    assert.throws(() => parseQueueUrl("redis://q:6379/x"), /the database after the port must be a number/);
  });
});
