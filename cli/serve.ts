import { Command, Option } from "commander";
import { ConfigError } from "../errors.js";
import { readFile } from "node:fs/promises";
import { parseDuration } from "../server/duration.js";
import type { ServerLimits, TlsFiles } from "../server/limits.js";
import { isLoopback } from "../server/loopback.js";

/** DEFAULT_DB is where the reference server keeps its workspace database unless told otherwise. */
const DEFAULT_DB = ".antryk/workspace.db";

interface ServeOptions {
  db: string;
  host: string;
  port: string;
  invitationTtl: string;
  idempotencyTtl: string;
  faults?: string;
  faultsSeed?: string;
  devOutbox?: boolean;
  rateLimit?: string;
  requestTimeout: string;
  headersTimeout: string;
  connectionTimeout: string;
  keepAliveTimeout: string;
  bodyLimit: string;
  maxConnectionsPerAddress: string;
  maxRoles: string;
  tlsCert?: string;
  tlsKey?: string;
}

/**
 * registerServe adds `serve` (run the reference workspace server) with its
 * subcommands `init` (create a workspace; prints only the owner's token) and `token`
 * (print a new token for an existing member). Tokens go to stdout only, once.
 */
export function registerServe(program: Command): void {
  // `serve` and its subcommands share option names (--db): options must belong to the
  // command they follow, which commander only does with positional options all the way up.
  program.enablePositionalOptions();
  const serve = program
    .command("serve")
    .description("run the reference workspace server (Antryk Access API v1 on SQLite)")
    .enablePositionalOptions()
    .option("--db <file>", "the SQLite workspace database", DEFAULT_DB)
    .option("--host <host>", "address to bind (loopback unless told otherwise)", "127.0.0.1")
    .option("--port <port>", "port to listen on (0 picks a free one)", "4600")
    .option("--invitation-ttl <duration>", "how long invitations stay pending, e.g. 90s, 15m, 7d", "7d")
    .option("--idempotency-ttl <duration>", "how long an Idempotency-Key's first answer is kept and replayed, e.g. 15m, 24h", "24h")
    .addOption(new Option("--faults <fraction>", "fail this fraction of requests (0..1) with 500/503/429/drops").env("ANTRYK_FAULTS"))
    .addOption(new Option("--faults-seed <n>", "seed of the fault sequence (reproducible)").env("ANTRYK_FAULTS_SEED"))
    .option("--dev-outbox", "expose GET /v1/workspaces/{ws}/dev/outbox with the invitation e-mails sent (loopback --host only)")
    .option("--rate-limit <n>", "requests per second each token may make, in bursts of up to 10× that; 0 turns it off (default 500)")
    .option("--request-timeout <duration>", "a request's headers and body must arrive within this (408 after)", "30s")
    .option("--headers-timeout <duration>", "a request's headers must arrive within this (408 after)", "10s")
    .option("--connection-timeout <duration>", "a connection with no traffic for this long is closed", "60s")
    .option("--keep-alive-timeout <duration>", "how long an idle kept-alive connection waits for its next request", "5s")
    .option("--body-limit <bytes>", "the largest request body (413 past it)", String(64 * 1024))
    .option("--max-connections-per-address <n>", "open connections one client address may hold (more are answered 503)", "256")
    .option("--max-roles <n>", "custom roles one workspace may define", "500")
    .option("--tls-cert <file>", "serve HTTPS with this PEM certificate (chain); needs --tls-key")
    .option("--tls-key <file>", "the PEM private key of --tls-cert")
    .action(async (options: ServeOptions) => {
      // The server (fastify, SQLite) is loaded on use, so other commands do not pay for it.
      const { startServer } = await import("../server/index.js");
      const port = parsePort(options.port);
      const limits = limitOptions(options);
      const tls = await tlsOptions(options);
      const server = await startServer({
        limits,
        ...(tls ? { tls } : {}),
        dbPath: options.db,
        host: options.host,
        port,
        invitationTtlMs: durationOption("--invitation-ttl", options.invitationTtl),
        idempotencyTtlMs: durationOption("--idempotency-ttl", options.idempotencyTtl),
        faults: faultOptions(options),
        devOutbox: options.devOutbox === true,
        ...(options.rateLimit !== undefined ? { rateLimit: rateLimitOption(options.rateLimit) } : {}),
      }).catch((err: unknown) => {
        throw listenError(err, options.host, port);
      });
      // said before the listening line, so whoever waits for that line has it
      if (!tls && !isLoopback(options.host)) {
        process.stderr.write(
          `warning: serving plain HTTP on ${options.host}: bearer tokens and the dashboard's sign-in travel in clear unless a TLS-terminating proxy is in front; use --tls-cert and --tls-key to serve HTTPS\n`,
        );
      }
      process.stdout.write(`listening on ${server.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          void server.close().then(resolve);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
    });

  serve
    .command("init")
    .description("create a workspace (and the database) and print the owner's API token")
    .requiredOption("--db <file>", "the SQLite workspace database")
    .requiredOption("--workspace <name>", "the workspace name")
    .requiredOption("--owner <email>", "the owner's email")
    .action(async (options: { db: string; workspace: string; owner: string }) => {
      const { initWorkspace } = await import("../server/index.js");
      const token = initWorkspace(options.db, { workspace: options.workspace, owner: options.owner });
      process.stdout.write(`${token}\n`);
    });

  serve
    .command("token")
    .description("print a new API token for an existing member")
    .requiredOption("--db <file>", "the SQLite workspace database")
    .requiredOption("--workspace <name>", "the workspace name")
    .requiredOption("--email <email>", "the member's email")
    .action(async (options: { db: string; workspace: string; email: string }) => {
      const { issueToken } = await import("../server/index.js");
      const token = issueToken(options.db, { workspace: options.workspace, email: options.email });
      process.stdout.write(`${token}\n`);
    });
}

/** listenError turns a port that cannot be bound into one line naming it and --port; anything else passes through. */
function listenError(err: unknown, host: string, port: number): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === "EADDRINUSE") return new ConfigError(`port ${port} on ${host} is already in use: stop what listens there or choose another with --port`);
  if (code === "EACCES") return new ConfigError(`port ${port} on ${host} needs privileges this process lacks: choose another with --port`);
  if (code === "EADDRNOTAVAIL") return new ConfigError(`cannot listen on ${host}: no such local address (--host)`);
  return err;
}

function limitOptions(options: ServeOptions): ServerLimits {
  return {
    requestTimeoutMs: durationOption("--request-timeout", options.requestTimeout),
    headersTimeoutMs: durationOption("--headers-timeout", options.headersTimeout),
    connectionTimeoutMs: durationOption("--connection-timeout", options.connectionTimeout),
    keepAliveTimeoutMs: durationOption("--keep-alive-timeout", options.keepAliveTimeout),
    bodyLimitBytes: countOption("--body-limit", options.bodyLimit),
    maxConnectionsPerAddress: countOption("--max-connections-per-address", options.maxConnectionsPerAddress),
    maxCustomRoles: countOption("--max-roles", options.maxRoles),
  };
}

function countOption(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d{1,9}$/.test(text) || n < 1) throw new ConfigError(`invalid ${flag} "${text}": a whole number from 1`);
  return n;
}

/** tlsOptions reads --tls-cert and --tls-key (both or neither); a file that cannot be read is one line naming the flag. */
async function tlsOptions(options: ServeOptions): Promise<TlsFiles | undefined> {
  if (options.tlsCert === undefined && options.tlsKey === undefined) return undefined;
  if (options.tlsCert === undefined || options.tlsKey === undefined) throw new ConfigError("--tls-cert and --tls-key go together: give both to serve HTTPS");
  const read = async (flag: string, path: string) => {
    try {
      return await readFile(path);
    } catch (err) {
      throw new ConfigError(`${flag}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  };
  return { cert: await read("--tls-cert", options.tlsCert), key: await read("--tls-key", options.tlsKey) };
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new ConfigError(`invalid --port "${text}": use 0 to 65535`);
  return port;
}

function durationOption(flag: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (err) {
    throw new ConfigError(`${flag}: ${(err as Error).message}`);
  }
}

function faultOptions(options: ServeOptions): { fraction: number; seed: number } | undefined {
  if (options.faults === undefined) {
    if (options.faultsSeed !== undefined) throw new ConfigError("--faults-seed needs --faults <fraction>");
    return undefined;
  }
  const fraction = Number(options.faults);
  if (options.faults.trim() === "" || !(fraction >= 0 && fraction <= 1)) {
    throw new ConfigError(`invalid --faults "${options.faults}": a fraction from 0 to 1, e.g. 0.2`);
  }
  const seedText = options.faultsSeed ?? "1";
  if (!/^\d+$/.test(seedText)) throw new ConfigError(`invalid --faults-seed "${seedText}": a whole number`);
  return { fraction, seed: Number(seedText) };
}

function rateLimitOption(text: string): { perSecond: number; burst: number } | false {
  const perSecond = Number(text);
  if (!/^\d+$/.test(text) || perSecond > 1_000_000) throw new ConfigError(`invalid --rate-limit "${text}": a whole number of requests per second, 0 to turn it off`);
  return perSecond === 0 ? false : { perSecond, burst: perSecond * 10 };
}
