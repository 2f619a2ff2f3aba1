import { createHash } from "node:crypto";

/** RateLimitOptions: each token may make `burst` requests at once, refilled at `perSecond`. */
export interface RateLimitOptions {
  perSecond: number;
  burst: number;
}

/** DEFAULT_RATE_LIMIT is generous: a real client never meets it unless it loops. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perSecond: 500, burst: 5000 };

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * RateLimiter is a token bucket per caller key (a hash of the bearer token, or the
 * client address for unauthenticated requests). It uses the real monotonic clock, not
 * the server's injectable `now`, which governs invitation expiry only.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly options: RateLimitOptions,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** take spends one request for `key`; it returns 0 when allowed, else the seconds to wait (≥ 1). */
  take(key: string): number {
    const now = this.clock();
    const bucket = this.buckets.get(key) ?? { tokens: this.options.burst, at: now };
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.options.perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 10_000) this.evictFull();
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.options.perSecond));
  }

  private evictFull(): void {
    for (const [key, b] of this.buckets) if (b.tokens >= this.options.burst - 1) this.buckets.delete(key);
  }
}

/** rateLimitKey identifies a caller without keeping its token: a hash of the Authorization header, or the address. */
export function rateLimitKey(authorization: string | undefined, address: string): string {
  return authorization ? `t:${createHash("sha256").update(authorization).digest("base64url")}` : `a:${address}`;
}
