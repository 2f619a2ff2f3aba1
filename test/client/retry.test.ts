import { describe, expect, it } from "vitest";
import { backoffDelay, DEFAULT_RETRY, isRetryableStatus, parseRetryAfter, retryDelay } from "../../client/retry.js";

const policy = { ...DEFAULT_RETRY, retries: 5, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 30_000 };
const NOW = Date.parse("2026-11-27T12:00:00Z");

describe("parseRetryAfter", () => {
  it.each([
    ["delta seconds", "3", 3_000],
    ["zero", "0", 0],
    ["padded", "  7 ", 7_000],
    ["HTTP date in the future", "Fri, 27 Nov 2026 12:00:10 GMT", 10_000],
    ["HTTP date in the past", "Fri, 27 Nov 2026 11:59:00 GMT", 0],
    ["array takes the first", ["2", "9"], 2_000],
    ["absent", undefined, undefined],
    ["empty", "", undefined],
    ["fractional", "1.5", undefined],
    ["unit suffix", "10s", undefined],
    ["garbage", "soon", undefined],
  ] as const)("%s", (_name, header, expected) => {
    expect(parseRetryAfter(header as string | string[] | undefined, NOW)).toBe(expected);
  });
});

describe("backoffDelay (full jitter)", () => {
  it.each([
    [1, 0.999, 99],
    [2, 0.999, 199],
    [3, 0.5, 200],
    [4, 0.999, 799],
    [5, 0.999, 999], // capped by maxDelayMs
    [12, 0.999, 999],
    [3, 0, 0],
  ])("attempt %i with random %f waits %i ms", (attempt, r, expected) => {
    expect(backoffDelay(attempt, policy, () => r)).toBe(expected);
  });
});

describe("retryDelay", () => {
  it.each([
    ["backoff when no Retry-After", 1, undefined, 50],
    ["Retry-After wins over backoff", 1, 2_000, 2_000],
    ["a Retry-After longer than maxRetryAfterMs gives up", 1, 31_000, null],
    ["past the last retry gives up", 6, undefined, null],
    ["the last retry still waits", 5, undefined, 500],
  ] as const)("%s", (_name, attempt, retryAfter, expected) => {
    expect(retryDelay(attempt, retryAfter, policy, () => 0.5)).toBe(expected);
  });
});

describe("isRetryableStatus", () => {
  it.each([
    [0, true],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [409, false],
    [412, false],
    [422, false],
    [501, false],
  ])("%i → %s", (status, expected) => {
    expect(isRetryableStatus(status)).toBe(expected);
  });
});
