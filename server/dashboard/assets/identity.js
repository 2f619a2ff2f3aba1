// @ts-check
// Identities as the dashboard shows them: the identity grammar's own escapeInvisible
// (schema/identity.ts, served as part of the domain core), so every control, bidi,
// zero-width, separator, lone-surrogate, default-ignorable or blank character of an e-mail
// is written as the visible escape the CLI's text plan uses (\u202e), and
// "evil\u202eoi.emca@x.io" can never pass for "eviloi.x@acme.io".
import { escapeInvisible } from "@core/schema/identity.js";

export { INVISIBLE_CLASS } from "@core/schema/identity.js";

/**
 * visibleIdentity is `value` with each invisible character replaced by its escape (\u001b, \u202e, \u{e0001}); null and undefined pass through.
 * @template {string | null | undefined} T
 * @param {T} value
 * @returns {T extends string ? string : T}
 */
export function visibleIdentity(value) {
  return /** @type {any} */ (value === null || value === undefined ? value : escapeInvisible(String(value)));
}

// The scripts the invite form tells apart (Script property): a small in-browser take on UTS #39's
// mixed-script detection (schema/confusables.ts has the whole one; a test keeps them agreeing).
/** @type {[string, RegExp][]} */
const SCRIPTS = ["Latin", "Greek", "Cyrillic", "Armenian", "Georgian", "Cherokee", "Hebrew", "Arabic", "Devanagari", "Thai", "Han", "Hiragana", "Katakana", "Hangul", "Bopomofo"].map((s) => /** @type {[string, RegExp]} */ ([s, new RegExp(`\\p{Script=${s}}`, "u")]));
// The mixes UTS #39 calls highly restrictive: Latin with Japanese, Chinese or Korean.
const HIGHLY_RESTRICTIVE = [["Latin", "Han", "Hiragana", "Katakana"], ["Latin", "Han", "Bopomofo"], ["Latin", "Han", "Hangul"]];

/**
 * mixedScriptLocalPart is the scripts the part of `email` before "@" mixes (sorted), or null when it keeps to one (or a highly restrictive mix).
 * @param {unknown} email
 * @returns {string[] | null}
 */
export function mixedScriptLocalPart(email) {
  const text = String(email ?? "");
  const at = text.lastIndexOf("@");
  const local = at < 0 ? text : text.slice(0, at);
  const used = [...new Set([...local].flatMap((ch) => SCRIPTS.filter(([, re]) => re.test(ch)).map(([s]) => s)))].sort();
  return used.length > 1 && !HIGHLY_RESTRICTIVE.some((set) => used.every((s) => set.includes(s))) ? used : null;
}

// Internationalised domains arrive in their ASCII (punycode) form (`xn--bcher-kva.de`, as
// schema/identity.ts stores them); people read them in Unicode (`bücher.de`). The decoder
// is RFC 3492's, small enough to keep here; a label that does not decode stays as it is.
const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const MAX_INT = 0x7fffffff;

/**
 * @param {number} delta
 * @param {number} points
 * @param {boolean} first
 */
function adapt(delta, points, first) {
  let d = first ? Math.floor(delta / 700) : delta >> 1;
  d += Math.floor(d / points);
  let k = 0;
  while (d > ((BASE - T_MIN) * T_MAX) >> 1) {
    d = Math.floor(d / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * d) / (d + 38));
}

/** @param {number} cp */
function digitOf(cp) {
  if (cp >= 0x30 && cp <= 0x39) return cp - 22; // 0-9 are 26-35
  if (cp >= 0x41 && cp <= 0x5a) return cp - 0x41;
  if (cp >= 0x61 && cp <= 0x7a) return cp - 0x61;
  return BASE;
}

/**
 * decodePunycode decodes one punycode string (a label without its `xn--`), RFC 3492; null when it is not valid punycode.
 * @param {string} input
 * @returns {string | null}
 */
export function decodePunycode(input) {
  /** @type {number[]} */
  const out = [];
  const basic = Math.max(input.lastIndexOf("-"), 0);
  for (let j = 0; j < basic; j += 1) {
    const cp = input.charCodeAt(j);
    if (cp >= 0x80) return null;
    out.push(cp);
  }
  let n = 0x80;
  let i = 0;
  let bias = 72;
  for (let at = basic > 0 ? basic + 1 : 0; at < input.length; ) {
    const before = i;
    for (let w = 1, k = BASE; ; k += BASE) {
      if (at >= input.length) return null;
      const digit = digitOf(input.charCodeAt(at++));
      if (digit >= BASE || digit > Math.floor((MAX_INT - i) / w)) return null;
      i += digit * w;
      const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
      if (digit < t) break;
      if (w > Math.floor(MAX_INT / (BASE - t))) return null;
      w *= BASE - t;
    }
    const length = out.length + 1;
    bias = adapt(i - before, length, before === 0);
    n += Math.floor(i / length);
    if (n > 0x10ffff) return null;
    i %= length;
    out.splice(i, 0, n);
    i += 1;
  }
  return String.fromCodePoint(...out);
}

/**
 * unicodeEmail is `email` with each `xn--` label of its domain in Unicode (`ann@bücher.de`); anything else passes through.
 * @template T
 * @param {T} email
 * @returns {T}
 */
export function unicodeEmail(email) {
  if (typeof email !== "string") return email;
  const at = email.lastIndexOf("@");
  if (at < 0 || !/(^|\.)xn--/i.test(email.slice(at + 1))) return email;
  const labels = email.slice(at + 1).split(".").map((label) => (/^xn--/i.test(label) ? decodePunycode(label.slice(4).toLowerCase()) ?? label : label));
  return /** @type {T} */ (/** @type {unknown} */ (`${email.slice(0, at + 1)}${labels.join(".")}`));
}
