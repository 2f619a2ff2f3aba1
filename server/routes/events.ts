import type { FastifyInstance } from "fastify";
import type { ServerResponse } from "node:http";
import type { ServerContext } from "../context.js";
import { wsParams } from "../schemas.js";
import { callerOf, guard } from "./guard.js";

/** DEFAULT_EVENT_HEARTBEAT_MS is how often an idle event stream sends a comment, well inside proxies' and the server's idle timeouts. */
export const DEFAULT_EVENT_HEARTBEAT_MS = 15_000;

/**
 * eventRoutes: `GET /v1/workspaces/{ws}/events`, the workspace's revisions as server-sent
 * events (any member, like the reads; authorized, rate limited and capped per address as
 * every request). The stream opens with the current revision, then sends each committed
 * one (`event: revision`, `id:` and `data: {"revision":N}`), and a `: heartbeat` comment
 * every `heartbeatMs`. At each event and heartbeat the caller's token is checked again:
 * once it is revoked or its member removed, the stream ends (reconnecting then answers
 * 401). Every stream ends when the server stops.
 */
export function eventRoutes(app: FastifyInstance, ctx: ServerContext, heartbeatMs: number): void {
  const open = new Set<ServerResponse>();
  app.addHook("preClose", (done) => {
    for (const res of open) res.end();
    done();
  });

  app.get<{ Params: { ws: string } }>("/v1/workspaces/:ws/events", { onRequest: guard(ctx), schema: { params: wsParams } }, (request, reply) => {
    const caller = callerOf(request);
    const identity = request.identity;
    const stillMember = () => identity.kind === "token" && ctx.repos.tokens.owner(identity.tokenHash)?.workspace.id === caller.workspace.id;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-request-id": request.id,
      "x-accel-buffering": "no",
    });
    open.add(res);
    const send = (revision: number) => {
      if (!stillMember()) return void res.end();
      res.write(`id: ${revision}\nevent: revision\ndata: ${JSON.stringify({ revision })}\n\n`);
    };
    const unsubscribe = ctx.revisions.subscribe(caller.workspace.id, send);
    const heartbeat = setInterval(() => (stillMember() ? res.write(": heartbeat\n\n") : res.end()), heartbeatMs);
    const stop = () => {
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(res);
    };
    res.once("close", stop);
    res.once("finish", stop);
    send(ctx.repos.workspaces.byId(caller.workspace.id)?.revision ?? caller.workspace.revision);
  });
}
