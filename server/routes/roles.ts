import type { FastifyInstance } from "fastify";
import type { RolePut } from "../../schema/api.js";
import { ADMIN_PERMISSION, CUSTOM_ROLE_NAME_PATTERN, isBuiltInRole } from "../../schema/catalog.js";
import { checkDescription } from "../../schema/identity.js";
import { checkGrants } from "../access.js";
import { holdsManage, settleSponsored } from "../authority.js";
import { checkIfMatch, runChange } from "../change.js";
import type { ServerContext } from "../context.js";
import { conflict, HttpError, invalid, notFound } from "../http-error.js";
import { builtInRoles, toRole } from "../repositories/roles.js";
import { parseList } from "../repositories/rows.js";
import { rolePutBody, wsNameParams, wsParams } from "../schemas.js";
import { callerOf, guard } from "./guard.js";

type NameParams = { ws: string; name: string };

/** roleRoutes: list roles (any member); create, replace and delete custom roles (access:manage). Built-in roles are read-only. */
export function roleRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { repos } = ctx;

  app.get<{ Params: { ws: string } }>("/v1/workspaces/:ws/roles", { onRequest: guard(ctx), schema: { params: wsParams } }, async (request) => {
    const caller = callerOf(request);
    return { items: [...builtInRoles(), ...repos.roles.list(caller.workspace.id).map(toRole)] };
  });

  app.put<{ Params: NameParams; Body: RolePut }>(
    "/v1/workspaces/:ws/roles/:name",
    { onRequest: guard(ctx, ADMIN_PERMISSION), schema: { params: wsNameParams, body: rolePutBody } },
    async (request, reply) => {
      const caller = callerOf(request);
      const wsId = caller.workspace.id;
      return runChange(ctx, request, reply, caller.member.id, () => {
        const name = checkCustomRoleName(request.params.name);
        const permissions = checkGrants(request.body.permissions);
        const description = request.body.description ?? "";
        const problem = checkDescription(description);
        if (problem !== undefined) throw invalid("description", `the description ${problem}`);
        const existing = repos.roles.get(wsId, name);
        if (existing) checkIfMatch(request, existing.version);
        else if (request.headers["if-match"] !== undefined) {
          throw new HttpError(412, "precondition_failed", `If-Match was sent but role "${name}" does not exist`, { field: "If-Match" });
        }
        const before = existing ? toRole(existing) : null;
        if (before && before.description === description && JSON.stringify(before.permissions) === JSON.stringify(permissions)) {
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
        else repos.roles.insert(wsId, name, description, permissions);
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
      const caller = callerOf(request);
      const wsId = caller.workspace.id;
      return runChange(ctx, request, reply, caller.member.id, () => {
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

/** checkCustomRoleName rejects built-in names and names outside the custom role pattern. */
function checkCustomRoleName(name: string): string {
  if (isBuiltInRole(name)) throw invalid("name", `"${name}" is a built-in role and cannot be changed`);
  if (!CUSTOM_ROLE_NAME_PATTERN.test(name)) {
    throw invalid("name", `"${name}" is not a custom role name (lower-case letters, digits and "-", 2 to 63, starting with a letter)`);
  }
  return name;
}
