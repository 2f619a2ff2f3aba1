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
 * may contain: controls (Cc, e.g. ESC), format characters (Cf: bidi controls such as U+202E,
 * zero-width spaces and joiners, U+FEFF), line and paragraph separators (Zl, Zp) and lone
 * surrogates (Cs). The dashboard's identity.js uses the same class to make them visible.
 */
export const INVISIBLE_CLASS = "\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Cs}";

/**
 * SCHEMA_INVISIBLE_CLASS is the part of INVISIBLE_CLASS access.schema.json spells out, as
 * `\u` ranges that mean the same with or without a RegExp's `u` flag (editors compile
 * JSON Schema patterns either way, and `\p{…}` needs it): controls, soft hyphen, bidi
 * controls, zero-width characters, line and paragraph separators, BOM. A subset of
 * INVISIBLE_CLASS (a test checks every character), so the rules refuse at least as much.
 */
export const SCHEMA_INVISIBLE_CLASS = "\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff";

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
 * parseEmail checks an address against the grammar and returns its canonical form:
 * trimmed, NFC-normalised, local part lower-cased, domain in its ASCII (punycode) form
 * (`José@Bücher.de` → `josé@xn--bcher-kva.de`). Internationalised addresses are
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
  const local = text.slice(0, at).toLowerCase().normalize("NFC");
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
 * else the input trimmed, NFC-normalised and lower-cased (so legacy or invalid data still
 * compares stably and is shown as stored).
 */
export function canonicalEmail(raw: string): string {
  // Fast path, same result: printable ASCII without blanks is canonical once lower-cased (NFC and domainToASCII change nothing there).
  if (PRINTABLE_ASCII.test(raw)) return raw.toLowerCase();
  const parsed = parseEmail(raw);
  return parsed.ok ? parsed.value : trimBlanks(raw).normalize("NFC").toLowerCase();
}

/** checkDescription refuses a role description past MAX_DESCRIPTION_LENGTH or with invisible characters; undefined when fine. */
export function checkDescription(description: string): string | undefined {
  if (codePoints(description) > MAX_DESCRIPTION_LENGTH) return `is longer than ${MAX_DESCRIPTION_LENGTH} characters`;
  const bad = findInvisible(description);
  return bad === undefined ? undefined : `contains the invisible or control character ${describeCodePoint(bad)}`;
}
