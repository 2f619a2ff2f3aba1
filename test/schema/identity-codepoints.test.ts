import { describe, expect, it } from "vitest";
import accessSchema from "../../schema/access.schema.json" with { type: "json" };
import { canonicalEmail, parseEmail } from "../../schema/identity.js";
import { parseMatcherDomain } from "../../schema/policy/domain.js";
import { visibleIdentity } from "../../server/dashboard/assets/identity.js";
import { brief, check, HEAD } from "./helpers.js";

/**
 * Every code point, walked through each user of the identity grammar: the parser the
 * server and the file's rules call, the file's JSON Schema pattern, the dashboard's
 * escaping and the policy matchers' canonical form. The refused set is stated here from
 * Unicode properties, independently of schema/identity.ts: every Default_Ignorable_Code_Point,
 * every Cc/Cf/Zl/Zp/Cs, the Hangul fillers and U+2800.
 */

const REFUSED = /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}\u115F\u1160\u3164\uFFA0\u2800]$/u;
const props = (accessSchema as any).properties;
const schemaEmail = new RegExp(props.members.items.properties.email.pattern);
const schemaEmailU = new RegExp(props.members.items.properties.email.pattern, "u");
const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;

/** eachCodePoint calls `visit` with every code point and its string (lone surrogates included). */
function eachCodePoint(visit: (cp: number, ch: string) => void): void {
  for (let cp = 0; cp <= 0x10ffff; cp += 1) visit(cp, String.fromCodePoint(cp));
}

describe("every code point against every user of the grammar", () => {
  it("is refused by the parser (server and file rules) exactly when it is in the refused set, naming it", () => {
    const wrong: string[] = [];
    let refused = 0;
    eachCodePoint((cp, ch) => {
      const parsed = parseEmail(`a${ch}b@acme.io`);
      const invisible = !parsed.ok && parsed.reason.includes("invisible");
      if (REFUSED.test(ch)) {
        refused += 1;
        if (!invisible || !parsed.reason.includes(hex(cp))) wrong.push(`${hex(cp)} ${JSON.stringify(parsed)}`);
      } else if (invisible) wrong.push(`${hex(cp)} refused as invisible: ${parsed.reason}`);
    });
    expect(wrong.slice(0, 20)).toEqual([]);
    expect(refused).toBeGreaterThan(4000);
  }, 180_000);

  it("is refused by the file's JSON Schema pattern (with or without the u flag) for every refused character of the BMP", () => {
    const wrong: string[] = [];
    for (let cp = 0; cp <= 0xffff; cp += 1) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCharCode(cp);
      if (!REFUSED.test(ch)) continue;
      if (schemaEmail.test(`a${ch}b@acme.io`) || schemaEmailU.test(`a${ch}b@acme.io`)) wrong.push(hex(cp));
    }
    expect(wrong).toEqual([]);
  });

  it("is shown escaped by the dashboard whenever it is refused", () => {
    const wrong: string[] = [];
    eachCodePoint((cp, ch) => {
      if (REFUSED.test(ch) && visibleIdentity(`a${ch}b@acme.io`).includes(ch)) wrong.push(hex(cp));
    });
    expect(wrong.slice(0, 20)).toEqual([]);
  });

  it("refuses a refused character in a policy matcher's domain, and keeps it in an address's canonical form, so neither matches the plain address", () => {
    const wrong: string[] = [];
    eachCodePoint((cp, ch) => {
      if (!REFUSED.test(ch)) return;
      if (canonicalEmail(`a${ch}b@acme.io`) === "ab@acme.io" || parseMatcherDomain(`ac${ch}me.io`).ok) wrong.push(hex(cp));
    });
    expect(wrong.slice(0, 20)).toEqual([]);
  });
});

describe("the characters of the security review", () => {
  const seen = ["\ufe00", "\ufe0f", "\u{e0100}", "\u{e01ef}", "\u034f", "\u180b", "\u17b4", "\u115f", "\u3164", "\uffa0", "\u2800"];
  it.each(seen.map((ch) => [hex(ch.codePointAt(0)!), ch]))("the file refuses %s in a local part at the value", (_name, ch) => {
    const result = check(`${HEAD}members:\n  - email: "admin${ch}@acme.io"\n    role: developer\n`);
    expect(brief(result)).toEqual(["5:12 error invalid-email"]);
  });
});

describe("identities compare after NFKC case folding", () => {
  it.each([
    ["full-width letters", "ａｄｍｉｎ@acme.io", "admin@acme.io"],
    ["a ligature", "ﬁnance@acme.io", "finance@acme.io"],
    ["sharp s", "Straße@acme.io", "strasse@acme.io"],
    ["upper case", "ADMIN@acme.io", "admin@acme.io"],
    ["a composed accent", "Jose\u0301@acme.io", "jos\u00e9@acme.io"],
  ])("%s: %s is %s", (_name, raw, canonical) => {
    expect(parseEmail(raw)).toEqual({ ok: true, value: canonical });
    expect(canonicalEmail(raw)).toBe(canonical);
  });

  it("a file naming the same person in two spellings is a duplicate", () => {
    const result = check(`${HEAD}members:\n  - email: admin@acme.io\n    role: developer\n  - email: ａｄｍｉｎ@acme.io\n    role: developer\n`);
    expect(brief(result)).toContain("7:12 error duplicate-email");
  });
});
