import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createClient, type AccessClient } from "../../client/index.js";
import { extend, startWorkspaceServer, type WorkspaceServer } from "../support/server.js";
import { EngineResource, ProviderHost, REPO_ROOT, secret, stripAntrykEnv, type Props } from "./harness.js";

/**
 * Fixtures of the provider tests: the shared workspace server (test/support/server.ts), a
 * "program folder" laid out as a Pulumi project's (node_modules/antryk-access and
 * node_modules/@pulumi linked to this repository, the way `npm install antryk-access` would
 * provide them), and the `__provider` texts of the three resource classes, produced by the
 * real classes in a plain Node process.
 */

const run = promisify(execFile);

export const WORKSPACE = "acme-prod";
export const OWNER = "founder@acme.io";

/** Workspace is a running reference server with one workspace, its owner's token and a client acting as the owner. */
export interface Workspace extends WorkspaceServer {
  client: AccessClient;
}

/** startWorkspace starts the shared workspace server (test/support/server.ts) and a client acting as its owner. */
export async function startWorkspace(options: { workspace?: string; owner?: string; now?: () => Date } = {}): Promise<Workspace> {
  const { workspace = WORKSPACE, owner = OWNER } = options;
  // The server's default rate limit stays on, as in a user's `serve`.
  const clock = options.now === undefined ? {} : { now: options.now };
  const ws = await startWorkspaceServer({ workspace, owner, prefix: "antryk-provider-", dbName: "access.db", server: { rateLimit: undefined }, ...clock });
  const client = createClient({ baseUrl: ws.url, token: ws.ownerToken });
  const closeServer = ws.close;
  return extend(ws, {
    client,
    async close() {
      await client.close();
      await closeServer();
    },
  });
}

/** acceptInvitation accepts the latest invitation sent to `email`, as the invitee would from the e-mail. */
export async function acceptInvitation(ws: Workspace, email: string): Promise<void> {
  const messages = (await ws.client.devOutbox(ws.workspace)).filter((m) => m.email === email);
  const last = messages[messages.length - 1];
  if (!last) throw new Error(`no invitation e-mail for ${email}`);
  await ws.client.acceptInvitation(last.token);
}

/** makeProgramDir creates a folder laid out like a Pulumi program that installed antryk-access and @pulumi/pulumi. */
export async function makeProgramDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "antryk-program-"));
  await mkdir(path.join(dir, "node_modules"), { recursive: true });
  await symlink(REPO_ROOT, path.join(dir, "node_modules", "antryk-access"), "dir");
  await symlink(path.join(REPO_ROOT, "node_modules", "@pulumi"), path.join(dir, "node_modules", "@pulumi"), "dir");
  await writeFile(path.join(dir, "package.json"), JSON.stringify({ name: "access-program", private: true, type: "module" }));
  return dir;
}

/** ProviderTexts are the `__provider` texts by resource class name. */
export type ProviderTexts = Record<"WorkspaceAccess" | "Member" | "CustomRole", string>;

let cached: Promise<ProviderTexts> | undefined;

/** providerTexts serializes the three providers once per test file (plain node, compiled dist/). */
export function providerTexts(): Promise<ProviderTexts> {
  cached ??= run(process.execPath, [path.join(REPO_ROOT, "test/provider/serialize-providers.mjs")], {
    cwd: REPO_ROOT,
    maxBuffer: 16 * 1024 * 1024,
  }).then(({ stdout }) => JSON.parse(stdout) as ProviderTexts);
  return cached;
}

/** RESOURCE_TYPES are the engine types of the three resources. */
export const RESOURCE_TYPES = {
  WorkspaceAccess: "pulumi-nodejs:dynamic/antryk:WorkspaceAccess",
  Member: "pulumi-nodejs:dynamic/antryk:Member",
  CustomRole: "pulumi-nodejs:dynamic/antryk:CustomRole",
} as const;

/** Stage is one test's world: a workspace server, a program folder, and a configured host running in it. */
export interface Stage {
  ws: Workspace;
  host: ProviderHost;
  programDir: string;
  texts: ProviderTexts;
  resource(kind: keyof ProviderTexts, name: string): EngineResource;
  close(): Promise<void>;
}

/**
 * startStage starts a workspace and a dynamic-provider host in a fresh program folder,
 * configured as `pulumi up` would with `antryk:apiUrl` and the secret `antryk:token`
 * (override with `config`; `env` is the host's environment, ANTRYK_* stripped by default).
 */
export async function startStage(
  options: { config?: (ws: Workspace) => Props; env?: (ws: Workspace) => NodeJS.ProcessEnv; now?: () => Date; programDir?: () => Promise<string> } = {},
): Promise<Stage> {
  const texts = await providerTexts();
  const ws = await startWorkspace(options.now === undefined ? {} : { now: options.now });
  const programDir = await (options.programDir ?? makeProgramDir)();
  const host = await ProviderHost.start({ cwd: programDir, env: options.env?.(ws) ?? stripAntrykEnv(process.env) });
  const config = options.config?.(ws) ?? {
    "antryk:apiUrl": ws.url,
    "antryk:token": secret(ws.ownerToken),
    "access-program:unrelated": "kept out of the provider's way",
  };
  await host.configure(config);
  return {
    ws,
    host,
    programDir,
    texts,
    resource: (kind, name) => new EngineResource(host, RESOURCE_TYPES[kind], name, texts[kind]),
    async close() {
      await host.stop();
      await ws.close();
      await rm(programDir, { recursive: true, force: true });
    },
  };
}
