import type { FastifyRequest } from "fastify";
import type { RoleLookup } from "./access.js";
import type { ServerContext } from "./context.js";
import { HttpError, notFound } from "./http-error.js";
import { effectivePermissions } from "./access.js";
import type { MemberRow, WorkspaceRow } from "./repositories/rows.js";
import { API_TOKEN_PATTERN, hashSecret } from "./secrets.js";

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
 * authorize authenticates the bearer token (401), finds the workspace of the path (404),
 * checks the token's member belongs to it (403) and, when given, that the member holds
 * `permission` (403 naming the permission and the caller). The token is never echoed.
 */
export function authorize(ctx: ServerContext, request: FastifyRequest, workspaceName: string, permission?: string): Caller {
  const owner = ctx.repos.tokens.owner(hashSecret(bearerToken(request)));
  if (!owner) throw new HttpError(401, "unauthorized", "the bearer token is unknown or its member was removed");
  const workspace = ctx.repos.workspaces.byName(workspaceName);
  if (!workspace) throw notFound(`workspace "${workspaceName}"`);
  if (owner.workspace.id !== workspace.id) {
    throw new HttpError(403, "forbidden", `the token of ${owner.member.email} is not a member of workspace "${workspaceName}"`, {
      caller: owner.member.email,
    });
  }
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

/** bearerToken extracts the token of `Authorization: Bearer <token>`, or throws 401 when absent or malformed. */
function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (header === undefined || header === "") {
    throw new HttpError(401, "unauthorized", "missing bearer token: send Authorization: Bearer <token>");
  }
  const match = /^Bearer ([^\s]+)$/i.exec(header);
  if (!match || !API_TOKEN_PATTERN.test(match[1]!)) {
    throw new HttpError(401, "unauthorized", "malformed Authorization header: expected Bearer and an ak_ token");
  }
  return match[1]!;
}
