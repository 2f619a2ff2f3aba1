import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import type { Invitation, Member, OutboxMessage } from "../../schema/api.js";
import { initWorkspace, issueToken, startServer, type RunningServer } from "../../server/index.js";

/**
 * The dashboard's test harness: the real reference server (devOutbox on, an injectable
 * clock) over a SQLite file in a per-test temp folder on 127.0.0.1:0, Debian's headless
 * Chromium driven by playwright-core, and the real CLI from dist/. Waits are on page
 * conditions only, never on time.
 */

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CLI = join(ROOT, "dist/cli/main.js");
export const SCREENSHOTS = join(ROOT, "test-results/screenshots");
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** launchBrowser starts headless Chromium, failing with the way to install it when it is missing. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Workspace is one test's server: its URL, database, clock and the owner's token. */
export interface Workspace {
  url: string;
  dbPath: string;
  name: string;
  owner: string;
  ownerToken: string;
  /** advance moves the server's clock forward (invitation expiry is decided by it). */
  advance(ms: number): void;
  /** api calls the Access API as `token`'s member (default the owner) and returns the JSON answer. */
  api<T = unknown>(method: string, path: string, body?: unknown, token?: string): Promise<T>;
  /** join invites `email` as `role` through the API and accepts through the dev outbox; returns the member. */
  join(email: string, role: string, permissions?: string[]): Promise<Member>;
  /** acceptFromOutbox accepts the newest invitation message sent to `email`, as the invitee. */
  acceptFromOutbox(email: string): Promise<Member>;
  tokenFor(email: string): string;
  close(): Promise<void>;
}

/** startWorkspace initializes a workspace in a fresh temp folder and starts the server over it. */
export async function startWorkspace(name = "acme", owner = "founder@acme.io"): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), "antryk-dashboard-"));
  const dbPath = join(dir, "access.db");
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  const ownerToken = initWorkspace(dbPath, { workspace: name, owner, now });
  const server: RunningServer = await startServer({ dbPath, host: "127.0.0.1", port: 0, devOutbox: true, now, rateLimit: false });

  async function api<T>(method: string, path: string, body?: unknown, token: string | null = ownerToken): Promise<T> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  async function acceptFromOutbox(email: string): Promise<Member> {
    const { items } = await api<{ items: OutboxMessage[] }>("GET", `/v1/workspaces/${name}/dev/outbox`);
    const message = items.filter((m) => m.email === email).at(-1);
    if (!message) throw new Error(`no invitation message to ${email} in the dev outbox`);
    return api<Member>("POST", "/v1/invitations/accept", { token: message.token }, null);
  }

  return {
    url: server.url,
    dbPath,
    name,
    owner,
    ownerToken,
    advance: (ms) => {
      offsetMs += ms;
    },
    api: (method, path, body, token) => api(method, path, body, token),
    async join(email, role, permissions = []) {
      await api<Invitation>("POST", `/v1/workspaces/${name}/invitations`, { email, role, permissions });
      return acceptFromOutbox(email);
    },
    acceptFromOutbox,
    tokenFor: (email) => issueToken(dbPath, { workspace: name, email }),
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** openPage opens a fresh browser context (its own sessionStorage) at `width`×`height`. */
export async function openPage(browser: Browser, width = 1280, height = 800): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));
  return { context, page, errors };
}

/** signIn signs in through the form and waits for the Members page. */
export async function signIn(page: Page, ws: Workspace, token: string): Promise<void> {
  await page.goto(`${ws.url}/?workspace=${ws.name}`);
  await page.getByLabel("API token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator('.view[data-page="members"]').waitFor();
}

/** goTo follows a navigation link and waits for its page to be shown. */
export async function goTo(page: Page, link: string, pageKey: string): Promise<void> {
  await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: link, exact: true }).click();
  await page.locator(`.view[data-page="${pageKey}"]`).waitFor();
}

/** screenshot saves the page under test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** runCli runs the built CLI with `env` added; it never throws on a non-zero exit. */
export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx tsc -p .\` (npm test builds first)`);
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env, NO_COLOR: "1" }, cwd: tmpdir() }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
