import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { extractText, getDocumentProxy } from "unpdf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { REVIEW_CSV_COLUMNS } from "../../reconciler/review/csv.js";
import { axeSerious, goTo, launchBrowser, openPage, screenshot, SCREENSHOTS, signIn, startWorkspace, type Workspace } from "./harness.js";

/**
 * The Review page an auditor signs, in headless Chromium against the real server: five
 * sortable sections (admins however they hold access:manage, people outside the company
 * domains set on the page and kept in the URL, access ending soon, old invitations, people
 * no file manages), readable wording and absolute dates, and the CLI's CSV. The page runs
 * the engine's review code (reconciler/review/assemble.ts), served compiled as the domain core.
 */

const DAY = 86_400_000;
const FILE = "antryk-access:acme";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** EVE_ENDS is when the contractor's access ends: 10 days from now (the page's clock and the server's agree to the day). */
const EVE_ENDS = new Date(Date.now() + 10 * DAY).toISOString();

/** seed makes a workspace with an admin of each kind, an outsider, a managed member and an invitation sent 20 days ago. */
async function seed(ws: Workspace): Promise<void> {
  const path = `/v1/workspaces/${ws.name}`;
  ws.advance(-20 * DAY); // the invitation below was sent 20 days ago (the server's clock; the page's is real)
  await ws.api("POST", `${path}/invitations`, { email: "old@acme.io", role: "developer" });
  ws.advance(20 * DAY);
  await ws.join("admin@acme.io", "account-admin");
  await ws.join("extra@acme.io", "developer", ["access:manage"]);
  await ws.api("PUT", `${path}/roles/finance-viewer`, { permissions: ["billing:read", "access:manage"] });
  await ws.join("fin@acme.io", "finance-viewer");
  await ws.join("dev@acme.io", "developer");
  await ws.join("eve@contractor.dev", "developer");
  // a contractor whose access the workspace ends in 10 days (the server's accessExpiresAt, as `expires:` sends it)
  const eve = await ws.api<{ items: { id: string; version: number }[] }>("GET", `${path}/members?q=eve`);
  const ends = await ws.request("PATCH", `${path}/members/${eve.items[0]!.id}`, { body: { accessExpiresAt: EVE_ENDS }, headers: { "if-match": `"${eve.items[0]!.version}"` } });
  expect(ends.status).toBe(200);
  const managed = await ws.request("POST", `${path}/invitations`, { body: { email: "bob@acme.io", role: "developer" }, headers: { "x-antryk-manager": FILE } });
  expect(managed.status).toBe(201);
}

const rowsOf = (page: Page, id: string) =>
  page.locator(`section[aria-labelledby="${id}"] tbody tr`).evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.email));
const cellsOf = (page: Page, id: string, label: string) =>
  page.locator(`section[aria-labelledby="${id}"] tbody td[data-label="${label}"]`).evaluateAll((cells) => cells.map((c) => (c as HTMLElement).innerText.trim()));

describe("the Review page", { timeout: 120_000 }, () => {
  it("answers the auditor's questions in five sortable sections, with the settings in the URL, and downloads the CSV", async () => {
    const ws = await startWorkspace();
    const { context, page, errors } = await openPage(browser, 1440, 900);
    try {
      await seed(ws);
      await signIn(page, ws, ws.ownerToken);
      // Members shows when the contractor's access ends (the workspace's own accessExpiresAt)
      const eveRow = page.locator('tr[data-email="eve@contractor.dev"] [data-access="ends"]');
      expect(await eveRow.innerText()).toContain(`Access ends ${EVE_ENDS.slice(0, 10)}`);
      await goTo(page, "Review", "review");
      await page.locator('section[aria-labelledby="review-admins"] tbody tr').first().waitFor();

      // admins: however they hold access:manage, a pending invitation's role included
      expect(await rowsOf(page, "review-admins")).toEqual(["admin@acme.io", "extra@acme.io", "fin@acme.io", "founder@acme.io"]);
      expect(await cellsOf(page, "review-admins", "Admin through")).toEqual(["Role account-admin", "Extra permission", "Custom role finance-viewer", "Owner"]);
      expect(await page.locator('[data-count="admins"] .count-value').textContent()).toBe("4");

      // readable wording and absolute dates: no raw action ids or lowercase statuses, no "ago"
      const statuses = await cellsOf(page, "review-stale", "Status");
      expect(statuses).toEqual(["Invitation expired"]);
      expect(await cellsOf(page, "review-stale", "Age")).toEqual(["20 days"]);
      expect((await cellsOf(page, "review-stale", "Invited"))[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
      const text = await page.locator("main").innerText();
      expect(text).not.toMatch(/\b(invitation|member)\.[a-z]+\b/);
      expect(text).not.toMatch(/\bago\b/);
      const everyStatus = await page.locator('tbody td[data-label="Status"]').evaluateAll((cells) => cells.map((c) => (c as HTMLElement).innerText.trim()));
      expect([...new Set(everyStatus)].sort()).toEqual(["Active member", "Invitation expired"]);

      // people outside the company domains: the owner's domain by default, then as typed, kept in the URL
      expect(await page.getByRole("textbox", { name: "Company domains" }).inputValue()).toBe("acme.io");
      expect(await rowsOf(page, "review-outside")).toEqual(["eve@contractor.dev"]);
      await page.getByRole("textbox", { name: "Company domains" }).fill("acme.io, contractor.dev");
      await page.locator('section[aria-labelledby="review-outside"] .empty').waitFor();
      expect(page.url()).toContain("domains=acme.io%2C+contractor.dev");
      await page.getByRole("textbox", { name: "Company domains" }).fill("contractor.dev");
      await page.locator('section[aria-labelledby="review-outside"] tbody tr').first().waitFor();
      expect(await rowsOf(page, "review-outside")).toEqual(["admin@acme.io", "bob@acme.io", "dev@acme.io", "extra@acme.io", "fin@acme.io", "founder@acme.io", "old@acme.io"]);
      await page.reload();
      await page.locator('section[aria-labelledby="review-outside"] tbody tr').first().waitFor();
      expect(await page.getByRole("textbox", { name: "Company domains" }).inputValue()).toBe("contractor.dev");
      expect((await rowsOf(page, "review-outside")).length).toBe(7);

      // invitations older than N days: the window is the page's, kept in the URL
      await page.getByRole("spinbutton", { name: "Invitations older than (days)" }).fill("30");
      await page.locator('section[aria-labelledby="review-stale"] .empty').waitFor();
      expect(page.url()).toContain("older=30");

      // not managed by any file: everyone but the owner and the managed invitation
      expect(await rowsOf(page, "review-not-managed")).toEqual(["admin@acme.io", "dev@acme.io", "eve@contractor.dev", "extra@acme.io", "fin@acme.io", "old@acme.io"]);
      expect((await cellsOf(page, "review-not-managed", "Last change"))[0]).toMatch(/^invitation accepted by admin@acme\.io through the API, \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);

      // access ending soon: the contractor whose accessExpiresAt is in 10 days, with its absolute date
      expect(await rowsOf(page, "review-expiring")).toEqual(["eve@contractor.dev"]);
      expect((await page.locator('section[aria-labelledby="review-expiring"] tbody').innerText())).toContain(EVE_ENDS.slice(0, 10));

      // sortable: Role descending puts the custom role first
      const adminsRole = page.locator('section[aria-labelledby="review-admins"] th button', { hasText: "Role" }).first();
      await adminsRole.click();
      expect(await cellsOf(page, "review-admins", "Role")).toEqual(["account-admin", "developer", "finance-viewer", "owner"]);
      await page.locator('section[aria-labelledby="review-admins"] th button', { hasText: "Role" }).first().click();
      expect(await cellsOf(page, "review-admins", "Role")).toEqual(["owner", "finance-viewer", "developer", "account-admin"]);
      expect(await page.locator('section[aria-labelledby="review-admins"] th[aria-sort="descending"]').textContent()).toContain("Role");
      expect(await axeSerious(page)).toEqual([]);
      await screenshot(page, "review");

      // the CSV is the CLI's: its columns, a column for each section
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
      expect(download.suggestedFilename()).toBe(`access-review-${ws.name}.csv`);
      const rows = parse(await readFile((await download.path())!, "utf8"), { bom: true, columns: true }) as Record<string, string>[];
      expect(Object.keys(rows[0]!)).toEqual(REVIEW_CSV_COLUMNS.map((c) => c.name));
      const byEmail = Object.fromEntries(rows.map((r) => [r.email, r]));
      expect(byEmail["extra@acme.io"]).toMatchObject({ admin: "yes", internal: "no", not_managed: "yes", status: "active" });
      expect(byEmail["eve@contractor.dev"]).toMatchObject({ admin: "no", internal: "yes", access_expires_at: EVE_ENDS });
      expect(byEmail["old@acme.io"]).toMatchObject({ status: "expired", stale_invitation: "no", last_change_client: "api" });
      expect(byEmail["bob@acme.io"]).toMatchObject({ status: "pending", managed_by: FILE, not_managed: "no" });
      expect(errors, "uncaught errors in the page").toEqual([]);
    } finally {
      await context.close();
      await ws.close();
    }
  });

  it("prints just the review: workspace, generated-at (UTC), reviewer, page numbers, no navigation, no word broken", async () => {
    const ws = await startWorkspace();
    const { context, page, errors } = await openPage(browser, 1024, 800);
    try {
      await seed(ws);
      for (let i = 0; i < 30; i += 1) await ws.api("POST", `/v1/workspaces/${ws.name}/invitations`, { email: `contractor-${i}@partner-agency.example`, role: "account-admin" });
      await signIn(page, ws, ws.ownerToken);
      await goTo(page, "Review", "review");
      await page.locator('section[aria-labelledby="review-admins"] tbody tr').first().waitFor();
      const generated = (await page.locator('[data-meta="generated"]').textContent())!;
      expect(generated).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
      expect(await brokenWords(page)).toEqual([]);

      await page.emulateMedia({ media: "print" });
      const printed = await page.locator("body").innerText();
      expect(printed.replace(/\s+/g, " ")).toContain(`Generated at ${generated}`);
      for (const hidden of ["Give account access", "Access history", "Sign out", "Skip to content", "Download CSV", "Company domains", "Updated", "Refresh"]) expect(printed, hidden).not.toContain(hidden);
      expect(await brokenWords(page)).toEqual([]);

      await screenshot(page, "review-print");
      const pdf = await page.pdf({ format: "A4" });
      await writeFile(join(SCREENSHOTS, "review.pdf"), pdf);
      const { totalPages, text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: false });
      expect(totalPages).toBeGreaterThan(1);
      const first = text[0]!.replace(/\s+/g, " ");
      expect(first).toContain("Access review");
      expect(first).toContain(`Workspace: ${ws.name}`);
      expect(first).toContain(`Generated at: ${generated}`);
      expect(first).toContain("Reviewer: founder@acme.io");
      expect(first).toContain(`Page 1 of ${totalPages}`);
      expect(text[totalPages - 1]!.replace(/\s+/g, " ")).toContain(`Page ${totalPages} of ${totalPages}`);
      for (const hidden of ["Give account access", "Invitations older than (days)", "Access history", "Sign out", "Download CSV", "Refresh"]) expect(first, hidden).not.toContain(hidden);
      expect(errors, "uncaught errors in the page").toEqual([]);
    } finally {
      await context.close();
      await ws.close();
    }
  });
});

/** brokenWords lists the words of the review's tables laid out over more than one line (an address's parts count as words: it may break after "@" or "."). */
function brokenWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    for (const table of document.querySelectorAll("table.review-table tbody")) {
      const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const m of (node.textContent ?? "").matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (lines.size > 1) broken.push(m[0]);
        }
      }
    }
    return broken;
  });
}
