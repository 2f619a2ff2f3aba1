import type { Db } from "../db/open.js";
import type { IdempotencyRow } from "./rows.js";

/** StoredAnswer is the first answer to an idempotent POST, replayed on a repeat. */
export interface StoredAnswer {
  status: number;
  body: unknown;
  etag: string | null;
}

/** idempotencyRepository stores first answers by (scope, key) with a hash of the request they answered. */
export function idempotencyRepository(db: Db) {
  const get = db.prepare<[string, string], IdempotencyRow>("SELECT * FROM idempotency_keys WHERE scope = ? AND key = ?");
  const put = db.prepare(
    `INSERT INTO idempotency_keys (scope, key, request_hash, status, body, etag, created_at)
     VALUES (@scope, @key, @requestHash, @status, @body, @etag, @createdAt)`,
  );
  return {
    get: (scope: string, key: string) => get.get(scope, key),
    put: (scope: string, key: string, requestHash: string, answer: StoredAnswer, now: number) =>
      void put.run({ scope, key, requestHash, status: answer.status, body: JSON.stringify(answer.body), etag: answer.etag, createdAt: now }),
  };
}
