import { randomUUID } from "node:crypto";
import { Pool } from "undici";
import { ApiError } from "../errors.js";
import type { ApiErrorBody } from "../schema/api.js";
import { DEFAULT_RETRY, isRetryableStatus, parseRetryAfter, Reachability, retryDelay, type RetryOptions } from "./retry.js";
import { parseBaseUrl } from "./url.js";
import { USER_AGENT } from "./version.js";

/**
 * The HTTP layer of the Access API client: one undici Pool for the API's origin,
 * bearer auth, JSON in and out, typed ApiError, retries, call counts. It knows
 * nothing of the routes (client/index.ts does). The token lives only in this
 * module's closure and the Authorization header: never in an error, a count or a log.
 */

/** HttpMethod is every method the Access API uses. */
export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/** CallCounts counts logical calls by method (a retried call counts once), reads (GET), writes (the rest), and extra attempts. */
export interface CallCounts {
  GET: number;
  POST: number;
  PATCH: number;
  PUT: number;
  DELETE: number;
  reads: number;
  writes: number;
  /** retries counts attempts after the first, over all calls. */
  retries: number;
}

/** TransportOptions: see createClient (client/index.ts). */
export interface TransportOptions {
  baseUrl: string;
  token?: string;
  timeoutMs?: number;
  retry?: RetryOptions;
  /** random returns [0, 1); injectable so backoff is reproducible in tests. */
  random?: () => number;
  /** sleep waits `ms`; injectable so tests do not wait. */
  sleep?: (ms: number) => Promise<void>;
  /** now is the clock Retry-After dates and the give-up window (retry.giveUpAfterMs) are read against. */
  now?: () => number;
  /** connections caps the pool's sockets to the origin (default 16). */
  connections?: number;
  /** userAgent is sent as User-Agent (default `antryk-access/<version>`, which the server records as the client of every change). */
  userAgent?: string;
}

/** RequestSpec is one logical call; `idempotencyKey` and `ifMatch` become headers, the key reused by every retry. */
export interface RequestSpec {
  method: HttpMethod;
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  ifMatch?: number;
  idempotencyKey?: string;
  /** auth: false sends no Authorization header (accepting an invitation). */
  auth?: boolean;
  /** manager is sent as `X-Antryk-Manager` (a write made for that manager; "" clears the marker). */
  manager?: string;
}

/** Transport sends RequestSpecs; `request` resolves with the parsed JSON body (undefined for 204). */
export interface Transport {
  readonly baseUrl: string;
  request<T>(spec: RequestSpec): Promise<T>;
  /** gaveUp tells whether the client has seen only connection failures for retry.giveUpAfterMs: no request retries any more. */
  gaveUp(): boolean;
  readonly calls: CallCounts;
  resetCalls(): void;
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** createTransport validates the URL (ConfigError for plain http off loopback) and opens one keep-alive pool to its origin. */
export function createTransport(options: TransportOptions): Transport {
  const { origin, prefix, display } = parseBaseUrl(options.baseUrl);
  const token = options.token;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const policy = { ...DEFAULT_RETRY, ...definedOnly(options.retry ?? {}) };
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const userAgent = options.userAgent ?? USER_AGENT;
  const pool = new Pool(origin, {
    connections: options.connections ?? 16,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connect: { timeout: timeoutMs },
  });
  let counts = emptyCounts();
  let closed = false;
  const reach = new Reachability(policy.giveUpAfterMs);

  const redact = (text: string): string => (token && text.includes(token) ? text.split(token).join("[redacted]") : text);

  async function attempt(spec: RequestSpec, path: string, key: string | undefined): Promise<Outcome> {
    const headers: Record<string, string> = { accept: "application/json", "user-agent": userAgent };
    if (spec.auth !== false && token) headers.authorization = `Bearer ${token}`;
    if (spec.ifMatch !== undefined) headers["if-match"] = `"${spec.ifMatch}"`;
    if (key !== undefined) headers["idempotency-key"] = key;
    if (spec.manager !== undefined) headers["x-antryk-manager"] = spec.manager;
    let body: string | undefined;
    if (spec.body !== undefined) {
      body = JSON.stringify(spec.body);
      headers["content-type"] = "application/json";
    }
    try {
      const res = await pool.request({ method: spec.method, path, headers, body: body ?? null });
      const text = await res.body.text();
      reach.answered();
      return { kind: "answer", status: res.statusCode, headers: res.headers, text };
    } catch (err) {
      reach.failed(now());
      return { kind: "network", error: err };
    }
  }

  async function request<T>(spec: RequestSpec): Promise<T> {
    const path = prefix + spec.path + queryString(spec.query);
    if (closed) throw networkError(spec.method, path, display, "the client is closed", undefined, redact);
    counts[spec.method] += 1;
    if (spec.method === "GET") counts.reads += 1;
    else counts.writes += 1;
    // Every POST carries an Idempotency-Key, the same on every retry, so a retry after a lost answer replays the first one.
    const key = spec.method === "POST" ? (spec.idempotencyKey ?? randomUUID()) : spec.idempotencyKey;
    for (let n = 1; ; n += 1) {
      const outcome = await attempt(spec, path, key);
      const error =
        outcome.kind === "network"
          ? networkError(spec.method, path, display, describeNetworkError(outcome.error, timeoutMs), outcome.error, redact)
          : outcome.status >= 300 && outcome.status < 400
            ? redirectError(spec.method, path, outcome, redact)
            : outcome.status >= 400
              ? answerError(spec.method, path, outcome, redact)
              : null;
      if (error === null && outcome.kind === "answer") return parseBody<T>(outcome, spec, path, redact);
      if (error === null) throw new Error("unreachable: an outcome is an answer or a network error");
      if (closed || !isRetryableStatus(error.status) || reach.gaveUp(now())) throw error;
      const retryAfter = outcome.kind === "answer" ? parseRetryAfter(outcome.headers["retry-after"], now()) : undefined;
      const delay = retryDelay(n, retryAfter, policy, random);
      if (delay === null) throw error;
      counts.retries += 1;
      // A wait never runs past the moment the client gives up on an unreachable server.
      await sleep(Math.min(delay, reach.remainingMs(now())));
      if (reach.gaveUp(now())) throw error;
    }
  }

  return {
    baseUrl: display,
    request,
    gaveUp: () => reach.gaveUp(now()),
    get calls() {
      return { ...counts };
    },
    resetCalls() {
      counts = emptyCounts();
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.close();
    },
  };
}

type Outcome =
  | { kind: "answer"; status: number; headers: Record<string, string | string[] | undefined>; text: string }
  | { kind: "network"; error: unknown };

function emptyCounts(): CallCounts {
  return { GET: 0, POST: 0, PATCH: 0, PUT: 0, DELETE: 0, reads: 0, writes: 0, retries: 0 };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function queryString(query: RequestSpec["query"]): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

function requestIdOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const id = headers["x-request-id"] ?? headers["request-id"];
  return Array.isArray(id) ? id[0] : id;
}

function parseBody<T>(outcome: Extract<Outcome, { kind: "answer" }>, spec: RequestSpec, path: string, redact: (s: string) => string): T {
  if (outcome.status === 204 || outcome.text === "") return undefined as T;
  try {
    return JSON.parse(outcome.text) as T;
  } catch (err) {
    throw new ApiError({
      message: `the Antryk API answered ${spec.method} ${path} with a body that is not JSON`,
      status: outcome.status,
      code: "invalid_response",
      request: { method: spec.method, path, requestId: requestIdOf(outcome.headers) },
      details: { sample: redact(outcome.text.slice(0, 200)) },
      cause: err,
    });
  }
}

const FALLBACK_CODES: Record<number, string> = { 429: "rate_limited", 500: "internal", 503: "unavailable" };

function answerError(
  method: HttpMethod,
  path: string,
  outcome: Extract<Outcome, { kind: "answer" }>,
  redact: (s: string) => string,
): ApiError {
  let parsed: ApiErrorBody["error"] | undefined;
  try {
    const body = JSON.parse(outcome.text) as Partial<ApiErrorBody>;
    if (body && typeof body.error === "object" && typeof body.error.code === "string") parsed = body.error;
  } catch {
    parsed = undefined;
  }
  const code = parsed?.code ?? FALLBACK_CODES[outcome.status] ?? `http_${outcome.status}`;
  const serverMessage = parsed?.message ? redact(parsed.message) : `HTTP ${outcome.status}`;
  const details = parsed?.details ? (JSON.parse(redact(JSON.stringify(parsed.details))) as Record<string, unknown>) : undefined;
  return new ApiError({
    message: `${serverMessage} (${outcome.status} ${code} on ${method} ${path})`,
    status: outcome.status,
    code,
    request: { method, path, requestId: requestIdOf(outcome.headers) },
    details,
  });
}

/**
 * redirectError is the error for a 3xx answer: the API never redirects, so the client
 * follows none (the bearer token goes to the configured origin only) and names the status
 * and the host the answer points to, which is usually a proxy or a wrong --api-url.
 */
function redirectError(method: HttpMethod, path: string, outcome: Extract<Outcome, { kind: "answer" }>, redact: (s: string) => string): ApiError {
  const header = outcome.headers.location;
  const location = Array.isArray(header) ? header[0] : header;
  let where = "no Location";
  if (location !== undefined) {
    try {
      where = `Location host ${new URL(location, "http://unknown.invalid").host}`;
    } catch {
      where = "an unreadable Location";
    }
  }
  return new ApiError({
    message: redact(
      `the Antryk API answered ${method} ${path} with a redirect (${outcome.status}, ${where}); it is not followed: check --api-url / ANTRYK_API_URL (a proxy in front of the API must pass requests through, not redirect them)`,
    ),
    status: outcome.status,
    code: "redirect",
    request: { method, path, requestId: requestIdOf(outcome.headers) },
  });
}

function networkError(
  method: HttpMethod,
  path: string,
  display: string,
  reason: string,
  cause: unknown,
  redact: (s: string) => string,
): ApiError {
  return new ApiError({
    message: redact(`cannot reach the Antryk API at ${display}: ${reason}`),
    status: 0,
    code: "network_error",
    request: { method, path },
    ...(cause === undefined ? {} : { cause: sanitizedCause(cause, redact) }),
  });
}

/** describeNetworkError names what went wrong in a few words: `connect ECONNREFUSED`, `timed out after 30000 ms`, `other side closed`. */
export function describeNetworkError(err: unknown, timeoutMs: number): string {
  const first = err instanceof AggregateError && err.errors.length > 0 ? err.errors[0] : err;
  const e = first as { code?: string; syscall?: string; message?: string };
  if (e?.code === "UND_ERR_HEADERS_TIMEOUT" || e?.code === "UND_ERR_BODY_TIMEOUT" || e?.code === "UND_ERR_CONNECT_TIMEOUT") {
    return `no answer within ${timeoutMs} ms`;
  }
  if (e?.syscall && e.code) return `${e.syscall} ${e.code}`;
  if (e?.code === "UND_ERR_SOCKET") return "the connection was dropped";
  if (e?.message) return e.message;
  return String(first);
}

/** sanitizedCause keeps the network error's name, code and message (token-free) but not its object graph (sockets, headers). */
function sanitizedCause(cause: unknown, redact: (s: string) => string): Error {
  const c = cause as { name?: string; code?: string; message?: string };
  const copy = new Error(redact(c?.message ?? String(cause)));
  copy.name = c?.name ?? "Error";
  if (c?.code) (copy as Error & { code?: string }).code = c.code;
  return copy;
}
