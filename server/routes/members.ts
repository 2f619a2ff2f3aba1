import type { FastifyInstance } from "fastify";
import type { MemberPatch, MemberRemove } from "../../schema/api.js";
import { checkAssignableRole, checkGrants } from "../access.js";
import { holdsManage, settleSponsored } from "../authority.js";
import { checkIfMatch, runAuthorizedChange } from "../change.js";
import type { ServerContext } from "../context.js";
import { HttpError, notFound } from "../http-error.js";
import { decodeCursor, decodeKeyCursor, encodeKeyCursor, slicePage } from "../pagination.js";
import { sortValue, toMember, type MemberSortKey } from "../repositories/members.js";
import type { MemberRow } from "../repositories/rows.js";
import { parseList } from "../repositories/rows.js";
import { managedAfter, managerClaim, parseManagedByFilter } from "../manager.js";
import { memberPatchBody, memberRemoveBody, membersQuery, wsIdParams, wsParams, type MembersQuery } from "../schemas.js";
import { inactiveCutoff } from "../activity.js";
import { parsePeopleFilter } from "../people-filter.js";
import { callerOf, guard } from "./guard.js";
import { parseAccessExpiry } from "../access-expiry.js";
import { ADMIN_PERMISSION } from "../../schema/catalog.js";

type IdParams = { ws: string; id: string };

/** memberRoutes: list and read members (any member); change and remove them (access:manage). The owner is never changed. */
export function memberRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { repos } = ctx;

  app.get<{ Params: { ws: string }; Querystring: MembersQuery }>(
    "/v1/workspaces/:ws/members",
    { onRequest: guard(ctx), schema: { params: wsParams, querystring: membersQuery } },
    async (request) => {
      const caller = callerOf(request);
      const { limit, cursor, inactiveFor } = request.query;
      const managed = parseManagedByFilter(request.query.managedBy);
      const filter = parsePeopleFilter(request.query, caller.roles, ctx.now());
      const cutoff = inactiveFor === undefined ? undefined : inactiveCutoff(inactiveFor, ctx.now());
      const search = { filter, ...(managed ? { managed } : {}), ...(cutoff === undefined ? {} : { inactiveBefore: cutoff }) };
      const sortBy = request.query.sort;
      let page: { rows: MemberRow[]; nextCursor: string | null };
      if (sortBy === undefined) {
        page = slicePage(repos.members.search(caller.workspace.id, decodeCursor(cursor, 0), limit + 1, search), limit);
      } else {
        const key = sortBy.replace(/^-/, "") as MemberSortKey;
        const after = decodeKeyCursor(cursor);
        const rows = repos.members.sorted(caller.workspace.id, limit + 1, search, { key, desc: sortBy.startsWith("-"), ...(after ? { after } : {}) });
        const last = rows.length > limit ? rows[limit - 1]! : undefined;
        page = { rows: rows.slice(0, limit), nextCursor: last ? encodeKeyCursor({ value: sortValue(last, key), seq: last.seq }) : null };
      }
      const total = repos.members.count(caller.workspace.id, search);
      if (cutoff === undefined) {
        return { items: page.rows.map((r) => ctx.activity.overlay(toMember(r, caller.roles, ctx.now()))), nextCursor: page.nextCursor, total };
      }
      // Stored activity filters in SQL; a member active since, but not yet flushed, is dropped here (a page may then be short).
      const rows = page.rows.filter((r) => !ctx.activity.activeSince(r.id, cutoff));
      return { items: rows.map((r) => toMember(r, caller.roles, ctx.now())), nextCursor: page.nextCursor, total };
    },
  );

  app.get<{ Params: IdParams }>(
    "/v1/workspaces/:ws/members/:id",
    { onRequest: guard(ctx), schema: { params: wsIdParams } },
    async (request, reply) => {
      const caller = callerOf(request);
      const row = repos.members.byId(caller.workspace.id, request.params.id);
      if (!row) throw notFound(`member "${request.params.id}"`);
      return reply.header("etag", `"${row.version}"`).send(ctx.activity.overlay(toMember(row, caller.roles, ctx.now())));
    },
  );

  app.patch<{ Params: IdParams; Body: MemberPatch }>(
    "/v1/workspaces/:ws/members/:id",
    { onRequest: guard(ctx, ADMIN_PERMISSION), schema: { params: wsIdParams, body: memberPatchBody } },
    async (request, reply) => {
      return runAuthorizedChange(ctx, request, reply, ADMIN_PERMISSION, (caller) => {
        const row = repos.members.byId(caller.workspace.id, request.params.id);
        if (!row) throw notFound(`member "${request.params.id}"`);
        checkIfMatch(request, row.version);
        if (row.role === "owner") throw ownerUntouchable(row.email);
        const body = request.body ?? {};
        if (body.role !== undefined) checkAssignableRole(body.role, caller.roles);
        const role = body.role ?? row.role;
        const grants = body.permissions !== undefined ? checkGrants(body.permissions) : parseList(row.permissions);
        const parsedExpiry = parseAccessExpiry(body.accessExpiresAt);
        const accessExpiresAt = parsedExpiry === undefined ? row.access_expires_at : parsedExpiry;
        const before = toMember(row, caller.roles, ctx.now());
        const managedBy = managedAfter(managerClaim(request.headers), row.managed_by);
        const unchanged = role === row.role && JSON.stringify(grants) === JSON.stringify(before.permissions) && accessExpiresAt === row.access_expires_at && managedBy === row.managed_by;
        if (unchanged) return { workspaceId: caller.workspace.id, status: 200, body: before, version: row.version, events: [] };
        const lostManage = holdsManage(row.role, before.permissions, caller.roles) && !holdsManage(role, grants, caller.roles);
        const consequences = lostManage
          ? settleSponsored(ctx, caller, [{ member: row, loss: "lostManage" }], body.invitations, row.id !== caller.member.id)
          : [];
        repos.members.update(row.id, role, grants, accessExpiresAt);
        repos.members.setManager(row.id, managedBy);
        const after = toMember(repos.members.byId(caller.workspace.id, row.id)!, caller.roles, ctx.now());
        return {
          workspaceId: caller.workspace.id,
          status: 200,
          body: after,
          version: after.version,
          events: [
            { actor: caller.member.email, action: "member.updated", target: row.email, before, after },
            ...consequences,
          ],
        };
      });
    },
  );

  app.delete<{ Params: IdParams; Body: MemberRemove | null }>(
    "/v1/workspaces/:ws/members/:id",
    { onRequest: guard(ctx, ADMIN_PERMISSION), schema: { params: wsIdParams, body: memberRemoveBody } },
    async (request, reply) => {
      return runAuthorizedChange(ctx, request, reply, ADMIN_PERMISSION, (caller) => {
        const row = repos.members.byId(caller.workspace.id, request.params.id);
        if (!row) throw notFound(`member "${request.params.id}"`);
        checkIfMatch(request, row.version);
        if (row.role === "owner") throw ownerUntouchable(row.email);
        const before = toMember(row, caller.roles, ctx.now());
        const consequences = holdsManage(row.role, before.permissions, caller.roles)
          ? settleSponsored(ctx, caller, [{ member: row, loss: "removed" }], request.body?.invitations, row.id !== caller.member.id)
          : [];
        repos.members.remove(row.id);
        return {
          workspaceId: caller.workspace.id,
          status: 204,
          body: null,
          events: [
            { actor: caller.member.email, action: "member.removed", target: row.email, before, after: null },
            ...consequences,
          ],
        };
      });
    },
  );
}

function ownerUntouchable(email: string): HttpError {
  return new HttpError(403, "forbidden", `${email} is the workspace owner and cannot be changed or removed`, {
    reason: "owner",
  });
}
