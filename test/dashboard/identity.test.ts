import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { INVISIBLE_CLASS as GRAMMAR_CLASS } from "../../schema/identity.js";
import { seedMembers } from "../../server/admin.js";
import { INVISIBLE_CLASS, visibleIdentity } from "../../server/dashboard/assets/identity.js";
import { launchBrowser, openPage, screenshot, signIn, startWorkspace } from "./harness.js";

/**
 * The dashboard shows identities in the same escaped form as the CLI: a workspace holding
 * legacy e-mails with a bidi override and a zero-width space (seeded straight into SQLite,
 * since the server now refuses them) shows them with visible escapes in real Chromium.
 */

const BIDI = "evil\u202eoi.emca@x.io";
const ZERO_WIDTH = "alice\u200b@acme.io";

describe("identity.js", () => {
  it("uses the identity grammar's class of invisible characters", () => {
    expect(INVISIBLE_CLASS).toBe(GRAMMAR_CLASS);
  });
  it.each([
    [BIDI, "evil\\u202eoi.emca@x.io"],
    [ZERO_WIDTH, "alice\\u200b@acme.io"],
    ["y\u001b[1;1f@acme.io", "y\\u001b[1;1f@acme.io"],
    ["tag\u{e0041}@acme.io", "tag\\u{e0041}@acme.io"],
    ["josé@xn--bcher-kva.de", "josé@xn--bcher-kva.de"],
  ])("shows %j as %s", (value, shown) => expect(visibleIdentity(value)).toBe(shown));
});

describe("dashboard identities (Chromium)", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("a bidi and a zero-width e-mail are shown with visible escapes, never raw", async () => {
    const ws = await startWorkspace();
    const { context, page, errors } = await openPage(browser);
    try {
      seedMembers(ws.dbPath, { workspace: ws.name, emails: [BIDI, ZERO_WIDTH, "alice@acme.io"], role: "developer" });
      await signIn(page, ws, ws.ownerToken);
      const email = (raw: string) => page.locator(`tr[data-email="${raw}"] [data-label="E-mail"]`);
      await email(BIDI).waitFor();
      expect(await email(BIDI).innerText()).toContain("evil\\u202eoi.emca@x.io");
      expect(await email(ZERO_WIDTH).innerText()).toContain("alice\\u200b@acme.io");
      expect(await email("alice@acme.io").innerText()).toContain("alice@acme.io");
      expect(await email("alice@acme.io").innerText()).not.toContain("\\u");
      const text = await page.locator("main").innerText();
      expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]/);
      await screenshot(page, "members-invisible-identities");
      expect(errors, "uncaught errors in the page").toEqual([]);
    } finally {
      await context.close();
      await ws.close();
    }
  }, 60_000);
});
