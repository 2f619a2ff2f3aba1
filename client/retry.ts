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
}

/** DEFAULT_RETRY: 8 retries make a request survive a 30 % fault rate with overwhelming odds (0.3^9 ≈ 2e-5). */
export const DEFAULT_RETRY: Required<RetryOptions> = {
  retries: 8,
  baseDelayMs: 100,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 60_000,
};

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
