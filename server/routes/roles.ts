import type { FastifyInstance } from "fastify";
import type { Role, RolePut } from "../../schema/api.js";
import { ADMIN_PERMISSION, CUSTOM_ROLE_NAME_PATTERN, isBuiltInRole } from "../../schema/catalog.js";
import { checkDescription } from "../../schema/identity.js";
import { checkGrants } from "../access.js";
import { holdsManage, settleSponsored } from "../authority.js";
import { checkIfMatch, runAuthorizedChange } from "../change.js";
import type { ServerContext } from "../context.js";
import { conflict, HttpError, invalid, notFound } from "../http-error.js";
import { builtInRoles, toRole } from "../repositories/roles.js";
import { parseList } from "../repositories/rows.js";
import { managedAfter, managerClaim, parseManagedByFilter } from "../manager.js";
import { rolePutBody, rolesQuery, wsNameParams, wsParams, type PageQuery } from "../schemas.js";
import { callerOf, guard } from "./guard.js";

type NameParams = { ws: string; name: string };

/** roleRoutes: list roles (any member); create, replace and delete custom roles (access:manage). Built-in roles are read-only. */
export function roleRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { repos } = ctx;

  app.get<{ Params: { ws: string }; Querystring: PageQuery & { managedBy?: string } }>(
    "/v1/workspaces/:ws/roles",
    { onRequest: guard(ctx), schema: { params: wsParams, querystring: rolesQuery } },
    async (request) => {
      const caller = callerOf(request);
      return rolePage(ctx, caller.workspace.id, request.query, parseManagedByFilter(request.query.managedBy));
    },
  );

  app.put<{ Params: NameParams; Body: RolePut }>(
    "/v1/workspaces/:ws/roles/:name",
    { onRequest: guard(ctx, ADMIN_PERMISSION), schema: { params: wsNameParams, body: rolePutBody } },
    async (request, reply) => {
      return runAuthorizedChange(ctx, request, reply, ADMIN_PERMISSION, (caller) => {
        const wsId = caller.workspace.id;
        const name = checkCustomRoleName(request.params.name);
        const permissions = checkGrants(request.body.permissions);
        const description = request.body.description ?? "";
        const problem = checkDescription(description);
        if (problem !== undefined) throw invalid("description", `the description ${problem}`, "bad_description");
        const existing = repos.roles.get(wsId, name);
        if (existing) checkIfMatch(request, existing.version);
        else if (request.headers["if-match"] !== undefined) {
          throw new HttpError(412, "precondition_failed", `If-Match was sent but role "${name}" does not exist`, { field: "If-Match" });
        }
        const before = existing ? toRole(existing) : null;
        const managedBy = managedAfter(managerClaim(request.headers), existing?.managed_by ?? null);
        const sameBody = before && before.description === description && JSON.stringify(before.permissions) === JSON.stringify(permissions);
        if (sameBody && managedBy === existing?.managed_by) {
          return { workspaceId: wsId, status: 200, body: before, version: before.version, events: [] };
        }
        // the holders of this role who hold access:manage through it and would no longer do
        const rolesAfter: typeof caller.roles = (role) => (role === name ? permissions : caller.roles(role));
        const demoted = existing
          ? repos.members.withRole(wsId, name).filter((m) => holdsManage(m.role, parseList(m.permissions), caller.roles) && !holdsManage(m.role, parseList(m.permissions), rolesAfter))
          : [];
        const callerKeepsManage = holdsManage(caller.member.role, parseList(caller.member.permissions), rolesAfter);
        const consequences = settleSponsored(ctx, caller, demoted.map((m) => ({ member: m, loss: "lostManage" as const })), request.body.invitations, callerKeepsManage);
        if (existing) repos.roles.update(wsId, name, description, permissions);
        else {
          const count = repos.roles.count(wsId);
          if (count >= ctx.maxCustomRoles) {
            throw conflict("too_many_roles", `this workspace already defines ${count} custom roles, the most this server allows (${ctx.maxCustomRoles}); delete one first`, {
              limit: ctx.maxCustomRoles,
            });
          }
          repos.roles.insert(wsId, name, description, permissions);
        }
        repos.roles.setManager(wsId, name, managedBy);
        const after = toRole(repos.roles.get(wsId, name)!);
        return {
          workspaceId: wsId,
          status: existing ? 200 : 201,
          body: after,
          version: after.version,
          events: [
            { actor: caller.member.email, action: existing ? "role.updated" : "role.created", target: name, before, after },
            ...consequences,
          ],
        };
      });
    },
  );

  app.delete<{ Params: NameParams }>(
    "/v1/workspaces/:ws/roles/:name",
    { onRequest: guard(ctx, ADMIN_PERMISSION), schema: { params: wsNameParams } },
    async (request, reply) => {
      return runAuthorizedChange(ctx, request, reply, ADMIN_PERMISSION, (caller) => {
        const wsId = caller.workspace.id;
        const name = checkCustomRoleName(request.params.name);
        const existing = repos.roles.get(wsId, name);
        if (!existing) throw notFound(`role "${name}"`);
        checkIfMatch(request, existing.version);
        const members = repos.members.countWithRole(wsId, name);
        const pendingInvitations = repos.invitations.pendingWithRole(wsId, name, ctx.now());
        if (members + pendingInvitations > 0) {
          throw conflict(
            "role_in_use",
            `role "${name}" is still held by ${members} member(s) and ${pendingInvitations} pending invitation(s)`,
            { members, pendingInvitations },
          );
        }
        const before = toRole(existing);
        repos.roles.remove(wsId, name);
        return {
          workspaceId: wsId,
          status: 204,
          body: null,
          events: [{ actor: caller.member.email, action: "role.deleted", target: name, before, after: null }],
        };
      });
    },
  );
}

/**
 * rolePage is one page of GET /roles: the built-in roles first (most privileged first),
 * then the custom roles by name. Its cursor names the last role of the page (a built-in by
 * its place, a custom role by its name), so a page after it is stable while roles are
 * created or deleted.
 */
function rolePage(
  ctx: ServerContext,
  workspaceId: number,
  query: PageQuery,
  managed: { managedBy: string | null } | undefined,
): { items: Role[]; nextCursor: string | null } {
  // a filter by manager names custom roles only: built-in roles are managed by nobody and never change
  const builtIn = managed === undefined ? builtInRoles() : [];
  const after = decodeRoleCursor(query.cursor, builtIn.length);
  const items: Role[] = after.kind === "builtIn" ? builtIn.slice(after.index, after.index + query.limit) : [];
  const room = query.limit - items.length;
  const custom = ctx.repos.roles.page(workspaceId, after.kind === "custom" ? after.name : "", room + 1, managed).map(toRole);
  items.push(...custom.slice(0, room));
  const more = custom.length > room || (after.kind === "builtIn" && after.index + items.length < builtIn.length);
  if (!more || items.length === 0) return { items, nextCursor: null };
  const last = items[items.length - 1]!;
  return { items, nextCursor: encodeRoleCursor(last.builtIn ? `b:${builtIn.findIndex((r) => r.name === last.name) + 1}` : `n:${last.name}`) };
}

type RoleCursor = { kind: "builtIn"; index: number } | { kind: "custom"; name: string };

function encodeRoleCursor(text: string): string {
  return Buffer.from(`r:${text}`).toString("base64url");
}

/** decodeRoleCursor reads a roles cursor back, or throws a validation error naming `cursor`. */
function decodeRoleCursor(cursor: string | undefined, builtIns: number): RoleCursor {
  if (cursor === undefined) return { kind: "builtIn", index: 0 };
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const match = /^r:(?:b:(\d)|n:([a-z][a-z0-9-]{1,62}))$/.exec(text);
  if (!match || encodeRoleCursor(text.slice(2)) !== cursor || (match[1] !== undefined && Number(match[1]) > builtIns)) {
    throw invalid("cursor", "not a cursor this server issued", "bad_cursor");
  }
  return match[1] !== undefined ? { kind: "builtIn", index: Number(match[1]) } : { kind: "custom", name: match[2]! };
}

/** checkCustomRoleName rejects built-in names and names outside the custom role pattern. */
function checkCustomRoleName(name: string): string {
  if (isBuiltInRole(name)) throw invalid("name", `"${name}" is a built-in role and cannot be changed`, "built_in_role", { value: name });
  if (!CUSTOM_ROLE_NAME_PATTERN.test(name)) {
    throw invalid("name", `"${name}" is not a custom role name (lower-case letters, digits and "-", 2 to 63, starting with a letter)`, "bad_role_name", { value: name });
  }
  return name;
}
