import { domainToASCII, domainToUnicode } from "node:url";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { decodePunycode, unicodeEmail } from "../../server/dashboard/assets/identity.js";
import { launchBrowser, openPage, signIn, startWorkspace } from "./harness.js";

/**
 * Internationalised domains: stored in punycode (schema/identity.ts), shown in Unicode with
 * the stored form in a tooltip. The dashboard's small RFC 3492 decoder agrees with Node's
 * (WHATWG URL) domainToUnicode.
 */

describe("identity.js punycode", () => {
  it.each([
    ["ann@xn--bcher-kva.de", "ann@bücher.de"],
    ["li@xn--fiqs8s.xn--fiqz9s", "li@中国.中國"],
    ["ivan@xn--80akhbyknj4f.xn--p1ai", "ivan@испытание.рф"],
    ["bob@sub.XN--MNCHEN-3YA.de", "bob@sub.münchen.de"],
    ["plain@acme.io", "plain@acme.io"],
    ["bad@xn--!!.io", "bad@xn--!!.io"], // not punycode: shown as stored
  ])("%s reads as %s", (email, shown) => expect(unicodeEmail(email)).toBe(shown));

  it("decodes every label as Node's domainToUnicode does", () => {
    const label = fc.string({ unit: fc.constantFrom(..."abcxyz09-éüßçøñ中國испытаниеλóγος日本"), minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(label, (text) => {
        const ascii = domainToASCII(`${text}.io`);
        fc.pre(ascii !== "" && ascii.startsWith("xn--"));
        const first = ascii.split(".")[0]!;
        expect(decodePunycode(first.slice(4))).toBe(domainToUnicode(`${first}.io`).split(".")[0]);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses what is not punycode", () => {
    expect(decodePunycode("!!")).toBeNull();
    expect(decodePunycode("abc-ü")).toBeNull();
    expect(decodePunycode("99999999999")).toBeNull();
  });
});

describe("IDN addresses in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("an internationalised address is shown in Unicode with its punycode form in a tooltip, in Members and Invitations", async () => {
    const ws = await startWorkspace();
    const { context, page, errors } = await openPage(browser);
    try {
      await ws.join("ann@bücher.de", "developer");
      await ws.api("POST", `/v1/workspaces/${ws.name}/invitations`, { email: "li@中国.cn", role: "developer" });
      await signIn(page, ws, ws.ownerToken);
      const member = page.locator('tr[data-email="ann@xn--bcher-kva.de"] [data-label="E-mail"] .email');
      expect(await member.textContent()).toBe("ann@bücher.de");
      expect(await member.getAttribute("title")).toBe("Stored as ann@xn--bcher-kva.de");
      expect(await page.locator('tr[data-email="founder@acme.io"] .email').getAttribute("title")).toBeNull();

      await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Invitations", exact: true }).click();
      const invited = page.locator('tr[data-email="li@xn--fiqs8s.cn"] [data-label="E-mail"] .email');
      expect(await invited.textContent()).toBe("li@中国.cn");
      expect(await invited.getAttribute("title")).toBe("Stored as li@xn--fiqs8s.cn");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await ws.close();
    }
  }, 60_000);
});
