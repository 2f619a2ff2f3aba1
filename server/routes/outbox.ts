import type { FastifyInstance } from "fastify";
import type { Outbox } from "../outbox.js";

/** outboxRoutes: `GET /v1/dev/outbox`, registered only with the dev outbox on (local use; no token needed). */
export function outboxRoutes(app: FastifyInstance, outbox: Outbox): void {
  app.get("/v1/dev/outbox", async () => ({ items: outbox.list() }));
}
