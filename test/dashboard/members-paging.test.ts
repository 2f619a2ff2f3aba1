import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { seedMembers } from "../../server/admin.js";
import { launchBrowser, openPage, signIn, startWorkspace } from "./harness.js";

/**
 * Members at scale in headless Chromium: the server pages and searches, so the page
 * draws only the visible 100 rows, counts come from the lists' totals, Next follows the
 * cursor, and search as you type asks the server at most twice per keystroke.
 */

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("Members paged and searched on the server", { timeout: 120_000 }, () => {
  it("draws one page of 100 of 251 members, pages with Next, sorts on the server, and searches as you type with at most 2 requests per keystroke", async () => {
    const ws = await startWorkspace();
    seedMembers(ws.dbPath, { workspace: ws.name, emails: Array.from({ length: 250 }, (_, i) => `member${String(i).padStart(4, "0")}@acme.io`) });
    const { context, page, errors } = await openPage(browser);
    try {
      const listRequests: string[] = [];
      page.on("request", (r) => {
        if (/\/v1\/workspaces\/[^/]+\/members\?/.test(r.url())) listRequests.push(r.url());
      });
      await signIn(page, ws, ws.ownerToken);
      await page.locator("tr[data-email]").nth(99).waitFor();
      expect(await page.locator("tr[data-email]").count()).toBe(100);
      expect(await page.locator('[data-count="members"] .count-value').textContent()).toBe("251");
      await page.getByText("Showing 1–100 of 251 matching members").waitFor();

      await page.getByRole("button", { name: "Next →" }).click();
      await page.getByText("Showing 101–200 of 251 matching members").waitFor();
      expect(await page.locator("tr[data-email]").count()).toBe(100);
      expect(await page.locator('tr[data-email="member0150@acme.io"]').count()).toBe(1);

      // sorting asks the server: e-mail descending brings the last of 251 (on page 3 in join order) to page 1
      await page.getByRole("button", { name: /^E-mail/ }).click();
      await page.locator('tr[data-email="member0249@acme.io"]').waitFor();
      await page.getByText("Showing 1–100 of 251 matching members").waitFor();
      expect(listRequests.at(-1)).toContain("sort=-email");

      const before = listRequests.length;
      const text = "member0123";
      await page.getByLabel("Search").pressSequentially(text);
      await page.locator('tr[data-email="member0123@acme.io"]').waitFor();
      await page.getByText("Showing 1 of 251 members.").waitFor();
      const sent = listRequests.slice(before);
      expect(sent.length).toBeGreaterThanOrEqual(1);
      expect(sent.length).toBeLessThanOrEqual(2 * text.length);
      expect(sent.at(-1)).toContain("q=member0123");
      expect(new URL(page.url()).hash).toContain("q=member0123");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await ws.close();
    }
  });
});
