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
