/**
 * Retry policy of the Access API client: which failures are retried, how long to wait
 * (exponential backoff with full jitter, or the server's Retry-After), all pure so the
 * policy is tested without a clock.
 */

/** RetryOptions tunes the client's retries; every field has a default (see DEFAULT_RETRY). */
export interface RetryOptions {
  /** retries is the number of extra attempts after the first (0 disables retrying). */
  retries?: number;
  /** baseDelayMs is the backoff ceiling of the first retry; it doubles per attempt. */
  baseDelayMs?: number;
  /** maxDelayMs caps the backoff ceiling (not a Retry-After the server asks for). */
  maxDelayMs?: number;
  /** maxRetryAfterMs: a Retry-After longer than this is not waited for; the error is surfaced. */
  maxRetryAfterMs?: number;
  /**
   * giveUpAfterMs: once the client has seen only connection failures (no answer at all)
   * for this long, across every request in flight, no request retries any more: the
   * server is taken as gone (see Reachability). Backoff waits are cut to end by then.
   */
  giveUpAfterMs?: number;
}

/** DEFAULT_RETRY: 8 retries make a request survive a 30 % fault rate with overwhelming odds (0.3^9 ≈ 2e-5). */
export const DEFAULT_RETRY: Required<RetryOptions> = {
  retries: 8,
  baseDelayMs: 100,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 60_000,
  giveUpAfterMs: 10_000,
};

/**
 * Reachability is the unreachability one client shares across its requests: since when
 * it has seen only connection failures (null: it has had an answer since), so a dead
 * server is given up in bounded time however many requests are in flight. Pure state;
 * the transport feeds it with `now`.
 */
export class Reachability {
  private failingSince: number | null = null;

  constructor(private readonly giveUpAfterMs: number) {}

  /** answered records any HTTP answer, whatever its status: the server is there. */
  answered(): void {
    this.failingSince = null;
  }

  /** failed records a connection failure at `now`. */
  failed(now: number): void {
    if (this.failingSince === null) this.failingSince = now;
  }

  /** gaveUp tells whether the client has seen only connection failures for giveUpAfterMs at `now`. */
  gaveUp(now: number): boolean {
    return this.failingSince !== null && now - this.failingSince >= this.giveUpAfterMs;
  }

  /** remainingMs is how long retries may still wait at `now` before the client gives up (Infinity while answers come). */
  remainingMs(now: number): number {
    return this.failingSince === null ? Infinity : Math.max(0, this.failingSince + this.giveUpAfterMs - now);
  }
}

/** RETRYABLE_STATUSES are the answers a retry may cure: rate limiting and transient server failures. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** isRetryableStatus: status 0 (network error, timeout, dropped connection) and RETRYABLE_STATUSES. */
export function isRetryableStatus(status: number): boolean {
  return status === 0 || RETRYABLE_STATUSES.has(status);
}

/**
 * backoffDelay is the "full jitter" delay before retry number `attempt` (1-based):
 * a uniform draw in [0, min(maxDelayMs, baseDelayMs · 2^(attempt-1))). `random` returns [0, 1).
 */
export function backoffDelay(attempt: number, policy: Required<RetryOptions>, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * parseRetryAfter reads a Retry-After header (delta-seconds or an HTTP date) as
 * milliseconds from `nowMs`; undefined when absent or malformed. A date in the past is 0.
 */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (text === "") return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (/^\d/.test(text)) return undefined; // "1.5", "10s": not a delta-seconds and not a date
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * retryDelay decides the wait before retry number `attempt`, or null to give up:
 * the server's Retry-After when it sent one (given up on past maxRetryAfterMs),
 * otherwise backoffDelay.
 */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  policy: Required<RetryOptions>,
  random: () => number,
): number | null {
  if (attempt > policy.retries) return null;
  if (retryAfterMs !== undefined) return retryAfterMs > policy.maxRetryAfterMs ? null : retryAfterMs;
  return backoffDelay(attempt, policy, random);
}
