import type { Db } from "../db/open.js";
import type { IdempotencyRow } from "./rows.js";

/** StoredAnswer is the first answer to an idempotent POST, replayed on a repeat. */
export interface StoredAnswer {
  status: number;
  body: unknown;
  etag: string | null;
}

/**
 * idempotencyRepository stores first answers by (scope, key) with a hash of the request
 * they answered. A record created at or before a cutoff (now − retention) is expired: it
 * is never answered, and is deleted when looked up or purged.
 */
export function idempotencyRepository(db: Db) {
  const get = db.prepare<[string, string], IdempotencyRow>("SELECT * FROM idempotency_keys WHERE scope = ? AND key = ?");
  const remove = db.prepare<[string, string]>("DELETE FROM idempotency_keys WHERE scope = ? AND key = ?");
  const purge = db.prepare<[number, number]>(
    `DELETE FROM idempotency_keys WHERE rowid IN
       (SELECT rowid FROM idempotency_keys WHERE created_at <= ? ORDER BY created_at LIMIT ?)`,
  );
  const put = db.prepare(
    `INSERT INTO idempotency_keys (scope, key, request_hash, status, body, etag, created_at)
     VALUES (@scope, @key, @requestHash, @status, @body, @etag, @createdAt)`,
  );
  return {
    /** get is the unexpired record of (scope, key); an expired one is deleted and reads as none. */
    get(scope: string, key: string, expiredAtOrBefore: number): IdempotencyRow | undefined {
      const row = get.get(scope, key);
      if (row && row.created_at <= expiredAtOrBefore) {
        remove.run(scope, key);
        return undefined;
      }
      return row;
    },
    /** purgeExpired deletes up to `limit` expired records, oldest first, and tells how many went. */
    purgeExpired: (expiredAtOrBefore: number, limit: number) => purge.run(expiredAtOrBefore, limit).changes,
    put: (scope: string, key: string, requestHash: string, answer: StoredAnswer, now: number) =>
      void put.run({ scope, key, requestHash, status: answer.status, body: JSON.stringify(answer.body), etag: answer.etag, createdAt: now }),
  };
}
