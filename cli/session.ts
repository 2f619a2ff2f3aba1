import { createClient, type AccessClient } from "../client/index.js";
import { embeddedAnnouncement, openEmbedded } from "./embedded.js";
import { retriesFromEnv, type TargetSpec } from "./target.js";

/**
 * Session is one command's connection to a workspace: the client, the target label a
 * plan records (an API base URL, or `embedded:<db path>` for the local workspace, whose
 * port changes every run) and a close() that ends the client and any embedded server.
 */
export interface Session {
  client: AccessClient;
  target: string;
  workspace: string;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * openSession connects to a target resolved beforehand (resolveTarget runs before the
 * access file is read, so a missing target in CI is refused before anything is read).
 * With the embedded workspace it calls `announce` once, before anything else is
 * printed, with the line saying so.
 */
export async function openSession(options: {
  target: TargetSpec;
  workspace: string;
  /** owner for a new embedded workspace (the file's `owner:`). */
  owner?: string;
  announce: (line: string) => void;
  /** create: false refuses to create a missing embedded workspace (export). */
  create?: boolean;
  cwd?: string;
}): Promise<Session> {
  const spec = options.target;
  const retries = retriesFromEnv();
  const retry = retries === undefined ? {} : { retry: { retries } };
  if (spec.kind === "remote") {
    const client = createClient({ baseUrl: spec.baseUrl, token: spec.token, ...retry });
    return { client, target: client.baseUrl, workspace: options.workspace, embedded: false, close: () => client.close() };
  }
  const local = await openEmbedded({
    cwd: options.cwd ?? process.cwd(),
    workspace: options.workspace,
    owner: options.owner,
    create: options.create,
    explicit: spec.explicit,
  });
  options.announce(embeddedAnnouncement(options.workspace, local.displayPath));
  const client = createClient({ baseUrl: local.baseUrl, token: local.token, ...retry });
  return {
    client,
    target: `embedded:${local.displayPath}`,
    workspace: options.workspace,
    embedded: true,
    close: async () => {
      await client.close();
      await local.close();
    },
  };
}

/** withSession runs `body` with an open session and always closes it. */
export async function withSession<T>(options: Parameters<typeof openSession>[0], body: (session: Session) => Promise<T>): Promise<T> {
  const session = await openSession(options);
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}
