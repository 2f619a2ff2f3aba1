import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { extend, offsetClock, startWorkspaceServer, type WorkspaceServer } from "../support/server.js";

/**
 * The dashboard's test harness: the shared workspace server (test/support/server.ts) on a
 * clock the test moves, Debian's headless Chromium driven by playwright-core, and the real
 * CLI from dist/. Waits are on page conditions only, never on time.
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

/** Workspace is one test's server (its workspace is `name`), on a clock the test moves. */
export interface Workspace extends WorkspaceServer {
  name: string;
  /** advance moves the server's clock forward (invitation expiry is decided by it). */
  advance(ms: number): void;
  /** api calls the Access API as `token`'s member (default the owner) and returns the JSON answer; it throws on a status other than 2xx. */
  api<T = unknown>(method: string, path: string, body?: unknown, token?: string): Promise<T>;
}

/** startWorkspace starts the shared workspace server (test/support/server.ts) on a clock the test moves (`invitationTtlMs` as `serve` takes it). */
export async function startWorkspace(name = "acme", owner = "founder@acme.io", options: { invitationTtlMs?: number } = {}): Promise<Workspace> {
  const clock = offsetClock();
  const ws = await startWorkspaceServer({ workspace: name, owner, prefix: "antryk-dashboard-", dbName: "access.db", now: clock.now, server: options });
  return extend(ws, {
    name,
    advance: clock.advance,
    async api<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
      const answer = await ws.request(method, path, { token, body });
      if (answer.status < 200 || answer.status > 299) throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      return answer.body as T;
    },
  });
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

/** longEmail is a valid 254-character address (64-character local part, labels of at most 63) that starts with `prefix`. */
export function longEmail(prefix: string): string {
  const local = `${prefix}.${"l".repeat(64)}`.slice(0, 64);
  const label = (c: string) => c.repeat(63);
  const domain = `${label("a")}.${label("b")}.${"d".repeat(254 - 65 - 2 * 64 - 3)}.io`;
  return `${local}@${domain}`;
}

/** AxeViolation is one serious or critical finding of axe-core: its rule and the elements it names. */
export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * axeSerious runs axe-core in the page (its source injected through the DevTools protocol,
 * which the page's CSP does not govern) and returns the serious and critical violations.
 */
export async function axeSerious(page: Page, include?: string): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (include) => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run((include ? { include: [include] } : document) as Document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
  }, include);
}

/** LayoutProblem is a control outside the viewport's width, or the page itself scrolling sideways. */
export interface LayoutProblem {
  what: string;
  left: number;
  right: number;
}

/**
 * layoutProblems lists what breaks "every action reachable without scrolling sideways": the
 * page wider than the viewport, or a visible button or button-like link (in `scope`, default
 * the page and any open dialog) whose box leaves the viewport horizontally.
 */
export async function layoutProblems(page: Page, scope = "main button, main a.btn, dialog[open] button, #live button, .topbar button"): Promise<LayoutProblem[]> {
  return page.evaluate((selector) => {
    const width = document.documentElement.clientWidth;
    const problems: { what: string; left: number; right: number }[] = [];
    const pageWidth = document.documentElement.scrollWidth;
    if (pageWidth > width) problems.push({ what: `page is ${pageWidth}px wide in a ${width}px viewport`, left: 0, right: pageWidth });
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue; // not rendered
      // In a dialog the button must also be on screen vertically (the body scrolls, the buttons stay).
      const offScreen = el.closest("dialog[open]") && (box.top < -0.5 || box.bottom > document.documentElement.clientHeight + 0.5);
      if (box.left < -0.5 || box.right > width + 0.5 || offScreen) {
        problems.push({ what: `${el.tagName.toLowerCase()} "${el.getAttribute("aria-label") ?? el.textContent?.trim()}"`, left: Math.round(box.left), right: Math.round(box.right) });
      }
    }
    return problems;
  }, scope);
}
