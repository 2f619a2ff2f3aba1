import { createClient, type AccessClient, type ClientOptions } from "../../client/index.js";
import { startWorkspaceServer } from "../support/server.js";

/**
 * The client and apply suites' fixture: the shared workspace server (test/support/server.ts)
 * for workspace "acme" owned by owner@acme.io, dev outbox off unless asked, clients that
 * retry without sleeping, and a count of the TCP connections the server accepted. `restart`
 * serves the same file again with other switches (e.g. faults off to check what a faulty
 * run left).
 */
export interface Fixture {
  url: string;
  token: string;
  dbPath: string;
  workspace: string;
  owner: string;
  /** connections counts TCP connections the server accepted. */
  connections(): number;
  client(options?: Partial<ClientOptions>): AccessClient;
  tokenFor(email: string): string;
  restart(options?: ServerSwitches): Promise<void>;
  close(): Promise<void>;
}

/** ServerSwitches are the startServer options the suites vary. */
export interface ServerSwitches {
  faults?: { fraction: number; seed: number };
  devOutbox?: boolean;
  invitationTtlMs?: number;
  rateLimit?: false;
}

/** noSleep makes retries immediate: the suites test what is retried, not the wall clock. */
export const noSleep = async (): Promise<void> => {};

/** startFixture starts the workspace with `seed` developers (member00000@acme.io …) already in it. */
export async function startFixture(options: ServerSwitches & { seed?: number } = {}): Promise<Fixture> {
  const { seed = 0, ...switches } = options;
  let connections = 0;
  const ws = await startWorkspaceServer({
    workspace: "acme",
    owner: "owner@acme.io",
    prefix: "antryk-client-",
    seed: Array.from({ length: seed }, (_, i) => `member${String(i).padStart(5, "0")}@acme.io`),
    server: { devOutbox: false, ...switches },
    onStart: (server) => void server.app.server.on("connection", () => (connections += 1)),
  });
  const clients: AccessClient[] = [];
  return {
    get url() {
      return ws.url;
    },
    token: ws.ownerToken,
    dbPath: ws.dbPath,
    workspace: ws.workspace,
    owner: ws.owner,
    connections: () => connections,
    client(overrides = {}) {
      const c = createClient({ baseUrl: ws.url, token: ws.ownerToken, sleep: noSleep, ...overrides });
      clients.push(c);
      return c;
    },
    tokenFor: ws.tokenFor,
    restart: (switches = {}) => ws.restart({ devOutbox: false, ...switches }),
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await ws.close();
    },
  };
}
