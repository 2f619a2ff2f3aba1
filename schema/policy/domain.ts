import { parseEmail } from "../identity.js";

/**
 * The domains of policy matchers (`emailDomain`, `emailDomainNot`; docs/policies.md,
 * "Matchers") under the identity grammar: a domain is what it is as the domain of an
 * address (schema/identity.ts parseEmail: no invisible or bidi characters, lower-cased,
 * IDN as punycode), written without a trailing dot. A domain matches exactly
 * (`contractor.dev` matches `eve@contractor.dev`, not `eve@eu.contractor.dev`); a leading
 * `*.` matches every subdomain, at any depth, and not the domain itself (`*.contractor.dev`
 * matches `eve@eu.contractor.dev`); list both for both. No other wildcard is allowed.
 */

/** DomainResult is a matcher domain in its canonical form, or why it matches nobody. */
export type DomainResult = { ok: true; value: string } | { ok: false; reason: string };

/** parseMatcherDomain checks a matcher's domain (an optional leading `@` is allowed) and returns its canonical form. */
export function parseMatcherDomain(raw: string): DomainResult {
  const written = raw.trim().replace(/^@/, "");
  if (written.endsWith(".")) return { ok: false, reason: `ends with "." and would match no address: write "${written.replace(/\.+$/, "")}"` };
  const wildcard = written.startsWith("*.");
  const name = wildcard ? written.slice(2) : written;
  if (name.includes("*")) return { ok: false, reason: `has a "*" that matches no address: only a leading "*." (every subdomain) is a wildcard` };
  const parsed = parseEmail(`x@${name}`);
  if (!parsed.ok) return { ok: false, reason: parsed.reason.replace(/^has an invalid domain .*$/, "is not a domain (letters, digits and \"-\" in dot-separated labels)") };
  const domain = parsed.value.slice(parsed.value.lastIndexOf("@") + 1);
  return { ok: true, value: wildcard ? `*.${domain}` : domain };
}

/** domainMatches tells whether an address's domain is one of `domains`, or a subdomain of a `*.` one (all canonical). */
export function domainMatches(domain: string, domains: ReadonlySet<string>): boolean {
  if (domain === "") return false;
  if (domains.has(domain)) return true;
  for (let at = domain.indexOf("."); at !== -1; at = domain.indexOf(".", at + 1)) {
    if (domains.has(`*${domain.slice(at)}`)) return true;
  }
  return false;
}
