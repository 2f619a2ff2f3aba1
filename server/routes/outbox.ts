import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ServerContext } from "../context.js";
import { HttpError } from "../http-error.js";
import { isLoopback } from "../loopback.js";
import type { Outbox } from "../outbox.js";
import { wsParams } from "../schemas.js";
import { callerOf, guard } from "./guard.js";
import { ADMIN_PERMISSION } from "../../schema/catalog.js";

/**
 * outboxRoutes: `GET /v1/workspaces/{ws}/dev/outbox`, registered only with the dev
 * outbox on (which startServer allows only on a loopback address). It lists the
 * workspace's invitation messages, tokens included, so it needs access:manage of that
 * workspace (whoever may invite may see what was sent), and it answers only requests
 * whose Host is the loopback address and port the server listens on: a web page that
 * rebinds its own name to 127.0.0.1 cannot read it.
 */
export function outboxRoutes(app: FastifyInstance, ctx: ServerContext, outbox: Outbox): void {
  app.get<{ Params: { ws: string } }>(
    "/v1/workspaces/:ws/dev/outbox",
    { onRequest: [checkLoopbackHost, guard(ctx, ADMIN_PERMISSION)], schema: { params: wsParams } },
    async (request) => ({ items: outbox.list(callerOf(request).workspace.name) }),
  );
}

/** checkLoopbackHost answers 403 unless the Host header names a loopback address and the port the server is bound to. */
async function checkLoopbackHost(request: FastifyRequest): Promise<void> {
  const address = request.server.server.address();
  const port = typeof address === "object" && address ? String(address.port) : "";
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(request.headers.host ?? "");
  if (!match || !isLoopback(match[1]!) || (match[2] ?? "80") !== port) {
    throw new HttpError(403, "forbidden", `the dev outbox answers only requests addressed to the loopback address on port ${port}`, {
      field: "Host",
    });
  }
}
