import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { AuditEvent, Page as ApiPage } from "../../schema/api.js";
import { dayRange, historyCsv, HISTORY_CSV_COLUMNS } from "../../server/dashboard/assets/history.js";
import { axeSerious, goTo, launchBrowser, openPage, screenshot, signIn, startWorkspace } from "./harness.js";

/**
 * The Access history page in headless Chromium against the real server: the Person filter
 * applies as it is typed (no Enter), a date range (UTC days, both included) narrows the
 * events, both kept in the URL, and "Download CSV" saves exactly the filtered events.
 */

const DAY = 86_400_000;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const doneTo = (page: Page) => page.locator('tbody tr[data-action] [data-label="Done to"]').allTextContents();

describe("dayRange", () => {
  it.each([
    ["2026-11-02", "2026-11-03", Date.parse("2026-11-02T00:00:00Z"), Date.parse("2026-11-04T00:00:00Z")],
    ["", "2026-11-03", -Infinity, Date.parse("2026-11-04T00:00:00Z")],
    ["2026-11-02", "", Date.parse("2026-11-02T00:00:00Z"), Infinity],
    ["nonsense", "", -Infinity, Infinity],
  ])("%j … %j covers both days whole", (from, to, start, end) => {
    expect(dayRange(from, to)).toEqual({ from: start, to: end });
  });
  it("CSV: the columns, formula cells defused", () => {
    const event = { id: "e1", at: "2026-11-02T10:00:00.000Z", actor: "=cmd@acme.io", action: "invitation.created", target: "a@acme.io", client: "api", before: null, after: null, requestId: "r1" };
    const rows = parse(historyCsv([event as unknown as AuditEvent]), { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(HISTORY_CSV_COLUMNS.map(([name]) => name));
    expect(rows[0]).toMatchObject({ actor: "'=cmd@acme.io", action: "invitation.created", action_label: "Invited", client: "api" });
  });
});

describe("the Access history page", { timeout: 120_000 }, () => {
  it("filters as you type, by a date range kept in the URL, and downloads the filtered history as CSV", async () => {
    const ws = await startWorkspace();
    const { context, page, errors } = await openPage(browser, 1280, 900);
    try {
      // three days of invitations, 10 days apart on the server's clock
      ws.advance(-30 * DAY);
      for (const [i, email] of ["ann@acme.io", "anton@acme.io", "bea@acme.io"].entries()) {
        if (i > 0) ws.advance(10 * DAY);
        await ws.api("POST", `/v1/workspaces/${ws.name}/invitations`, { email, role: "developer" });
      }
      ws.advance(10 * DAY);
      const events = (await ws.api<ApiPage<AuditEvent>>("GET", `/v1/workspaces/${ws.name}/audit`)).items;
      const dayOf = (email: string) => events.find((e) => e.target === email)!.at.slice(0, 10);

      await signIn(page, ws, ws.ownerToken);
      await goTo(page, "Access history", "history");
      await page.locator("tbody tr[data-action]").first().waitFor();
      expect(await doneTo(page)).toEqual(["bea@acme.io", "anton@acme.io", "ann@acme.io", "acme"]);

      // as you type: no Enter, no button
      await page.getByLabel("Person").pressSequentially("ant");
      await page.locator('tbody tr[data-action] [data-label="Done to"]', { hasText: "bea@acme.io" }).waitFor({ state: "detached" });
      expect(await doneTo(page)).toEqual(["anton@acme.io"]);
      expect(page.url()).toContain("person=ant");
      await page.getByLabel("Person").fill("");
      await page.locator('tbody tr[data-action] [data-label="Done to"]', { hasText: "bea@acme.io" }).waitFor();

      // a date range: both days included, kept in the URL
      await page.getByLabel("From (UTC day)").fill(dayOf("ann@acme.io"));
      await page.getByLabel("To (UTC day)").fill(dayOf("anton@acme.io"));
      await page.locator('tbody tr[data-action] [data-label="Done to"]', { hasText: "bea@acme.io" }).waitFor({ state: "detached" });
      expect(await doneTo(page)).toEqual(["anton@acme.io", "ann@acme.io"]);
      expect(page.url()).toContain(`from=${dayOf("ann@acme.io")}`);
      expect(page.url()).toContain(`to=${dayOf("anton@acme.io")}`);
      await page.reload();
      await page.locator("tbody tr[data-action]").first().waitFor();
      expect(await doneTo(page)).toEqual(["anton@acme.io", "ann@acme.io"]);
      expect(await page.getByLabel("From (UTC day)").inputValue()).toBe(dayOf("ann@acme.io"));
      expect(await axeSerious(page)).toEqual([]);
      await screenshot(page, "history-range");

      // the CSV holds exactly what the filters show
      await page.getByLabel("Person").pressSequentially("ann");
      await page.locator('tbody tr[data-action] [data-label="Done to"]', { hasText: "anton@acme.io" }).waitFor({ state: "detached" });
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
      expect(download.suggestedFilename()).toBe(`access-history-${ws.name}.csv`);
      const rows = parse(await readFile((await download.path())!, "utf8"), { bom: true, columns: true }) as Record<string, string>[];
      expect(rows.map((r) => [r.target, r.action, r.action_label, r.client])).toEqual([["ann@acme.io", "invitation.created", "Invited", "api"]]);
      expect(errors, "uncaught errors in the page").toEqual([]);
    } finally {
      await context.close();
      await ws.close();
    }
  });
});
