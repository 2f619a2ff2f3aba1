import type { FastifyRequest, onRequestHookHandler } from "fastify";
import { authorize, type Caller } from "../auth.js";
import type { ServerContext } from "../context.js";

declare module "fastify" {
  interface FastifyRequest {
    /** caller is set by the guard of every authenticated route, before its body is even parsed. */
    caller: Caller | null;
  }
}

/**
 * guard authorizes a request before its body is parsed and its parameters and body
 * are validated, so the order of answers is always 401 → 404 (workspace) → 403 → 400
 * (or 415) → the route's own.
 * `permission` is what the route needs beyond membership (changes and the audit log
 * need access:manage). For a change this is only the early answer: runAuthorizedChange
 * decides again inside the write transaction.
 */
export function guard(ctx: ServerContext, permission?: string): onRequestHookHandler {
  return (request, _reply, done) => {
    const params = request.params as { ws?: unknown };
    request.caller = authorize(ctx, request, typeof params.ws === "string" ? params.ws : "", permission);
    done();
  };
}

/** callerOf is the guarded request's caller. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new Error("route without a guard asked for its caller");
  return request.caller;
}
