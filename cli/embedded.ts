import { existsSync } from "node:fs";
import { chmod, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { AccessError } from "../errors.js";

/**
 * The embedded local workspace: the reference server run in this process on
 * 127.0.0.1:0 over a SQLite file under `.antryk/` in the current folder. On first use
 * it creates the workspace with a local owner and keeps the owner's token in
 * `.antryk/<workspace>.token` (mode 0600); the token is never printed. The server is
 * imported lazily so remote targets never load fastify or SQLite.
 */

/** EMBEDDED_DIR is the folder, relative to the current one, that holds the embedded workspace. */
export const EMBEDDED_DIR = ".antryk";
/** EMBEDDED_DB is the SQLite file's name inside EMBEDDED_DIR. */
export const EMBEDDED_DB = "workspace.db";
/** DEFAULT_LOCAL_OWNER owns an embedded workspace whose file sets no `owner:`. */
export const DEFAULT_LOCAL_OWNER = "owner@antryk.localhost";

/** EmbeddedWorkspace is a running embedded server and the owner token to call it with. */
export interface EmbeddedWorkspace {
  baseUrl: string;
  token: string;
  /** dbPath as shown to people: relative to the current folder. */
  displayPath: string;
  close(): Promise<void>;
}

/** embeddedAnnouncement is the first line of output of a command that uses the embedded workspace. */
export function embeddedAnnouncement(workspace: string, displayPath: string): string {
  return `Using the embedded local workspace "${workspace}" (${displayPath}); set ANTRYK_API_URL and ANTRYK_TOKEN to target a real workspace.`;
}

/**
 * openEmbedded starts the reference server for `workspace` in `cwd`, creating the
 * database, the workspace (owned by `owner`, default owner@antryk.localhost) and its token
 * file when they do not exist yet.
 */
export async function openEmbedded(options: {
  cwd: string;
  workspace: string;
  owner?: string;
  /** create: false (export) refuses a workspace that does not exist yet instead of creating an empty one. */
  create?: boolean;
  /**
   * explicit (--local) may create a workspace beside the ones already there; without it,
   * a name the folder does not hold yet is refused (a typo in `workspace:` would otherwise
   * silently plan against a new, empty workspace). The very first workspace is always created.
   */
  explicit?: boolean;
}): Promise<EmbeddedWorkspace> {
  const server = await import("../server/index.js");
  const { dir, dbPath, displayPath } = embeddedPaths(options.cwd);
  const token = await ensureToken(server, { ...options, dir, dbPath, displayPath });
  // One local user: no rate limit to wait on.
  const running = await server.startServer({ dbPath, host: "127.0.0.1", port: 0, rateLimit: false });
  return { baseUrl: running.url, token, displayPath, close: () => running.close() };
}

/** EmbeddedWorkspaces is one running embedded server holding several workspaces, and the owner token of each. */
export interface EmbeddedWorkspaces {
  baseUrl: string;
  tokens: Map<string, string>;
  displayPath: string;
  close(): Promise<void>;
}

/**
 * openEmbeddedSet starts one reference server over the one database of `.antryk/` that
 * holds every workspace, creating those missing by openEmbedded's rules (all of them on first
 * use; beside existing ones only with `explicit`), and returns each one's owner token.
 */
export async function openEmbeddedSet(options: {
  cwd: string;
  workspaces: readonly { workspace: string; owner?: string }[];
  explicit?: boolean;
  /** create: false (export) refuses a workspace that does not exist yet. */
  create?: boolean;
}): Promise<EmbeddedWorkspaces> {
  const server = await import("../server/index.js");
  const paths = embeddedPaths(options.cwd);
  const fresh = !existsSync(paths.dbPath) || server.workspaceNames(paths.dbPath).length === 0;
  const tokens = new Map<string, string>();
  for (const w of options.workspaces) {
    // The very first run creates them all: none of them is a typo beside an existing one.
    tokens.set(
      w.workspace,
      await ensureToken(server, { ...paths, workspace: w.workspace, owner: w.owner, explicit: options.explicit === true || fresh, ...(options.create === false ? { create: false } : {}) }),
    );
  }
  const running = await server.startServer({ dbPath: paths.dbPath, host: "127.0.0.1", port: 0, rateLimit: false });
  return { baseUrl: running.url, tokens, displayPath: paths.displayPath, close: () => running.close() };
}

function embeddedPaths(cwd: string): { dir: string; dbPath: string; displayPath: string } {
  const dir = join(cwd, EMBEDDED_DIR);
  const dbPath = join(dir, EMBEDDED_DB);
  return { dir, dbPath, displayPath: relative(cwd, dbPath) || dbPath };
}

/** ensureToken returns the owner token of an embedded workspace, creating the workspace (and the database) when openEmbedded's rules allow. */
async function ensureToken(
  server: typeof import("../server/index.js"),
  options: { dir: string; dbPath: string; displayPath: string; workspace: string; owner?: string; create?: boolean; explicit?: boolean },
): Promise<string> {
  const { dir, dbPath, displayPath } = options;
  const tokenPath = join(dir, tokenFileName(options.workspace));
  // A token without its database (the .db was deleted) opens nothing: start over.
  let token = existsSync(dbPath) ? await readExistingToken(tokenPath) : undefined;
  if (token === undefined) {
    if (options.create === false) {
      throw new AccessError(
        `no embedded local workspace "${options.workspace}" in ${EMBEDDED_DIR}/ yet: run plan or apply with a file naming it first`,
      );
    }
    const held = existsSync(dbPath) ? server.workspaceNames(dbPath) : [];
    const others = held.filter((w) => w !== options.workspace);
    if (!held.includes(options.workspace) && others.length > 0 && options.explicit !== true) {
      throw new AccessError(
        `the embedded local workspace in ${displayPath} holds ${others.map((w) => `"${w}"`).join(", ")}, not "${options.workspace}": fix workspace: in the file, or pass --local to create "${options.workspace}" beside ${others.length === 1 ? "it" : "them"}`,
      );
    }
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(join(dir, ".gitignore"), "# antryk-access: the embedded local workspace (database, owner tokens); never commit it\n*\n");
    token = createOrReopen(server, dbPath, displayPath, options.workspace, options.owner ?? DEFAULT_LOCAL_OWNER);
    await writeFile(tokenPath, `${token}\n`, { mode: 0o600 });
    await chmod(tokenPath, 0o600);
  }
  return token;
}

/**
 * createOrReopen creates the workspace and returns its owner token; when the workspace
 * already exists (its token file was deleted) it issues a new token for `owner`.
 */
function createOrReopen(
  server: typeof import("../server/index.js"),
  dbPath: string,
  displayPath: string,
  workspace: string,
  owner: string,
): string {
  try {
    return server.initWorkspace(dbPath, { workspace, owner });
  } catch (initErr) {
    if (!(initErr instanceof server.WorkspaceExistsError)) throw initErr;
    try {
      return server.issueToken(dbPath, { workspace, email: owner });
    } catch (issueErr) {
      throw new AccessError(
        `the embedded workspace "${workspace}" in ${displayPath} has lost its token file and ${owner} is not a member: ${messageOf(issueErr)}; delete ${EMBEDDED_DIR}/ to start over`,
        { cause: issueErr },
      );
    }
  }
}

/** embeddedWorkspaces lists the workspaces that have an owner token under `.antryk/` in `cwd`, sorted. */
export async function embeddedWorkspaces(cwd: string): Promise<string[]> {
  try {
    const names = await readdir(join(cwd, EMBEDDED_DIR));
    return names
      .filter((n) => n.endsWith(".token"))
      .map((n) => n.slice(0, -".token".length))
      .sort();
  } catch {
    return [];
  }
}

/** tokenFileName keeps workspace names that are not plain file names from escaping the folder. */
function tokenFileName(workspace: string): string {
  const safe = /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(workspace) ? workspace : encodeURIComponent(workspace).replace(/%/g, "_");
  return `${safe}.token`;
}


async function readExistingToken(path: string): Promise<string | undefined> {
  try {
    const token = (await readFile(path, "utf8")).trim();
    return token === "" ? undefined : token;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new AccessError(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? "unreadable"})`, { cause: err });
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
