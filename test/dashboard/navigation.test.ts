import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { goTo, launchBrowser, openPage, screenshot, signIn, startWorkspace, type Workspace } from "./harness.js";

/**
 * Moving between pages: a page that loads marks the previous one stale (main aria-busy, the
 * old view dimmed and inert, the navigation already on the new page), Back closes a dialog
 * rather than leaving it over another page, and the tabs follow what the reader may read.
 */

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function withRun(body: (run: { ws: Workspace; page: Page }) => Promise<void>): Promise<void> {
  const ws = await startWorkspace();
  const { context, page, errors } = await openPage(browser);
  try {
    await body({ ws, page });
    expect(errors, "uncaught errors in the page").toEqual([]);
  } finally {
    await context.close();
    await ws.close();
  }
}

describe("navigation", { timeout: 120_000 }, () => {
  it("while a page loads, main is aria-busy and the previous page is marked stale, not current, until the data arrives", async () => {
    await withRun(async ({ ws, page }) => {
      await ws.api("POST", `/v1/workspaces/${ws.name}/invitations`, { email: "ida@acme.io", role: "developer" });
      await signIn(page, ws, ws.ownerToken);
      // The invitations read is held until the test has looked at the page in between.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let arrived!: () => void;
      const asked = new Promise<void>((resolve) => (arrived = resolve));
      await page.route("**/v1/workspaces/*/invitations?*", async (route) => {
        arrived();
        await held;
        await route.continue();
      });
      await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Invitations", exact: true }).click();
      await asked;
      expect(await page.locator("main").getAttribute("aria-busy")).toBe("true");
      const old = page.locator('.view[data-page="members"]');
      expect(await old.getAttribute("class")).toContain("stale");
      expect(await old.evaluate((el) => (el as HTMLElement).inert)).toBe(true);
      await page.getByRole("status").filter({ hasText: "Loading Invitations…" }).waitFor();
      const current = page.getByRole("navigation", { name: "Sections" }).locator('[aria-current="page"]');
      expect(await current.allTextContents()).toEqual(["Invitations"]);

      release();
      await page.locator('.view[data-page="invitations"]').waitFor();
      await page.locator('tr[data-email="ida@acme.io"]').waitFor();
      expect(await page.locator("main").getAttribute("aria-busy")).toBeNull();
      expect(await page.locator(".view.stale, main > .loading").count()).toBe(0);
    });
  });

  it("Back closes an open dialog: no dialog stays over another page", async () => {
    await withRun(async ({ ws, page }) => {
      await ws.api("POST", `/v1/workspaces/${ws.name}/invitations`, { email: "ida@acme.io", role: "developer" });
      await signIn(page, ws, ws.ownerToken);
      await goTo(page, "Invitations", "invitations");
      await page.getByRole("button", { name: "Edit invitation to ida@acme.io" }).click();
      await page.getByRole("dialog").waitFor();
      await page.goBack();
      await page.locator('.view[data-page="members"]').waitFor();
      expect(await page.locator("dialog").count()).toBe(0);
      expect(new URL(page.url()).hash).toBe("#/members");
    });
  });

  it("the Access history tab is shown only to those who may read it (access:manage)", async () => {
    await withRun(async ({ ws, page }) => {
      await ws.join("dev@acme.io", "developer");
      const tabs = () => page.getByRole("navigation", { name: "Sections" }).getByRole("link").allTextContents();
      await signIn(page, ws, ws.tokenFor("dev@acme.io"));
      expect(await tabs()).not.toContain("Access history");
      await page.getByRole("button", { name: "Sign out" }).click();
      await signIn(page, ws, ws.ownerToken);
      expect(await tabs()).toContain("Access history");
    });
  });

  it("dark mode follows prefers-color-scheme: dark surfaces and light text, and back to light", async () => {
    await withRun(async ({ ws, page }) => {
      await ws.join("ann@acme.io", "developer", ["billing:read"]);
      await page.emulateMedia({ colorScheme: "dark" });
      await signIn(page, ws, ws.ownerToken);
      const colours = () =>
        page.evaluate(() => {
          const lum = (c: string) => {
            const [r, g, b] = (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
            return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
          };
          const table = document.querySelector(".table-wrap")!;
          return { page: lum(getComputedStyle(document.body).backgroundColor), table: lum(getComputedStyle(table).backgroundColor), text: lum(getComputedStyle(document.body).color) };
        });
      const dark = await colours();
      expect(dark.page).toBeLessThan(0.2);
      expect(dark.table).toBeLessThan(0.2);
      expect(dark.text).toBeGreaterThan(0.8);
      await screenshot(page, "members-dark");
      await page.emulateMedia({ colorScheme: "light" });
      const light = await colours();
      expect(light.page).toBeGreaterThan(0.9);
      expect(light.text).toBeLessThan(0.2);
    });
  });
});
