import type { FastifyRequest } from "fastify";
import type { RoleLookup } from "./access.js";
import type { ServerContext } from "./context.js";
import { HttpError, notFound } from "./http-error.js";
import { effectivePermissions } from "./access.js";
import { accessExpired } from "./repositories/members.js";
import type { TokenOwner } from "./repositories/tokens.js";
import type { MemberRow, WorkspaceRow } from "./repositories/rows.js";
import { API_TOKEN_PATTERN, hashSecret } from "./secrets.js";

declare module "fastify" {
  interface FastifyRequest {
    /** identity is who the request's bearer token says it is, decided once per request before rate limiting and routing. */
    identity: Identity;
  }
}

/** Identity is a request's authentication: a known API token (by its hash) and its member, or the 401 that a route needing one answers. */
export type Identity = { kind: "token"; tokenHash: string; owner: TokenOwner } | { kind: "anonymous"; refusal: HttpError };

/** Caller is the member a request's bearer token belongs to, within the workspace of the path. */
export interface Caller {
  member: MemberRow;
  workspace: WorkspaceRow;
  /** permissions are the caller's effective permissions at the time of the request. */
  permissions: string[];
  /** roles resolves role names of the caller's workspace (built-in and custom). */
  roles: RoleLookup;
}

/**
 * authenticate reads `Authorization: Bearer <token>` (the scheme in any casing) and
 * resolves the token by its hash. Anything else (no header, a malformed one, an unknown
 * token, a removed member's, a member's whose accessExpiresAt has passed: `access_expired`)
 * is anonymous, carrying the 401 to answer where a token is needed. The token is never echoed.
 */
export function authenticate(ctx: ServerContext, header: string | undefined): Identity {
  if (header === undefined || header === "") {
    return anonymous("missing bearer token: send Authorization: Bearer <token>");
  }
  const match = /^Bearer ([^\s]+)$/i.exec(header);
  if (!match || !API_TOKEN_PATTERN.test(match[1]!)) {
    return anonymous("malformed Authorization header: expected Bearer and an ak_ token");
  }
  const tokenHash = hashSecret(match[1]!);
  const owner = ctx.repos.tokens.owner(tokenHash);
  if (!owner) return anonymous(UNKNOWN_TOKEN);
  if (accessExpired(owner.member, ctx.now())) return { kind: "anonymous", refusal: accessEndedFor(owner.member) };
  return { kind: "token", tokenHash, owner };
}

/**
 * authorize turns a request's identity into the caller of the workspace of the path:
 * 401 when anonymous, 404 when the workspace does not exist *or* the caller is not a
 * member of it (the same answer, so that workspace names cannot be enumerated), 403
 * (naming the permission and the caller) when the member lacks `permission`. It judges
 * the member as it was when the headers arrived: an early answer, not the decision for
 * a change (see authorizeNow).
 */
export function authorize(ctx: ServerContext, request: FastifyRequest, workspaceName: string, permission?: string): Caller {
  const identity = request.identity;
  if (identity.kind === "anonymous") throw identity.refusal;
  return callerFor(ctx, identity.owner, workspaceName, permission);
}

/**
 * authorizeNow is authorize against the database as it is now: the token, its member,
 * the member's role and grants are read again (401 once the member was removed, the
 * token revoked or the member's access ended, 403 once it lost `permission`). Changes call it inside their write
 * transaction, so what commits was allowed at commit.
 */
export function authorizeNow(ctx: ServerContext, request: FastifyRequest, workspaceName: string, permission?: string): Caller {
  const identity = request.identity;
  if (identity.kind === "anonymous") throw identity.refusal;
  const owner = ctx.repos.tokens.owner(identity.tokenHash);
  if (!owner) throw new HttpError(401, "unauthorized", UNKNOWN_TOKEN);
  if (accessExpired(owner.member, ctx.now())) throw accessEndedFor(owner.member);
  return callerFor(ctx, owner, workspaceName, permission);
}

function callerFor(ctx: ServerContext, owner: TokenOwner, workspaceName: string, permission: string | undefined): Caller {
  const workspace = ctx.repos.workspaces.byName(workspaceName);
  if (!workspace || owner.workspace.id !== workspace.id) throw notFound(`workspace "${workspaceName}"`);
  const roles = ctx.repos.roles.lookup(workspace.id);
  const permissions = effectivePermissions(owner.member.role, JSON.parse(owner.member.permissions) as string[], roles);
  if (permission && !permissions.includes(permission)) {
    throw new HttpError(403, "forbidden", `the token of ${owner.member.email} lacks ${permission}`, {
      missingPermission: permission,
      caller: owner.member.email,
    });
  }
  return { member: owner.member, workspace, permissions, roles };
}

const UNKNOWN_TOKEN = "the bearer token is unknown or its member was removed";

/** accessEndedFor is the 401 of a token whose member's access has ended (time-bound access, docs/api.md). */
function accessEndedFor(member: MemberRow): HttpError {
  return new HttpError(401, "access_expired", `the access of ${member.email} ended at ${new Date(member.access_expires_at!).toISOString()}`);
}

function anonymous(message: string): Identity {
  return { kind: "anonymous", refusal: new HttpError(401, "unauthorized", message) };
}
