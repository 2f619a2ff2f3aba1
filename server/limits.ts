import { createServer as createHttpServer, STATUS_CODES, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import type { FastifyInstance } from "fastify";
import { HttpError } from "./http-error.js";

/**
 * The bounds of the reference server: how long a request, its headers and an idle
 * connection may take, how large a body may be, how many connections one client address
 * may hold and how many custom roles a workspace may define. No request can hold the
 * server: a body that stops arriving is cut at the request timeout (408), and connections
 * past the per-address cap are answered 503 at once and closed, so one address cannot
 * use up the process's file descriptors. Every bound is a `serve` option.
 */

/** ServerLimits are the bounds; all times in milliseconds. */
export interface ServerLimits {
  /** requestTimeoutMs: the whole request, headers and body, must arrive within it (408 after). */
  requestTimeoutMs: number;
  /** headersTimeoutMs: the headers must arrive within it (408 after); at most requestTimeoutMs. */
  headersTimeoutMs: number;
  /** connectionTimeoutMs: a connection with no traffic at all for this long is closed. */
  connectionTimeoutMs: number;
  /** keepAliveTimeoutMs: how long an idle kept-alive connection waits for its next request. */
  keepAliveTimeoutMs: number;
  /** bodyLimitBytes: the largest request body of the workspace routes (413 past it); accepting an invitation allows less. */
  bodyLimitBytes: number;
  /** maxConnectionsPerAddress: open connections one client address may hold; more are answered 503 and closed. */
  maxConnectionsPerAddress: number;
  /** maxCustomRoles: custom roles one workspace may define (409 `too_many_roles` past it). */
  maxCustomRoles: number;
}

/**
 * DEFAULT_LIMITS follow Node's and fastify's guidance for a server facing clients
 * directly: a request timeout (Node's default is 300 s; fastify's none), headers well
 * before it, keep-alive a little above common proxies' idle time, a small JSON body.
 */
export const DEFAULT_LIMITS: ServerLimits = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  connectionTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  bodyLimitBytes: 64 * 1024,
  maxConnectionsPerAddress: 256,
  maxCustomRoles: 500,
};

/** ACCEPT_BODY_LIMIT_BYTES is the body limit of POST /v1/invitations/accept (a token, nothing else). */
export const ACCEPT_BODY_LIMIT_BYTES = 1024;

/** TlsFiles are the PEM certificate (chain) and private key to serve HTTPS with. */
export interface TlsFiles {
  cert: string | Buffer;
  key: string | Buffer;
}

/** resolveLimits fills the defaults in and refuses a bound that is not a positive whole number (RangeError naming it). */
export function resolveLimits(given: Partial<ServerLimits> = {}): ServerLimits {
  const limits = { ...DEFAULT_LIMITS, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) } as ServerLimits;
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive whole number, got ${String(value)}`);
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) limits.headersTimeoutMs = limits.requestTimeoutMs;
  return limits;
}

/**
 * boundedServerFactory is fastify's `serverFactory`: an HTTP (or, with `tls`, HTTPS)
 * server with the limits' timeouts, checking them at least every second (Node checks
 * every 30 s by default, which would let a slow body live 30 s past its timeout), and
 * the per-address connection cap.
 */
export function boundedServerFactory(limits: ServerLimits, tls?: TlsFiles) {
  return (handler: Parameters<typeof createHttpServer>[1]): Server => {
    const options = {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 2))),
    };
    const server = tls ? createHttpsServer({ ...options, cert: tls.cert, key: tls.key }, handler) : createHttpServer(options, handler);
    server.setTimeout(limits.connectionTimeoutMs);
    capConnectionsPerAddress(server, limits.maxConnectionsPerAddress, tls !== undefined);
    return server;
  };
}

const refused = new WeakSet<Socket>();

/**
 * capConnectionsPerAddress answers a connection past `max` open ones from the same
 * address with 503 `unavailable` and Retry-After (plain HTTP; over TLS it is only
 * closed, as no handshake happened yet), then closes it.
 */
function capConnectionsPerAddress(server: Server, max: number, tls: boolean): void {
  const open = new Map<string, number>();
  server.prependListener("connection", (socket: Socket) => {
    const address = socket.remoteAddress ?? "";
    const count = (open.get(address) ?? 0) + 1;
    open.set(address, count);
    socket.once("close", () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
    if (count <= max) return;
    refused.add(socket);
    if (tls) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify(
      new HttpError(503, "unavailable", `too many connections from this address (at most ${max} at once); retry after the others close`).body(),
    );
    // destroyed once written: a client that never closes its side must not keep the descriptor
    socket.end(
      `HTTP/1.1 503 ${STATUS_CODES[503]}\r\nContent-Type: application/json; charset=utf-8\r\nRetry-After: 1\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      () => socket.destroy(),
    );
  });
}

/** registerConnectionCap stops any request that still arrives on a connection the cap refused (it was answered 503 already). */
export function registerConnectionCap(app: FastifyInstance): void {
  app.addHook("onRequest", async (request, reply) => {
    if (!refused.has(request.raw.socket)) return;
    reply.hijack();
    request.raw.socket.destroy();
  });
}
