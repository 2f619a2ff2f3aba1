import type { FastifyInstance } from "fastify";
import { ActivityTracker, sqliteActivityStore } from "./activity.js";
import { ConfigError } from "../errors.js";
import { buildApp } from "./app.js";
import type { ServerContext } from "./context.js";
import { openDatabase } from "./db/open.js";
import type { FaultOptions } from "./faults.js";
import { resolveLimits, type ServerLimits, type TlsFiles } from "./limits.js";
import { isLoopback } from "./loopback.js";
import { Outbox } from "./outbox.js";
import type { RateLimitOptions } from "./rate-limit.js";
import { RevisionFeed } from "./revision-feed.js";
import { createRepositories } from "./repositories/index.js";

/** DEFAULT_INVITATION_TTL_MS is how long an invitation stays pending: 7 days. */
export const DEFAULT_INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** DEFAULT_IDEMPOTENCY_TTL_MS is how long an Idempotency-Key's first answer is kept: 24 hours. */
export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** ServerOptions configure startServer; only dbPath is required. */
export interface ServerOptions {
  /** dbPath is the SQLite file (created with its folder if missing). */
  dbPath: string;
  /** host to bind; loopback unless told otherwise. */
  host?: string;
  /** port to bind; 0 picks a free one. */
  port?: number;
  invitationTtlMs?: number;
  /** idempotencyTtlMs is how long an Idempotency-Key's first answer is replayed (default 24 h); past it the key starts a new request. */
  idempotencyTtlMs?: number;
  /** now is the clock invitation and idempotency expiry and timestamps are decided by. */
  now?: () => Date;
  faults?: FaultOptions;
  /** devOutbox exposes GET /v1/workspaces/{ws}/dev/outbox with the invitation messages sent (tokens included); loopback hosts only. */
  devOutbox?: boolean;
  /** rateLimit per caller (API token once authenticated, else client address); false turns it off. */
  rateLimit?: RateLimitOptions | false;
  logger?: boolean;
  /** limits bound requests, connections and custom roles; unnamed ones keep DEFAULT_LIMITS. */
  limits?: Partial<ServerLimits>;
  /** tls serves HTTPS with this PEM certificate and key; the URL is then https://. */
  tls?: TlsFiles;
  /** eventHeartbeatMs is how often an idle workspace event stream sends a heartbeat (default 15 s). */
  eventHeartbeatMs?: number;
  /** activity tracking (lastActiveAt): on by default, written at most once per `windowMs` (default 10 minutes); false records nothing. */
  activity?: { windowMs?: number } | false;
}

/** RunningServer is a listening reference server; close() stops it and closes the database. */
export interface RunningServer {
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** startServer opens the database, builds the Access API and listens; `url` has the actual port. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const ttl = positiveMs("invitationTtlMs", options.invitationTtlMs ?? DEFAULT_INVITATION_TTL_MS);
  const host = options.host ?? "127.0.0.1";
  if (options.devOutbox && !isLoopback(host)) {
    throw new ConfigError(`the dev outbox lists invitation tokens, so it is served on a loopback address only (127.0.0.1, ::1, localhost), not on "${host}"`);
  }
  const idempotencyTtl = positiveMs("idempotencyTtlMs", options.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS);
  const limits = resolveLimits(options.limits);
  const db = openDatabase(options.dbPath);
  const clock = options.now;
  const now = clock ? () => clock().getTime() : () => Date.now();
  const activityWindow = options.activity === false ? undefined : options.activity?.windowMs;
  const ctx: ServerContext = {
    repos: createRepositories(db),
    now,
    activity: new ActivityTracker(sqliteActivityStore(db), now, { timer: options.activity !== false, ...(activityWindow !== undefined ? { windowMs: positiveMs("activity.windowMs", activityWindow) } : {}) }),
    tracking: options.activity !== false,
    invitationTtlMs: ttl,
    idempotencyTtlMs: idempotencyTtl,
    maxCustomRoles: limits.maxCustomRoles,
    outbox: options.devOutbox ? new Outbox() : null,
    revisions: new RevisionFeed(),
  };
  let app: FastifyInstance;
  try {
    // what expired while the server was down goes now, in batches
    while (ctx.repos.idempotency.purgeExpired(ctx.now() - idempotencyTtl, 10_000) > 0);
    app = await buildApp(ctx, { faults: options.faults, rateLimit: options.rateLimit, logger: options.logger, limits, tls: options.tls, ...(options.eventHeartbeatMs !== undefined ? { eventHeartbeatMs: positiveMs("eventHeartbeatMs", options.eventHeartbeatMs) } : {}) });
    await app.listen({ host, port: options.port ?? 0 });
  } catch (err) {
    ctx.activity.close();
    db.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const url = `${options.tls ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${port}`;
  let closed: Promise<void> | undefined;
  return {
    url,
    app,
    close: () =>
      (closed ??= app.close().then(() => {
        ctx.activity.close();
        db.close();
      })),
  };
}

function positiveMs(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive whole number of milliseconds, got ${value}`);
  return value;
}
