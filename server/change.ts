import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { authorizeNow, type Caller } from "./auth.js";
import { clientOf } from "./client-kind.js";
import { canonicalJson, JsonTooDeepError } from "./canonical.js";
import type { ServerContext } from "./context.js";
import { HttpError } from "./http-error.js";
import { managerClaim, requestManager } from "./manager.js";
import type { NewAuditEvent } from "./repositories/audit.js";

/** ChangeEvent is an audit entry a change records; workspace, time and request id are filled in. */
export type ChangeEvent = Omit<NewAuditEvent, "workspaceId" | "at" | "requestId" | "client" | "clientVersion">;

/** ChangeResult is what a change's work returns: the answer, and the audit events of what it changed (none for a no-op). */
export interface ChangeResult {
  workspaceId: number;
  status: number;
  body: unknown;
  /** version of the answered object, sent as `ETag: "<version>"`. */
  version?: number;
  events: ChangeEvent[];
  /** afterCommit runs once the transaction committed (e.g. recording a dev outbox message). */
  afterCommit?: () => void;
}

/** IDEMPOTENCY_PURGE_BATCH is how many expired idempotency records each newly stored one purges (more than one, so expired records never pile up). */
const IDEMPOTENCY_PURGE_BATCH = 100;

/** IDEMPOTENCY_KEY_PATTERN is the shape of an acceptable Idempotency-Key header. */
const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * runChange performs one changing request as one SQLite transaction: the work, the
 * workspace revision bump and the audit events (when something changed), and the
 * stored first answer of an `Idempotency-Key` POST all commit together or not at all.
 * A repeat of a POST with the same key and the same request (method, URL and the
 * canonical form of its body) within `ctx.idempotencyTtlMs` of the first replays the
 * stored answer and changes nothing; the same key with a different request is 422.
 * Past the retention the record is gone and the key starts a new request; each stored
 * record purges a batch of expired ones, so the table holds about what the retention
 * window saw. `scope` identifies whose keys these are (the caller's member id, or a fixed scope).
 * Every audit event records the request's `X-Antryk-Manager` (null without one); a malformed
 * header is a 400 before anything runs.
 */
export function runChange(
  ctx: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: string,
  work: () => ChangeResult,
): FastifyReply {
  return transact(ctx, request, reply, scope, () => null, work);
}

/** transact is the common body of runChange and runAuthorizedChange: `authorize` runs first inside the transaction and its answer is handed to `work`. */
function transact<C>(
  ctx: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: string,
  authorize: () => C,
  work: (caller: C) => ChangeResult,
): FastifyReply {
  const key = request.method === "POST" ? idempotencyKey(request) : undefined;
  const hash = key === undefined ? "" : requestHash(request);
  const manager = requestManager(managerClaim(request.headers));
  const { repos } = ctx;
  const outcome = repos.db
    .transaction((): { replay: true; status: number; body: unknown; etag: string | null } | { replay: false; result: ChangeResult } => {
      const caller = authorize();
      if (key !== undefined) {
        const stored = repos.idempotency.get(scope, key, ctx.now() - ctx.idempotencyTtlMs);
        if (stored) {
          if (stored.request_hash !== hash) {
            throw new HttpError(422, "idempotency_key_reused", `Idempotency-Key "${key}" was already used for a different request`, {
              field: "Idempotency-Key",
            });
          }
          return { replay: true, status: stored.status, body: JSON.parse(stored.body), etag: stored.etag };
        }
      }
      const result = work(caller);
      const now = ctx.now();
      if (result.events.length > 0) {
        repos.workspaces.bumpRevision(result.workspaceId);
        const client = clientOf(request.headers);
        for (const e of result.events) {
          repos.audit.append({ ...e, ...client, manager, workspaceId: result.workspaceId, at: now, requestId: request.id });
        }
      }
      if (key !== undefined) {
        repos.idempotency.purgeExpired(now - ctx.idempotencyTtlMs, IDEMPOTENCY_PURGE_BATCH);
        repos.idempotency.put(scope, key, hash, { status: result.status, body: result.body, etag: etag(result.version) }, now);
      }
      return { replay: false, result };
    })
    .immediate();

  if (outcome.replay) {
    reply.header("idempotent-replayed", "true");
    if (outcome.etag) reply.header("etag", outcome.etag);
    return outcome.status === 204 ? reply.code(204).send() : reply.code(outcome.status).send(outcome.body);
  }
  const { result } = outcome;
  result.afterCommit?.();
  if (result.events.length > 0) ctx.revisions.publish(result.workspaceId, repos.workspaces.byId(result.workspaceId)?.revision ?? 0);
  if (result.version !== undefined) reply.header("etag", etag(result.version));
  return result.status === 204 ? reply.code(204).send() : reply.code(result.status).send(result.body);
}

/**
 * runAuthorizedChange is runChange for a bearer token's change to the workspace of the
 * path: inside the write transaction, before anything else, the caller is read again
 * (its token, member row, role and grants) and must hold `permission` now (401 once
 * removed, 403 once demoted), so a request whose body arrived slowly commits only what
 * its caller may do at commit. The work gets that caller; idempotency keys are scoped
 * to the caller's member id.
 */
export function runAuthorizedChange(
  ctx: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply,
  permission: string,
  work: (caller: Caller) => ChangeResult,
): FastifyReply {
  const early = request.caller;
  if (!early) throw new Error("runAuthorizedChange on a route without a guard");
  return transact(ctx, request, reply, early.member.id, () => authorizeNow(ctx, request, early.workspace.name, permission), work);
}

/** etag is the ETag of an object version: the version in double quotes. */
export function etag(version: number | undefined): string | null {
  return version === undefined ? null : `"${version}"`;
}

/** checkIfMatch throws 412 unless an `If-Match` header, when present, equals the object's current ETag exactly. */
export function checkIfMatch(request: FastifyRequest, currentVersion: number): void {
  const header = request.headers["if-match"];
  if (header === undefined) return;
  const current = `"${currentVersion}"`;
  if (header !== current) {
    throw new HttpError(412, "precondition_failed", `If-Match ${header} does not match the current version ${current}`, {
      field: "If-Match",
      currentVersion,
    }, { etag: current });
  }
}

function idempotencyKey(request: FastifyRequest): string | undefined {
  const header = request.headers["idempotency-key"];
  if (header === undefined) return undefined;
  if (typeof header !== "string" || !IDEMPOTENCY_KEY_PATTERN.test(header)) {
    throw new HttpError(400, "bad_request", "Idempotency-Key must be 1 to 255 visible ASCII characters", { field: "Idempotency-Key" });
  }
  return header;
}

/**
 * requestHash is what an Idempotency-Key is bound to: the method, the URL and the
 * canonical JSON of the body (key order and spacing do not matter). A body too deep to
 * render is a 400, never a 500.
 */
export function requestHash(request: Pick<FastifyRequest, "method" | "url" | "body">): string {
  let body: string;
  try {
    body = canonicalJson(request.body ?? null);
  } catch (err) {
    if (!(err instanceof JsonTooDeepError)) throw err;
    throw new HttpError(400, "bad_request", `the request body is ${err.message}, so it cannot be bound to an Idempotency-Key`, { field: "body" });
  }
  return createHash("sha256").update(`${request.method} ${request.url}\n${body}`).digest("hex");
}
