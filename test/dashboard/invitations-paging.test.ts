import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { goTo, launchBrowser, openPage, signIn, startWorkspace } from "./harness.js";

/**
 * Invitations at scale in headless Chromium: the server pages and searches them, so the
 * page draws one page of 100, counts come from the lists' totals, Next follows the cursor,
 * search as you type asks the server at most twice per keystroke, and "Select all" takes
 * only the rows of the page shown.
 */

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const email = (n: number): string => `guest${String(n).padStart(4, "0")}@acme.io`;

describe("Invitations paged and searched on the server", { timeout: 180_000 }, () => {
  it("draws one page of 100 of 251 invitations, pages with Next, selects only the page shown, filters by role on the server, and searches as you type with at most 2 requests per keystroke", async () => {
    const ws = await startWorkspace();
    for (let start = 0; start < 251; start += 25) {
      await Promise.all(
        Array.from({ length: Math.min(25, 251 - start) }, (_, k) =>
          ws.api("POST", `/v1/workspaces/${ws.name}/invitations`, { email: email(start + k), role: (start + k) % 50 === 7 ? "account-admin" : "developer" }),
        ),
      );
    }
    const { context, page, errors } = await openPage(browser);
    try {
      const listRequests: string[] = [];
      page.on("request", (r) => {
        if (/\/v1\/workspaces\/[^/]+\/invitations\?/.test(r.url())) listRequests.push(r.url());
      });
      await signIn(page, ws, ws.ownerToken);
      await goTo(page, "Invitations", "invitations");
      await page.locator("tr[data-email]").nth(99).waitFor();
      expect(await page.locator("tr[data-email]").count()).toBe(100);
      await page.getByText("Showing 1–100 of 251 matching invitations").waitFor();
      expect(await page.getByLabel("Show", { exact: true }).locator("option:checked").textContent()).toBe("Needs attention (251)");
      expect(listRequests.some((u) => new URL(u).searchParams.get("status") === "pending,expired")).toBe(true);

      await page.getByRole("button", { name: "Select all 100 shown" }).click();
      await page.getByText("100 selected").waitFor();
      await page.getByRole("button", { name: "Unselect all 100 shown" }).click();

      await page.getByRole("button", { name: "Next →" }).click();
      await page.getByText("Showing 101–200 of 251 matching invitations").waitFor();
      expect(await page.locator("tr[data-email]").count()).toBe(100);
      expect(await page.locator(`tr[data-email="${email(150)}"]`).count()).toBe(1);
      expect(listRequests.at(-1)).toContain("cursor=");

      // the role filter asks the server: 5 of the 251 hold account-admin
      await page.getByLabel("Role", { exact: true }).selectOption("account-admin");
      await page.getByText("Showing 5 of 251 invitations.").waitFor();
      expect(listRequests.at(-1)).toContain("role=account-admin");
      await page.getByLabel("Role", { exact: true }).selectOption("");
      await page.getByText("Showing 1–100 of 251 matching invitations").waitFor();

      const before = listRequests.length;
      const text = "guest0123";
      await page.getByLabel("Search").pressSequentially(text);
      await page.locator(`tr[data-email="${email(123)}"]`).waitFor();
      await page.getByText("Showing 1 of 251 invitations.").waitFor();
      const sent = listRequests.slice(before);
      expect(sent.length).toBeGreaterThanOrEqual(1);
      expect(sent.length).toBeLessThanOrEqual(2 * text.length);
      expect(sent.at(-1)).toContain("q=guest0123");
      expect(new URL(page.url()).hash).toContain("q=guest0123");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await ws.close();
    }
  });
});
