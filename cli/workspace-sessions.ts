import { createClient, type AccessClient } from "../client/index.js";
import type { MultiTarget } from "./credentials.js";
import { openEmbeddedSet } from "./embedded.js";
import type { Session } from "./session.js";
import { retriesFromEnv } from "./target.js";

/**
 * Sessions to several workspaces at once: one client per distinct token (workspaces
 * sharing ANTRYK_TOKEN share one connection pool), or one embedded server holding them all.
 */

/** SessionSet is a Session per workspace and a close() that ends every client and the embedded server. */
export interface SessionSet {
  sessions: Map<string, Session>;
  close(): Promise<void>;
}

/** embeddedSetAnnouncement is the first line of a command over several embedded local workspaces. */
export function embeddedSetAnnouncement(workspaces: readonly string[], displayPath: string): string {
  return `Using the embedded local workspaces ${workspaces.map((w) => `"${w}"`).join(", ")} (${displayPath}); set ANTRYK_API_URL and ANTRYK_TOKEN (or ANTRYK_TOKEN_<WORKSPACE>) to target real workspaces.`;
}

/** openSessions connects to every workspace of `files`; the embedded target calls `announce` once, first. */
export async function openSessions(options: {
  target: MultiTarget;
  files: readonly { workspace: string; owner?: string }[];
  announce: (line: string) => void;
  cwd?: string;
  /** create: false (export) refuses embedded workspaces that do not exist yet. */
  create?: boolean;
}): Promise<SessionSet> {
  const retries = retriesFromEnv();
  const retry = retries === undefined ? {} : { retry: { retries } };
  const sessions = new Map<string, Session>();
  const clients = new Map<string, AccessClient>();
  const clientFor = (baseUrl: string, token: string) => {
    let client = clients.get(token);
    if (client === undefined) {
      client = createClient({ baseUrl, token, ...retry });
      clients.set(token, client);
    }
    return client;
  };
  const closeClients = async () => {
    await Promise.all([...clients.values()].map((c) => c.close()));
  };
  const noop = async () => {};

  if (options.target.kind === "remote") {
    for (const { workspace } of options.files) {
      const client = clientFor(options.target.baseUrl, options.target.tokens.get(workspace)!);
      sessions.set(workspace, { client, target: client.baseUrl, workspace, embedded: false, close: noop });
    }
    return { sessions, close: closeClients };
  }
  const local = await openEmbeddedSet({
    cwd: options.cwd ?? process.cwd(),
    workspaces: options.files,
    explicit: options.target.explicit,
    ...(options.create === false ? { create: false } : {}),
  });
  options.announce(embeddedSetAnnouncement(options.files.map((f) => f.workspace), local.displayPath));
  for (const { workspace } of options.files) {
    const client = clientFor(local.baseUrl, local.tokens.get(workspace)!);
    sessions.set(workspace, { client, target: `embedded:${local.displayPath}`, workspace, embedded: true, close: noop });
  }
  return {
    sessions,
    close: async () => {
      await closeClients();
      await local.close();
    },
  };
}
