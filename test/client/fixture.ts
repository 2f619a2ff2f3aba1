import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, type AccessClient, type ClientOptions } from "../../client/index.js";
import { initWorkspace, issueToken, seedMembers } from "../../server/admin.js";
import { startServer } from "../../server/index.js";

/**
 * A real reference server on 127.0.0.1:0 with a SQLite file in its own temp folder,
 * for the client and apply suites. `restart` closes the server and serves the same
 * file again with other switches (e.g. faults off to check what a faulty run left).
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

export async function startFixture(options: ServerSwitches & { seed?: number } = {}): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), "antryk-client-"));
  const dbPath = join(dir, "workspace.db");
  const workspace = "acme";
  const owner = "owner@acme.io";
  const token = initWorkspace(dbPath, { workspace, owner });
  if (options.seed) {
    seedMembers(dbPath, { workspace, emails: Array.from({ length: options.seed }, (_, i) => `member${String(i).padStart(5, "0")}@acme.io`) });
  }
  const clients: AccessClient[] = [];
  let connections = 0;
  const serve = async (switches: ServerSwitches) => {
    const server = await startServer({ dbPath, host: "127.0.0.1", port: 0, rateLimit: false, ...switches });
    server.app.server.on("connection", () => {
      connections += 1;
    });
    return server;
  };
  let server = await serve(options);
  const fixture: Fixture = {
    get url() {
      return server.url;
    },
    token,
    dbPath,
    workspace,
    owner,
    connections: () => connections,
    client(overrides = {}) {
      const c = createClient({ baseUrl: server.url, token, sleep: noSleep, ...overrides });
      clients.push(c);
      return c;
    },
    tokenFor: (email) => issueToken(dbPath, { workspace, email }),
    async restart(switches = {}) {
      await server.close();
      server = await serve(switches);
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fixture;
}
