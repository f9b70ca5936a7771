/**
 * Where the grading queue lives: a `redis://host:port[/db]` address from `--queue`, parsed into
 * the connection options BullMQ passes to ioredis, and the queue's name.
 *
 * @module
 */
import type { ConnectionOptions } from "bullmq";
import { UsageError } from "../../errors";

/** The BullMQ queue every instructor and worker shares on one Redis. */
export const QUEUE_NAME = "seqlab-grade";

/**
 * Parses a `--queue` address.
 *
 * @param url `redis://[user:password@]host[:port][/db]` (or `rediss://` for TLS).
 * @returns ioredis options for BullMQ: commands wait through a Redis restart instead of failing.
 * @throws {Error} When the address is not a Redis URL, with the form expected.
 * @example
 * ```ts
 * parseQueueUrl("redis://grader.example.org:6379/2"); // { host: "grader.example.org", port: 6379, db: 2, ... }
 * ```
 */
export function parseQueueUrl(url: string): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--queue must be a Redis address like redis://host:6379. Received: --queue ${url}`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new UsageError(`--queue must start with redis:// (or rediss:// for TLS). Received: --queue ${url}`);
  }
  if (!parsed.hostname) throw new UsageError(`--queue names no host. Received: --queue ${url}`);
  const port = parsed.port ? Number(parsed.port) : 6379;
  const dbText = parsed.pathname.replace(/^\//, "");
  const db = dbText ? Number(dbText) : 0;
  if (!Number.isInteger(db) || db < 0) throw new UsageError(`--queue: the database after the port must be a number. Received: --queue ${url}`);
  return {
    host: parsed.hostname,
    port,
    db,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === "rediss:" ? { tls: {} } : {}),
    // Keep retrying through a Redis restart (BullMQ requires this for workers).
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  };
}
