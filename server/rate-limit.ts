import type { FastifyInstance, FastifyRequest } from "fastify";
import ipaddr from "ipaddr.js";
import { HttpError } from "./http-error.js";

/**
 * RateLimitOptions: each caller may make `burst` requests at once, refilled at
 * `perSecond`; `maxKeys` bounds how many callers' buckets are remembered (least
 * recently used first out; a forgotten caller starts again with a full bucket).
 */
export interface RateLimitOptions {
  perSecond: number;
  burst: number;
  maxKeys?: number;
}

/** DEFAULT_RATE_LIMIT is generous: a real client never meets it unless it loops. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perSecond: 500, burst: 5000 };

/** DEFAULT_MAX_KEYS is how many callers' buckets the limiter remembers unless told otherwise. */
export const DEFAULT_MAX_KEYS = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * RateLimiter is a token bucket per caller key in a bounded LRU map: O(1) per request
 * and at most `maxKeys` buckets. The key being charged is the most recently used, so it
 * is never the one evicted: flooding the limiter with new keys forgets only callers
 * that have gone quiet. It uses the real monotonic clock, not the server's injectable
 * `now`, which governs invitation and idempotency expiry only.
 */
export class RateLimiter {
  /** buckets in least-recently-used-first order (a Map iterates in insertion order). */
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxKeys: number;

  constructor(
    private readonly options: RateLimitOptions,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
    if (!(options.perSecond > 0 && options.burst >= 1 && Number.isSafeInteger(this.maxKeys) && this.maxKeys >= 1)) {
      throw new RangeError(`invalid rate limit ${JSON.stringify(options)}: perSecond > 0, burst ≥ 1, maxKeys a whole number ≥ 1`);
    }
  }

  /** take spends one request for `key`; it returns 0 when allowed, else the seconds to wait (≥ 1). */
  take(key: string): number {
    const now = this.clock();
    let bucket = this.buckets.get(key);
    if (bucket) {
      this.buckets.delete(key); // re-inserted below as the most recently used
      bucket.tokens = Math.min(this.options.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.options.perSecond);
      bucket.at = now;
    } else {
      bucket = { tokens: this.options.burst, at: now };
    }
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.options.perSecond));
  }

  /** size is how many buckets are remembered (never more than maxKeys). */
  get size(): number {
    return this.buckets.size;
  }
}

/**
 * rateLimitKey identifies the caller a request is charged to: the hash of its API
 * token once authenticated (however the `Bearer` scheme is spelt), else its client
 * address (see addressKey), so junk tokens share their sender's bucket. Routes marked
 * `config: { rateLimitBy: "address" }` (accepting an invitation) always charge the address.
 */
export function rateLimitKey(request: FastifyRequest): string {
  const byAddress = (request.routeOptions.config as { rateLimitBy?: string } | undefined)?.rateLimitBy === "address";
  return !byAddress && request.identity.kind === "token" ? `t:${request.identity.tokenHash}` : `a:${addressKey(request.ip)}`;
}

/**
 * addressKey is the part of a client address one caller controls: an IPv4 address whole
 * (also when written IPv4-mapped, `::ffff:192.0.2.1`), an IPv6 address by its /64 prefix,
 * since one host is routinely handed a whole /64 and could otherwise take a fresh bucket
 * per address. Anything unparsable is used as it is.
 */
export function addressKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const parsed = ipaddr.process(ip);
  if (parsed.kind() === "ipv4") return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(":")}::/64`;
}

/** registerRateLimit answers 429 rate_limited with Retry-After once a caller's bucket is empty; register it after authentication. */
export function registerRateLimit(app: FastifyInstance, limiter: RateLimiter): void {
  app.addHook("onRequest", async (request) => {
    const wait = limiter.take(rateLimitKey(request));
    if (wait > 0) {
      throw new HttpError(429, "rate_limited", `too many requests: retry after ${wait}s`, { retryAfterSeconds: wait }, {
        "retry-after": String(wait),
      });
    }
  });
}
