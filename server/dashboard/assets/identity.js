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
