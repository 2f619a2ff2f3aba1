import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from "fastify";
import { clientErrorAnswer } from "./client-errors.js";
import type { ServerContext } from "./context.js";
import { faultAnswer, FaultPlan, type Fault, type FaultOptions } from "./faults.js";
import { HttpError } from "./http-error.js";
import { boundedServerFactory, DEFAULT_LIMITS, registerConnectionCap, type ServerLimits, type TlsFiles } from "./limits.js";
import { authenticate } from "./auth.js";
import { clientOf } from "./client-kind.js";
import { DEFAULT_RATE_LIMIT, RateLimiter, registerRateLimit, type RateLimitOptions } from "./rate-limit.js";
import { registerDashboard } from "./dashboard/index.js";
import { acceptRoutes } from "./routes/accept.js";
import { auditRoutes } from "./routes/audit.js";
import { DEFAULT_EVENT_HEARTBEAT_MS, eventRoutes } from "./routes/events.js";
import { invitationRoutes } from "./routes/invitations.js";
import { memberRoutes } from "./routes/members.js";
import { outboxRoutes } from "./routes/outbox.js";
import { roleRoutes } from "./routes/roles.js";
import { workspaceRoutes } from "./routes/workspace.js";
import { newId } from "./secrets.js";
import { validatorCompiler } from "./validation.js";

declare module "fastify" {
  interface FastifyRequest {
    /** fault is the injected failure decided for this request, if any. */
    fault: Fault | null;
  }
  interface FastifyInstance {
    /** registeredRoutes lists every route the app registered (method and URL pattern), e.g. to check the OpenAPI document covers them. */
    registeredRoutes: { method: string; url: string }[];
  }
}

/** AppOptions are the switches of the HTTP layer on top of the context. */
export interface AppOptions {
  faults?: FaultOptions;
  /** rateLimit per caller (API token once authenticated, else client address); false turns it off. */
  rateLimit?: RateLimitOptions | false;
  /** logger turns on fastify's request log (off by default); the Authorization header is always redacted. */
  logger?: boolean;
  /** limits bound requests, connections and custom roles (DEFAULT_LIMITS unless given). */
  limits?: ServerLimits;
  /** tls serves HTTPS with this certificate and key instead of plain HTTP. */
  tls?: TlsFiles;
  /** eventHeartbeatMs is how often an idle event stream sends a heartbeat (DEFAULT_EVENT_HEARTBEAT_MS; never above half the connection timeout). */
  eventHeartbeatMs?: number;
}

/**
 * buildApp assembles the Access API on fastify: validators, the error shape, fault
 * injection, rate limiting and every route. It does not listen; startServer does.
 */
export async function buildApp(ctx: ServerContext, options: AppOptions = {}): Promise<FastifyInstance> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const app = Fastify({
    serverFactory: boundedServerFactory(limits, options.tls),
    bodyLimit: limits.bodyLimitBytes,
    logger: options.logger ? { redact: ["req.headers.authorization"] } : false,
    genReqId: () => newId("req_"),
    return503OnClosing: false, // answered below, in the API's error shape
    forceCloseConnections: true,
    exposeHeadRoutes: false,
    routerOptions: { maxParamLength: 200 },
    clientErrorHandler: clientErrorAnswer,
    // the router's own refusals (a path parameter too long, a malformed URL) get the API's error shape too
    frameworkErrors: (error, _request, reply) => {
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      void (reply as FastifyReply).code(status).send(new HttpError(status, "bad_request", error.message).body());
    },
  });
  const registeredRoutes: { method: string; url: string }[] = [];
  app.decorate("registeredRoutes", registeredRoutes);
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) registeredRoutes.push({ method, url: route.url });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.decorateRequest("caller", null);
  app.decorateRequest("fault", null);
  registerConnectionCap(app);
  registerJsonParser(app);
  registerErrorAnswers(app);
  let closing = false;
  app.addHook("preClose", (done) => {
    closing = true;
    done();
  });
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
    if (closing) {
      reply.header("connection", "close");
      throw new HttpError(503, "unavailable", "the server is shutting down", undefined, { "retry-after": "1" });
    }
  });
  if (options.faults && options.faults.fraction > 0) registerFaults(app, new FaultPlan(options.faults));
  app.decorateRequest("identity", null as never);
  app.addHook("onRequest", async (request) => {
    request.identity = authenticate(ctx, request.headers.authorization);
    // every authenticated request is activity, kept in memory (server/activity.ts)
    if (ctx.tracking && request.identity.kind === "token") ctx.activity.record(request.identity.owner.member.id, clientOf(request.headers).client);
  });
  if (options.rateLimit !== false) registerRateLimit(app, new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT));

  workspaceRoutes(app, ctx);
  memberRoutes(app, ctx);
  invitationRoutes(app, ctx);
  acceptRoutes(app, ctx);
  roleRoutes(app, ctx);
  auditRoutes(app, ctx);
  eventRoutes(app, ctx, Math.max(1, Math.min(options.eventHeartbeatMs ?? DEFAULT_EVENT_HEARTBEAT_MS, Math.floor(limits.connectionTimeoutMs / 2))));
  if (ctx.outbox) outboxRoutes(app, ctx, ctx.outbox);
  registerDashboard(app);
  return app;
}

/** registerJsonParser makes JSON the only body type (others are 415), treating an empty body as no body (for resend, revoke, DELETE). */
function registerJsonParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === "") return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new HttpError(400, "bad_request", "the request body is not valid JSON"), undefined);
    }
  });
}

/**
 * registerErrorAnswers gives every error, including fastify's own and unknown routes, the
 * API's error shape. A 500 is a bug: it is always reported on stderr in one line naming
 * the request id (which the answer carries too), whether the request log is on or not.
 */
function registerErrorAnswers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      return reply.code(error.status).headers(error.headers).send(error.body());
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send(new HttpError(status, "bad_request", error.message).body());
    }
    request.log.error({ err: error }, "internal error");
    const what = `${error.name}: ${error.message}`.replace(/\s+/g, " ");
    process.stderr.write(`${new Date().toISOString()} internal error (request ${request.id}) ${request.method} ${request.url.split("?")[0]}: ${what}\n`);
    return reply.code(500).send(new HttpError(500, "internal", `internal error (request ${request.id})`).body());
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(new HttpError(404, "not_found", `no route ${request.method} ${request.url.split("?")[0]}`).body()),
  );
}

/** registerFaults decides a fault for each API request except the dev outbox, and applies it before or after the work. */
function registerFaults(app: FastifyInstance, plan: FaultPlan): void {
  app.addHook("onRequest", async (request, reply) => {
    const path = request.url.split("?")[0]!;
    if (!path.startsWith("/v1/") || path.endsWith("/dev/outbox")) return;
    const fault = plan.next();
    if (!fault) return;
    request.fault = fault;
    if (fault.phase !== "before") return;
    if (fault.kind === "drop") {
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    throw faultError(fault.kind);
  });
  app.addHook("onSend", async (request, reply, payload) => {
    const fault = request.fault;
    if (!fault || fault.phase !== "after") return payload;
    if (fault.kind === "drop") {
      request.raw.socket.destroy();
      return payload;
    }
    const error = faultError(fault.kind);
    reply.removeHeader("etag");
    reply.removeHeader("idempotent-replayed");
    reply.code(error.status).headers(error.headers).header("content-type", "application/json; charset=utf-8");
    return JSON.stringify(error.body());
  });
}

function faultError(kind: "500" | "503" | "429"): HttpError {
  const { status, code, message } = faultAnswer(kind);
  return new HttpError(status, code, message, { injected: true }, status === 500 ? {} : { "retry-after": "1" });
}
