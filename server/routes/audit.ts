import type { FastifyInstance } from "fastify";
import { ADMIN_PERMISSION, normalizeEmail } from "../../schema/catalog.js";
import type { ServerContext } from "../context.js";
import { decodeCursor, slicePage } from "../pagination.js";
import { toAuditEvent } from "../repositories/audit.js";
import { auditQuery, wsParams, type PageQuery } from "../schemas.js";
import { callerOf, guard } from "./guard.js";

type AuditQuery = PageQuery & { actor?: string; target?: string; action?: string; q?: string };

/** auditRoutes: the access history, newest first, filterable by actor, target and action, and searched by `q` (a substring of the actor or the target; access:manage). */
export function auditRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: { ws: string }; Querystring: AuditQuery }>(
    "/v1/workspaces/:ws/audit",
    { onRequest: guard(ctx, ADMIN_PERMISSION), schema: { params: wsParams, querystring: auditQuery } },
    async (request) => {
      const caller = callerOf(request);
      const { limit, cursor, actor, target, action, q } = request.query;
      const rows = ctx.repos.audit.page(caller.workspace.id, decodeCursor(cursor, Number.MAX_SAFE_INTEGER), limit + 1, {
        actor: actor === undefined ? undefined : normalizeEmail(actor),
        target: target === undefined ? undefined : target.includes("@") ? normalizeEmail(target) : target,
        action,
        q: q?.toLowerCase(),
      });
      const page = slicePage(rows, limit);
      return { items: page.rows.map(toAuditEvent), nextCursor: page.nextCursor };
    },
  );
}
