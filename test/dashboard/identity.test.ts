import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { domainToASCII } from "node:url";
import { mixedScriptLocalPart as grammarMixed } from "../../schema/confusables.js";
import { escapeInvisible, INVISIBLE_CLASS as GRAMMAR_CLASS, parseEmail } from "../../schema/identity.js";
import { seedMembers } from "../../server/admin.js";
import { INVISIBLE_CLASS, mixedScriptLocalPart, visibleIdentity } from "../../server/dashboard/assets/identity.js";
import { goTo, launchBrowser, openPage, screenshot, signIn, startWorkspace } from "./harness.js";

/**
 * The dashboard shows identities in the same escaped form as the CLI: a workspace holding
 * legacy e-mails with a bidi override and a zero-width space (seeded straight into SQLite,
 * since the server now refuses them) shows them with visible escapes in real Chromium. The
 * invite form warns of a local part mixing scripts as it is typed, and shows the server's
 * look-alike refusal next to the e-mail.
 */

const BIDI = "evil\u202eoi.emca@x.io";
const ZERO_WIDTH = "alice\u200b@acme.io";
const MIXED = "b\u043eb@acme.io"; // a Cyrillic о in bob

// identity.js is the grammar's escapeInvisible itself (served as the domain core), so the forms are the grammar's.
describe("identity.js (the grammar's escapeInvisible)", () => {
  it.each([
    [BIDI, "evil\\u202eoi.emca@x.io"],
    [ZERO_WIDTH, "alice\\u200b@acme.io"],
    ["y\u001b[1;1f@acme.io", "y\\u001b[1;1f@acme.io"],
    ["tag\u{e0041}@acme.io", "tag\\u{e0041}@acme.io"],
    ["josé@xn--bcher-kva.de", "josé@xn--bcher-kva.de"],
  ])("shows %j as %s", (value, shown) => expect(escapeInvisible(value)).toBe(shown));

  it.each([
    ["\u0430lice@acme.io", ["Cyrillic", "Latin"]],
    ["b\u03bfb@acme.io", ["Greek", "Latin"]],
    ["\u0430\u043b\u0438\u0441\u0430@acme.io", null],
    ["alice.2024@acme.io", null],
    ["taro\u5c71\u7530\u305f@acme.jp", null],
    ["kim\uae40\u3042@acme.kr", ["Hangul", "Hiragana", "Latin"]],
  ])("mixed scripts of %j: %j, as schema/confusables.ts says", (email, scripts) => {
    expect(mixedScriptLocalPart(email)).toEqual(scripts);
    expect(grammarMixed(email)).toEqual(scripts);
  });
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
      seedMembers(ws.dbPath, { workspace: ws.name, emails: [BIDI, ZERO_WIDTH, "alice@acme.io", MIXED], role: "developer" });
      await signIn(page, ws, ws.ownerToken);
      const email = (raw: string) => page.locator(`tr[data-email="${raw}"] [data-label="E-mail"]`);
      await email(BIDI).waitFor();
      expect(await email(BIDI).innerText()).toContain("evil\\u202eoi.emca@x.io");
      expect(await email(ZERO_WIDTH).innerText()).toContain("alice\\u200b@acme.io");
      expect(await email("alice@acme.io").innerText()).toContain("alice@acme.io");
      expect(await email("alice@acme.io").innerText()).not.toContain("\\u");
      // a local part mixing scripts is flagged where the address is shown; a plain one is not
      expect(await page.locator(`tr[data-email="${MIXED}"] .mixed-script`).getAttribute("data-mixed")).toBe("Cyrillic,Latin");
      expect(await email(MIXED).innerText()).toContain("mixed scripts (Cyrillic, Latin)");
      expect(await page.locator('tr[data-email="alice@acme.io"] .mixed-script').count()).toBe(0);
      const text = await page.locator("main").innerText();
      expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]/);
      await screenshot(page, "members-invisible-identities");
      expect(errors, "uncaught errors in the page").toEqual([]);
    } finally {
      await context.close();
      await ws.close();
    }
  }, 60_000);

  it("invite: a mixed-script address is warned of as it is typed; one that reads as a member's is refused next to the e-mail", async () => {
    const ws = await startWorkspace();
    const { context, page, errors } = await openPage(browser);
    try {
      seedMembers(ws.dbPath, { workspace: ws.name, emails: ["alice@acme.io"], role: "developer" });
      await signIn(page, ws, ws.ownerToken);
      await goTo(page, "Give account access", "invite");
      const email = page.getByLabel("E-mail", { exact: true });
      await email.fill("\u0430lice@acme.io");
      const warning = page.locator(".field-warning");
      await warning.getByText('The part before "@" mixes scripts (Cyrillic, Latin): check it is the address you mean, not a look-alike.').waitFor();
      expect(await email.getAttribute("aria-describedby")).toContain(await warning.getAttribute("id"));
      await page.getByRole("button", { name: "Send invitation" }).click();
      const error = page.locator(".field-error:not([hidden])");
      await error.getByText("This address reads the same as alice@acme.io, who is already in this workspace: a look-alike address is refused.", { exact: false }).waitFor();
      await screenshot(page, "invite-look-alike");
      await email.fill("alicia@acme.io");
      expect(await warning.textContent()).toBe("");
      expect(errors, "uncaught errors in the page").toEqual([]);
    } finally {
      await context.close();
      await ws.close();
    }
  }, 60_000);

  // The page runs the identity grammar itself (the domain core), with node:url's domainToASCII
  // standing in as the URL standard's host parser: both sides must accept and refuse alike.
  const ADDRESSES = [
    "José@Bücher.de",
    "alice@EXAMPLE.com",
    "a@xn--bcher-kva.de",
    "a@ﬁ.com",
    "a@münchen.de/x",
    "a@ü.123",
    "a@%41.com",
    "a@a..b",
    "a@[::1]",
    "a@bü.com?x",
    "Straße@x.de",
    "a@bü\u3002com",
    "a@1.2.3",
    "a@ü-.de",
    "a@" + "ü".repeat(70) + ".de",
  ];
  it("the page's identity grammar accepts and refuses exactly as the server's", async () => {
    const ws = await startWorkspace();
    const { context, page, errors } = await openPage(browser);
    try {
      await page.goto(`${ws.url}/`);
      // a string, so the test runner's transform leaves the page's own dynamic import() alone
      const inPage = (await page.evaluate(`(async (addresses) => {
        const core = await import("/dashboard/core/schema/identity.js");
        const url = await import("/dashboard/node-url.js");
        return { parsed: addresses.map((a) => core.parseEmail(a)), hosts: addresses.map((a) => url.domainToASCII(a.slice(a.indexOf("@") + 1))) };
      })(${JSON.stringify(ADDRESSES)})`)) as { parsed: unknown[]; hosts: string[] };
      expect(inPage.parsed).toEqual(ADDRESSES.map((a) => parseEmail(a)));
      // the shim's one known difference: "[::1]" (its failure marker, which the grammar refuses as a domain either way) reads as ""
      const nodeHosts = ADDRESSES.map((a) => domainToASCII(a.slice(a.indexOf("@") + 1))).map((h) => (h === "[::1]" ? "" : h));
      expect(inPage.hosts).toEqual(nodeHosts);
      expect(errors, "uncaught errors in the page").toEqual([]);
    } finally {
      await context.close();
      await ws.close();
    }
  }, 60_000);
});
