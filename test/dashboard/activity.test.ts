import { readFile } from "node:fs/promises";
import Database from "better-sqlite3";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { axeSerious, goTo, launchBrowser, openPage, screenshot, signIn, startWorkspace, type Workspace } from "./harness.js";

/**
 * Access activity in the dashboard, in Chromium against the real server: the Members page's
 * "Last active" column (when, through what, or Never) and its "Inactive 90+ days" filter
 * (kept in the URL), the Review page's "Inactive for 90 days" section and CSV columns; axe-clean.
 */

const DAY_MS = 86_400_000;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** ageMember makes `email` have joined and last been active `days` ago (null: never active), straight in the database (no API changes when people were active). */
function ageMember(ws: Workspace, email: string, days: number, lastActiveDays: number | null): void {
  const db = new Database(ws.dbPath);
  try {
    const now = Date.now();
    db.prepare("UPDATE members SET joined_at = ?, last_active_at = ?, last_active_via = ? WHERE email = ?").run(
      now - days * DAY_MS,
      lastActiveDays === null ? null : now - lastActiveDays * DAY_MS,
      lastActiveDays === null ? null : "api",
      email,
    );
  } finally {
    db.close();
  }
}

const row = (page: Page, email: string) => page.locator(`tr[data-email="${email}"]`);
const emails = (page: Page, scope = "") => page.locator(`${scope} tbody tr[data-email]`).evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.email));

describe("activity in the dashboard", () => {
  it("Members: a Last active column and an Inactive 90+ days filter; Review: the inactive section and CSV columns", async () => {
    const ws = await startWorkspace();
    const { context, page, errors } = await openPage(browser);
    try {
      await ws.join("dormant@acme.io", "account-admin");
      await ws.join("never@acme.io", "developer");
      await ws.join("busy@acme.io", "developer");
      await ws.join("fresh@acme.io", "developer");
      ageMember(ws, "dormant@acme.io", 200, 120);
      ageMember(ws, "never@acme.io", 100, null);
      const busy = await ws.request("GET", `/v1/workspaces/${ws.name}/roles`, { token: ws.tokenFor("busy@acme.io"), headers: { "user-agent": "antryk-access/1.0.0" } });
      expect(busy.status).toBe(200);

      await signIn(page, ws, ws.ownerToken);
      await row(page, "fresh@acme.io").waitFor();
      const lastActive = (email: string) => row(page, email).locator('[data-label="Last active"]').textContent();
      expect(await lastActive("busy@acme.io")).toContain("with antryk-access");
      expect(await lastActive("founder@acme.io")).toContain("in the dashboard");
      expect(await lastActive("fresh@acme.io")).toBe("Never");
      expect(await lastActive("dormant@acme.io")).toContain("through the API");
      expect(await page.locator('[data-count="inactive"] .count-value').textContent()).toBe("2");

      await page.getByLabel("Inactive 90+ days").check();
      await row(page, "fresh@acme.io").waitFor({ state: "detached" });
      expect(await emails(page)).toEqual(["dormant@acme.io", "never@acme.io"]);
      expect(page.url()).toContain("inactive=90");
      expect(await axeSerious(page)).toEqual([]);
      await screenshot(page, "members-inactive");
      await page.reload();
      await row(page, "dormant@acme.io").waitFor();
      expect(await page.getByLabel("Inactive 90+ days").isChecked()).toBe(true);
      expect(await emails(page)).toEqual(["dormant@acme.io", "never@acme.io"]);
      await page.getByLabel("Inactive 90+ days").uncheck();
      await row(page, "fresh@acme.io").waitFor();

      await goTo(page, "Review", "review");
      const inactive = 'section[aria-labelledby="review-inactive"]';
      await page.locator(`${inactive} tbody tr`).first().waitFor();
      expect(await emails(page, inactive)).toEqual(["dormant@acme.io", "never@acme.io"]);
      expect(await page.locator('[data-count="inactive"] .count-value').textContent()).toBe("2");
      expect(await axeSerious(page)).toEqual([]);
      await screenshot(page, "review-inactive");
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
      const rows = parse(await readFile((await download.path())!, "utf8"), { bom: true, columns: true }) as Record<string, string>[];
      const byEmail = Object.fromEntries(rows.map((r) => [r.email, r]));
      expect(byEmail["busy@acme.io"]).toMatchObject({ last_active_via: "antryk-access", inactive: "no" });
      expect(byEmail["dormant@acme.io"]).toMatchObject({ last_active_via: "api", inactive: "yes" });
      expect(byEmail["never@acme.io"]).toMatchObject({ last_active_at: "", inactive: "yes" });
      expect(errors, "uncaught errors in the page").toEqual([]);
    } finally {
      await context.close();
      await ws.close();
    }
  });
});
