import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser, openPage, screenshot, signIn, startWorkspace } from "./harness.js";

/**
 * Live updates in headless Chromium against the real server: the workspace event stream
 * redraws an open page when a change is made elsewhere (here through the API), well
 * before the 30 s poll; when the stream cannot be read the live bar says the page is
 * polling, and once the stream is back the notice goes. Waits are on page conditions.
 */

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** STREAM_BOUND_MS bounds "at once": far below the 30 s poll, so only the stream can meet it (the target is 2 s; the bound leaves room for a loaded machine). */
const STREAM_BOUND_MS = 5_000;

describe("live updates", { timeout: 120_000 }, () => {
  it("an invitation and then a member made through the API appear on an open Members page through the event stream", async () => {
    const ws = await startWorkspace();
    const { context, page, errors } = await openPage(browser);
    try {
      await signIn(page, ws, ws.ownerToken);
      await page.locator('#live[data-stream="live"]').waitFor();
      const pending = page.locator('[data-count="pending"] .count-value');
      expect(await pending.textContent()).toBe("0");

      const started = Date.now();
      await ws.api("POST", `/v1/workspaces/${ws.name}/invitations`, { email: "streamed@acme.io", role: "developer" });
      await page.locator('[data-count="pending"] .count-value', { hasText: "1" }).waitFor({ timeout: STREAM_BOUND_MS });
      const invitationMs = Date.now() - started;

      await ws.acceptFromOutbox("streamed@acme.io");
      await page.locator('tr[data-email="streamed@acme.io"]').waitFor({ timeout: STREAM_BOUND_MS });
      expect(await page.locator("#live-notice").textContent()).toBe("");
      expect(errors).toEqual([]);
      console.log(`live: the invitation appeared on the open Members page ${invitationMs} ms after the API answered`);
    } finally {
      await context.close();
      await ws.close();
    }
  });

  it("when the stream drops, the page says it is polling; when the stream is back, the notice goes", async () => {
    const ws = await startWorkspace();
    const { context, page, errors } = await openPage(browser);
    try {
      await page.route("**/v1/workspaces/*/events", (route) => route.abort("connectionreset"));
      await signIn(page, ws, ws.ownerToken);
      const notice = page.locator("#live-notice", { hasText: "Live updates are interrupted: checking for changes every 5 s." });
      await notice.waitFor();
      expect(await page.locator("#live").getAttribute("data-stream")).toBe("polling");
      await screenshot(page, "live-polling");

      // While polling, a change made elsewhere still appears (at the next 5 s poll).
      await ws.api("POST", `/v1/workspaces/${ws.name}/invitations`, { email: "polled@acme.io", role: "developer" });
      await page.locator('[data-count="pending"] .count-value', { hasText: "1" }).waitFor();

      await page.unroute("**/v1/workspaces/*/events");
      await page.locator('#live[data-stream="live"]').waitFor({ timeout: 60_000 });
      expect(await page.locator("#live-notice").textContent()).toBe("");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await ws.close();
    }
  });
});
