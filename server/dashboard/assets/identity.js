// Identities as the dashboard shows them: every control, bidi, zero-width, separator,
// lone-surrogate, default-ignorable (variation selectors, Hangul fillers) or blank (U+2800)
// character of an e-mail is written as a visible escape (\u202e), the same
// form the CLI's text plan uses, so "evil\u202eoi.emca@x.io" can never pass for
// "eviloi.x@acme.io" and a zero-width "alice@acme.io" never looks like the real one.
// INVISIBLE_CLASS is schema/identity.ts's class (a test keeps the two equal).

/** INVISIBLE_CLASS is the character class (u flag) of characters no identity may contain. */
export const INVISIBLE_CLASS = "\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Cs}\\p{Default_Ignorable_Code_Point}\\u115F\\u1160\\u3164\\uFFA0\\u2800";

const INVISIBLE = new RegExp(`[${INVISIBLE_CLASS}]`, "gu");

/** visibleIdentity is `value` with each invisible character replaced by its escape (\u001b, \u202e, \u{e0001}); null and undefined pass through. */
export function visibleIdentity(value) {
  if (value === null || value === undefined) return value;
  return String(value).replace(INVISIBLE, (ch) => {
    const cp = ch.codePointAt(0) ?? 0;
    return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, "0")}`;
  });
}

// The scripts the invite form tells apart (Script property): a small in-browser take on UTS #39's
// mixed-script detection (schema/confusables.ts has the whole one; a test keeps them agreeing).
const SCRIPTS = ["Latin", "Greek", "Cyrillic", "Armenian", "Georgian", "Cherokee", "Hebrew", "Arabic", "Devanagari", "Thai", "Han", "Hiragana", "Katakana", "Hangul", "Bopomofo"].map((s) => [s, new RegExp(`\\p{Script=${s}}`, "u")]);
// The mixes UTS #39 calls highly restrictive: Latin with Japanese, Chinese or Korean.
const HIGHLY_RESTRICTIVE = [["Latin", "Han", "Hiragana", "Katakana"], ["Latin", "Han", "Bopomofo"], ["Latin", "Han", "Hangul"]];

/** mixedScriptLocalPart is the scripts the part of `email` before "@" mixes (sorted), or null when it keeps to one (or a highly restrictive mix). */
export function mixedScriptLocalPart(email) {
  const text = String(email ?? "");
  const at = text.lastIndexOf("@");
  const local = at < 0 ? text : text.slice(0, at);
  const used = [...new Set([...local].flatMap((ch) => SCRIPTS.filter(([, re]) => re.test(ch)).map(([s]) => s)))].sort();
  return used.length > 1 && !HIGHLY_RESTRICTIVE.some((set) => used.every((s) => set.includes(s))) ? used : null;
}
