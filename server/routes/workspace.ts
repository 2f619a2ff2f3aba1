import type { FastifyInstance } from "fastify";
import { permissionCatalog } from "../../schema/catalog.js";
import type { ServerContext } from "../context.js";
import { toMember } from "../repositories/members.js";
import { toWorkspace } from "../repositories/workspaces.js";
import { wsParams } from "../schemas.js";
import { callerOf, guard } from "./guard.js";

/** workspaceRoutes: the workspace itself, the caller's own member, and the permission catalog. Any member may read them. */
export function workspaceRoutes(app: FastifyInstance, ctx: ServerContext): void {
  // invitationTtlSeconds tells clients (the dashboard's invite hint) how long a new or resent invitation stays valid.
  const invitationTtlSeconds = Math.max(1, Math.ceil(ctx.invitationTtlMs / 1000));
  app.get("/v1/workspaces/:ws", { onRequest: guard(ctx), schema: { params: wsParams } }, async (request, reply) => {
    const { workspace } = callerOf(request);
    return reply.header("etag", `"${workspace.revision}"`).send({ ...toWorkspace(workspace), invitationTtlSeconds });
  });

  app.get("/v1/workspaces/:ws/me", { onRequest: guard(ctx), schema: { params: wsParams } }, async (request, reply) => {
    const caller = callerOf(request);
    return reply.header("etag", `"${caller.member.version}"`).send(ctx.activity.overlay(toMember(caller.member, caller.roles, ctx.now())));
  });

  app.get("/v1/workspaces/:ws/permissions", { onRequest: guard(ctx), schema: { params: wsParams } }, async () => ({
    items: permissionCatalog(),
  }));
}
