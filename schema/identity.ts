import { domainToASCII } from "node:url";

/**
 * The identity grammar: what an e-mail address, a custom role name and a description
 * may be, and the canonical form e-mails are compared in. One module, imported by the
 * JSON Schema's test (access.schema.json must carry these very constants), the file's
 * rules, the reference server and, through a test, the dashboard. docs/access-yaml.md
 * documents it.
 *
 * Lengths are counted in Unicode code points, as JSON Schema's maxLength counts them.
 */

/** MAX_EMAIL_LENGTH is the longest address, as written and once canonical (RFC 5321's path limit). */
export const MAX_EMAIL_LENGTH = 254;

/** MAX_LOCAL_PART_LENGTH is the longest part before the `@` (RFC 5321). */
export const MAX_LOCAL_PART_LENGTH = 64;

/** MAX_DESCRIPTION_LENGTH is the longest custom-role description. */
export const MAX_DESCRIPTION_LENGTH = 1000;

/** ROLE_NAME_SOURCE is the custom-role-name pattern's source, as access.schema.json writes it. */
export const ROLE_NAME_SOURCE = "^[a-z][a-z0-9-]{1,62}$";

/** CUSTOM_ROLE_NAME_PATTERN is the shape of a custom role name; built-in names are reserved on top of it. */
export const CUSTOM_ROLE_NAME_PATTERN = new RegExp(ROLE_NAME_SOURCE);

/**
 * INVISIBLE_CLASS is the character class (for a `u`-flag RegExp) of characters no identity
 * may contain, built from Unicode properties: controls (Cc, e.g. ESC), format characters
 * (Cf: bidi controls such as U+202E, zero-width spaces and joiners, U+FEFF), line and
 * paragraph separators (Zl, Zp), lone surrogates (Cs), every Default_Ignorable_Code_Point
 * (variation selectors U+FE00–FE0F and U+E0100–E01EF, U+034F, U+180B, U+17B4, the Hangul
 * fillers U+115F, U+1160, U+3164, U+FFA0, …), and the blank U+2800 (braille pattern blank,
 * which renders as nothing). The fillers are named too, so the class says what it is for
 * even where a Unicode version moves them. The dashboard's identity.js uses the same class.
 */
export const INVISIBLE_CLASS = "\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Cs}\\p{Default_Ignorable_Code_Point}\\u115F\\u1160\\u3164\\uFFA0\\u2800";

/**
 * bmpRanges spells the Basic Multilingual Plane part of a `u`-flag class, minus the
 * surrogates, as `\u` ranges, computed by walking every code point through the class.
 */
function bmpRanges(uClass: string): string {
  const member = new RegExp(`^[${uClass}]$`, "u");
  const hex = (cp: number) => `\\u${cp.toString(16).padStart(4, "0")}`;
  let out = "";
  for (let cp = 0; cp <= 0xffff; cp += 1) {
    if ((cp >= 0xd800 && cp <= 0xdfff) || !member.test(String.fromCharCode(cp))) continue;
    let end = cp;
    while (end + 1 <= 0xffff && !(end + 1 >= 0xd800 && end + 1 <= 0xdfff) && member.test(String.fromCharCode(end + 1))) end += 1;
    out += end === cp ? hex(cp) : `${hex(cp)}-${hex(end)}`;
    cp = end;
  }
  return out;
}

/**
 * SCHEMA_INVISIBLE_CLASS is INVISIBLE_CLASS as access.schema.json spells it: its Basic
 * Multilingual Plane characters (surrogates aside) as `\u` ranges, generated from the
 * property class, which mean the same with or without a RegExp's `u` flag (editors compile
 * JSON Schema patterns either way, and `\p{…}` needs it). Characters past U+FFFF (tags,
 * the variation selectors supplement) are left to the rules, which refuse them too.
 */
export const SCHEMA_INVISIBLE_CLASS = bmpRanges(INVISIBLE_CLASS);

/** EMAIL_SCHEMA_PATTERN is access.schema.json's coarse e-mail shape: one `@`, no spaces or invisible characters inside (surrounding blanks are trimmed). */
export const EMAIL_SCHEMA_PATTERN = `^[ \\t\\r\\n]*[^@\\s${SCHEMA_INVISIBLE_CLASS}]+@[^@\\s${SCHEMA_INVISIBLE_CLASS}]+[ \\t\\r\\n]*$`;

/** DESCRIPTION_SCHEMA_PATTERN is access.schema.json's description shape: no invisible characters (spaces are fine). */
export const DESCRIPTION_SCHEMA_PATTERN = `^[^${SCHEMA_INVISIBLE_CLASS}]*$`;

const INVISIBLE = new RegExp(`[${INVISIBLE_CLASS}]`, "u");
const SPACE = /\s/u;
/** Printable ASCII the local part may use (RFC 5322 atext), besides `.` and any non-ASCII character that is not invisible or a space. */
const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const PRINTABLE_ASCII = /^[\x21-\x7e]*$/;

/** IdentityResult: the canonical value, or why the input is refused (a sentence a person can act on). */
export type IdentityResult = { ok: true; value: string } | { ok: false; reason: string };

/** codePoints counts a string's Unicode code points (the unit of every limit here). */
export function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n += 1;
  return n;
}

/** describeCodePoint names a character for a message: `U+202E`. */
export function describeCodePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** findInvisible is the first control, format (bidi, zero-width), separator or lone-surrogate character of `s`, if any. */
export function findInvisible(s: string): string | undefined {
  const m = INVISIBLE.exec(s);
  return m === null ? undefined : m[0];
}

const INVISIBLE_GLOBAL = new RegExp(`[${INVISIBLE_CLASS}]`, "gu");

/**
 * escapeInvisible writes every invisible character (see INVISIBLE_CLASS) as a visible escape
 * (`\u001b`, `\u202e`, `\u{e0001}`): how every human-facing output quotes a value, so
 * a value can never move a terminal's cursor, reorder a line or hide a look-alike.
 */
export function escapeInvisible(value: string): string {
  return value.replace(INVISIBLE_GLOBAL, (ch) => {
    const cp = ch.codePointAt(0) ?? 0;
    return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, "0")}`;
  });
}

/** trimBlanks removes the spaces, tabs and line ends around a value (never any other character). */
function trimBlanks(s: string): string {
  return s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
}

/**
 * foldIdentity is the form identities are compared in: NFKC with case folding (upper-
 * then lower-casing after a compatibility decomposition folds `ß` to `ss` and `ﬁ` to `fi`,
 * and NFKC maps full-width and other compatibility forms to their plain letters), so two
 * spellings that read the same are one identity.
 */
export function foldIdentity(s: string): string {
  return s.normalize("NFKD").toUpperCase().toLowerCase().normalize("NFKC");
}

/**
 * parseEmail checks an address against the grammar and returns its canonical form:
 * trimmed, local part NFKC case-folded (foldIdentity), domain in its ASCII (punycode) form
 * (`José@Bücher.de` → `josé@xn--bcher-kva.de`, `Straße@x.de` → `strasse@x.de`). Internationalised addresses are
 * accepted; invisible characters (see INVISIBLE_CLASS), spaces inside, quoted local
 * parts, underscores in the domain and over-long addresses are refused.
 */
export function parseEmail(raw: string): IdentityResult {
  if (codePoints(raw) > MAX_EMAIL_LENGTH) return { ok: false, reason: `is longer than ${MAX_EMAIL_LENGTH} characters` };
  const text = trimBlanks(raw).normalize("NFC");
  if (text === "") return { ok: false, reason: "is empty" };
  const bad = findInvisible(text);
  if (bad !== undefined) return { ok: false, reason: `contains the invisible or control character ${describeCodePoint(bad)}` };
  if (SPACE.test(text)) return { ok: false, reason: "contains a space" };
  const at = text.lastIndexOf("@");
  if (at <= 0 || at === text.length - 1 || text.indexOf("@") !== at) return { ok: false, reason: "is not an address of the form name@domain" };
  const local = foldIdentity(text.slice(0, at));
  const folded = findInvisible(local);
  if (folded !== undefined) return { ok: false, reason: `contains the invisible or control character ${describeCodePoint(folded)}` };
  const localProblem = checkLocalPart(local);
  if (localProblem !== undefined) return { ok: false, reason: localProblem };
  const written = text.slice(at + 1);
  const domain = domainToASCII(written);
  // An ASCII domain is only lower-cased: no percent-decoding or numeric-address rewriting (so its canonical form is its lower case).
  const rewritten = PRINTABLE_ASCII.test(written) && (!/^[A-Za-z0-9.-]+$/.test(written) || domain !== written.toLowerCase());
  if (rewritten || domain === "" || !domain.includes(".") || domain.length > 253 || !domain.split(".").every((l) => LABEL.test(l))) {
    return { ok: false, reason: `has an invalid domain "${text.slice(at + 1)}" (letters, digits and "-" in dot-separated labels)` };
  }
  const value = `${local}@${domain}`;
  if (codePoints(value) > MAX_EMAIL_LENGTH) return { ok: false, reason: `is longer than ${MAX_EMAIL_LENGTH} characters` };
  return { ok: true, value };
}

function checkLocalPart(local: string): string | undefined {
  if (codePoints(local) > MAX_LOCAL_PART_LENGTH) return `has a part before "@" longer than ${MAX_LOCAL_PART_LENGTH} characters`;
  if (local.startsWith(".") || local.endsWith(".") || local.includes("..")) return `has a misplaced "." before "@"`;
  for (const ch of local) {
    if (ch === "." || ATEXT.test(ch) || (ch.codePointAt(0) ?? 0) > 0x7f) continue;
    return `contains "${ch}", which an address may not contain before "@"`;
  }
  return undefined;
}

/**
 * canonicalEmail is an address's identity for comparisons: parseEmail's value when valid,
 * else the input trimmed and NFKC case-folded (so legacy or invalid data still
 * compares stably and is shown as stored).
 */
export function canonicalEmail(raw: string): string {
  // Fast path, same result: printable ASCII without blanks is canonical once lower-cased (NFC and domainToASCII change nothing there).
  if (PRINTABLE_ASCII.test(raw)) return raw.toLowerCase();
  const parsed = parseEmail(raw);
  return parsed.ok ? parsed.value : foldIdentity(trimBlanks(raw));
}

/** checkDescription refuses a role description past MAX_DESCRIPTION_LENGTH or with invisible characters; undefined when fine. */
export function checkDescription(description: string): string | undefined {
  if (codePoints(description) > MAX_DESCRIPTION_LENGTH) return `is longer than ${MAX_DESCRIPTION_LENGTH} characters`;
  const bad = findInvisible(description);
  return bad === undefined ? undefined : `contains the invisible or control character ${describeCodePoint(bad)}`;
}
