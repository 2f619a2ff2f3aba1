import { describe, expect, it } from "vitest";
import PROTOTYPES from "unhomoglyph/data.json" with { type: "json" };
import { emailSkeleton, lookAlikeOf, mixedScriptLocalPart, mixedScripts, SCRIPT_NAMES, skeleton } from "../../schema/confusables.js";

/**
 * Look-alike identities (UTS #39), schema/confusables.ts: skeletons over Unicode's whole
 * confusables.txt mapping, and mixed-script detection over Script_Extensions with the
 * "single script" and "highly restrictive" levels.
 */

describe("skeleton", () => {
  it.each([
    ["Cyrillic а reads as a", "\u0430lice", "alice"],
    ["Greek ο reads as o", "b\u03bfb", "bob"],
    ["Armenian օ reads as o", "b\u0585b", "bob"],
    ["Lisu ꓮ reads as A, compared without case", "\ua4eelice", "alice"],
    ["Latin ɑ (alpha) reads as a", "\u0251lice", "alice"],
    ["mathematical bold 𝐚 reads as a", "\u{1d41a}lice", "alice"],
    ["fullwidth ａ reads as a", "\uff41lice", "alice"],
    ["upper case folds", "ALICE", "alice"],
    ["rn reads as m", "rnike", "mike"],
    ["0 reads as o", "b0b", "bob"],
    ["1 reads as l", "a1ice", "alice"],
  ])("%s", (_name, text, same) => {
    expect(skeleton(text)).toBe(skeleton(same));
  });

  it.each([
    ["two different names", "alice", "alicia"],
    ["an accent stays an accent", "jos\u00e9", "jose"],
    ["a Cyrillic name without a Latin twin", "\u0431\u043e\u0440\u0438\u0441", "boris"],
  ])("%s: different skeletons", (_name, a, b) => {
    expect(skeleton(a)).not.toBe(skeleton(b));
  });

  it("uses Unicode's whole confusables.txt mapping, not a hand-picked subset", () => {
    const table = PROTOTYPES as Record<string, string>;
    expect(Object.keys(table).length).toBeGreaterThanOrEqual(6000);
    // A few from the far corners of the file: Cherokee, Lisu, mathematical alphanumerics, ligatures.
    expect(table["\u13aa"]).toBe("A");
    expect(table["\ua4ee"]).toBe("A");
    expect(table["\u{1d5ba}"]).toBe("a");
    expect(table["\ufb01"]).toBe("fi");
  });
});

describe("mixed-script detection (UTS #39 5.1, 5.2)", () => {
  it.each([
    ["Latin with a Cyrillic а", "\u0430lice", ["Cyrillic", "Latin"]],
    ["Latin with a Greek ο", "b\u03bfb", ["Greek", "Latin"]],
    ["Cyrillic with a Latin o", "b\u043er\u0438s-o", ["Cyrillic", "Latin"]],
    ["Greek and Armenian", "\u03b1\u0561", ["Armenian", "Greek"]],
    ["Latin and Hangul and Hiragana (no one highly restrictive set covers it)", "kim\uae40\u3042", ["Hangul", "Hiragana", "Latin"]],
  ])("%s mixes scripts", (_name, text, scripts) => {
    expect(mixedScripts(text)).toEqual({ mixed: true, scripts });
  });

  it.each([
    ["Latin only", "alice"],
    ["Cyrillic only (алиса)", "\u0430\u043b\u0438\u0441\u0430"],
    ["Greek only", "\u03b1\u03bb\u03b9\u03ba\u03b7"],
    ["digits and punctuation go with any script", "alice.2024+ops_x-y"],
    ["a combining mark goes with its letter", "jose\u0301"],
    ["Japanese: Han with kana (augmented script sets)", "\u5c71\u7530\u305f\u308d\u3046"],
    ["Latin with Han and kana: highly restrictive", "taro\u5c71\u7530\u305f"],
    ["Latin with Hangul: highly restrictive", "kim\uae40\ucca0\uc218"],
    ["a character with several Script_Extensions (ー, Hiragana and Katakana) among kana", "\u3042\u30fc\u30a2"],
  ])("%s: not mixed", (_name, text) => {
    expect(mixedScripts(text).mixed).toBe(false);
  });

  it("knows every script this engine knows: each assigned character is of one of SCRIPT_NAMES, Common or Inherited", () => {
    const names = SCRIPT_NAMES.filter((n) => {
      try {
        return new RegExp(`\\p{sc=${n}}`, "u") instanceof RegExp;
      } catch {
        return false;
      }
    });
    const any = new RegExp(`^[${names.map((n) => `\\p{sc=${n}}`).join("")}\\p{sc=Common}\\p{sc=Inherited}\\p{sc=Unknown}]$`, "u");
    const missing: string[] = [];
    for (let cp = 0; cp < 0x110000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      if (!any.test(String.fromCodePoint(cp))) missing.push(cp.toString(16));
    }
    expect(missing.slice(0, 10)).toEqual([]);
  });
});

describe("addresses", () => {
  it("judges the local part only", () => {
    expect(mixedScriptLocalPart("\u0430lice@acme.io")).toEqual(["Cyrillic", "Latin"]);
    expect(mixedScriptLocalPart("alice@acme.io")).toBeNull();
    expect(mixedScriptLocalPart("\u0430\u043b\u0438\u0441\u0430@xn--80akhbyknj4f.xn--p1ai")).toBeNull();
  });

  it("finds a look-alike in the same domain only, never the address itself", () => {
    expect(lookAlikeOf("\u0430lice@acme.io", ["bob@acme.io", "alice@acme.io"])).toBe("alice@acme.io");
    expect(lookAlikeOf("b\u03bfb@acme.io", ["bob@acme.io"])).toBe("bob@acme.io");
    expect(lookAlikeOf("alice@acme.io", ["alice@acme.io"])).toBeNull();
    expect(lookAlikeOf("\u0430lice@acme.io", ["alice@other.io"])).toBeNull();
    expect(emailSkeleton("\u0430lice@acme.io")).toBe(emailSkeleton("alice@acme.io"));
  });
});
