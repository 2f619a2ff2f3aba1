import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, openPage, signIn, startWorkspace } from "./harness.js";

/**
 * The Members filters an auditor asks for: admins however they hold access:manage (role or
 * extra permission), people outside the company domains (kept in the URL, subdomains inside),
 * and extra permissions (any, or one).
 */

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const shownEmails = (page: Page) => page.locator(".members-table tbody tr[data-email]").evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.email));

describe("Members filters", { timeout: 120_000 }, () => {
  it("admin (through a role or an extra permission), external (company domains in the URL), and extra permission", async () => {
    const ws = await startWorkspace();
    const { context, page, errors } = await openPage(browser);
    try {
      await ws.join("ann@acme.io", "developer", ["access:manage"]);
      await ws.join("bob@contractor.dev", "developer");
      await ws.join("cy@eu.acme.io", "developer", ["billing:read"]);
      await ws.join("dee@acme.io", "account-admin");
      await signIn(page, ws, ws.ownerToken);
      await page.locator('tr[data-email="dee@acme.io"]').waitFor();

      await page.getByLabel(/^Admins \(hold/).check();
      await expect.poll(() => shownEmails(page), { timeout: 15_000 }).toEqual(["founder@acme.io", "ann@acme.io", "dee@acme.io"]);
      await page.getByLabel(/^Admins \(hold/).uncheck();

      await page.getByLabel("Outside the company domains").check();
      // The signed-in member's domain is the default; a subdomain counts as inside.
      expect(await page.getByLabel("Company domains", { exact: true }).inputValue()).toBe("acme.io");
      await expect.poll(() => shownEmails(page), { timeout: 15_000 }).toEqual(["bob@contractor.dev"]);
      await page.getByLabel("Company domains", { exact: true }).fill("acme.io, contractor.dev");
      await page.getByText("No member matches these filters.").waitFor();
      await page.getByLabel("Company domains", { exact: true }).fill("contractor.dev");
      // the list reloads after the search debounce: wait for it rather than read the old page
      await expect.poll(() => shownEmails(page), { timeout: 15_000 }).toEqual(["founder@acme.io", "ann@acme.io", "cy@eu.acme.io", "dee@acme.io"]);
      await page.reload();
      await page.locator('.view[data-page="members"]').waitFor();
      expect(await page.getByLabel("Company domains", { exact: true }).inputValue()).toBe("contractor.dev");
      await expect.poll(() => shownEmails(page), { timeout: 15_000 }).toEqual(["founder@acme.io", "ann@acme.io", "cy@eu.acme.io", "dee@acme.io"]);
      await page.getByLabel("Outside the company domains").uncheck();

      await page.getByLabel("Extra permission").selectOption("any");
      await expect.poll(() => shownEmails(page), { timeout: 15_000 }).toEqual(["ann@acme.io", "cy@eu.acme.io"]);
      await page.getByLabel("Extra permission").selectOption("billing:read");
      await expect.poll(() => shownEmails(page), { timeout: 15_000 }).toEqual(["cy@eu.acme.io"]);
      expect(new URL(page.url()).hash).toContain("extra=billing%3Aread");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await ws.close();
    }
  });
});
