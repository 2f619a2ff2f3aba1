import { domainToASCII } from "node:url";
import { ADMIN_PERMISSION, BUILT_IN_ROLES } from "../schema/catalog.js";
import { DAY_MS, DURATION_PATTERN } from "../schema/policy/model.js";
import type { RoleLookup } from "./access.js";
import { invalid } from "./http-error.js";

/**
 * The search of the people lists (members and invitations), decided in SQL so that a
 * page of a 10,000-member workspace is one indexed query (docs/api.md, "Searching lists").
 * Every filter narrows; the order stays the list's own (`seq`), so cursors keep working.
 */

/** PeopleQuery is the raw search part of a members or invitations list query (strings as validated by the schema). */
export interface PeopleQuery {
  q?: string;
  role?: string;
  admin?: boolean;
  external?: string;
  expiresWithin?: string;
}

/** PeopleFilter is a parsed PeopleQuery: `q` folded, `external` as ASCII domains. */
export interface PeopleFilter {
  q?: string;
  role?: string;
  admin?: boolean;
  external?: string[];
  /** expiresBefore keeps those whose accessExpiresAt (epoch ms) is set and at or before it. */
  expiresBefore?: number;
}

/** MAX_EXTERNAL_DOMAINS bounds the company domains one `external=` may list. */
export const MAX_EXTERNAL_DOMAINS = 50;

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * parsePeopleFilter checks a list query's search part: a known role, well-formed company
 * domains, `expiresWithin` as a number of days (`30d`, 1 to 36,500) counted from `now`; a
 * 400 names the query field.
 */
export function parsePeopleFilter(query: PeopleQuery, roles: RoleLookup, now: number): PeopleFilter {
  const filter: PeopleFilter = {};
  if (query.q !== undefined) filter.q = query.q.toLowerCase();
  if (query.role !== undefined) {
    if (roles(query.role) === undefined) throw invalid("role", `unknown role "${query.role}"`, "unknown_role", { value: query.role });
    filter.role = query.role;
  }
  if (query.admin !== undefined) filter.admin = query.admin;
  if (query.external !== undefined) filter.external = parseDomains(query.external);
  if (query.expiresWithin !== undefined) {
    const days = DURATION_PATTERN.test(query.expiresWithin) ? Number(query.expiresWithin.slice(0, -1)) : NaN;
    if (!(days <= 36_500)) throw invalid("expiresWithin", `must be a number of days written like "30d" (1 to 36500), not "${query.expiresWithin}"`, "bad_duration", { value: query.expiresWithin });
    filter.expiresBefore = now + days * DAY_MS;
  }
  return filter;
}

/** parseDomains reads `acme.io,acme.de`: lower-cased, Unicode domains in punycode (as emails are stored), at most MAX_EXTERNAL_DOMAINS. */
function parseDomains(text: string): string[] {
  const parts = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (parts.length === 0) throw invalid("external", "name at least one company domain, e.g. external=acme.io", "empty");
  if (parts.length > MAX_EXTERNAL_DOMAINS) throw invalid("external", `at most ${MAX_EXTERNAL_DOMAINS} domains`, "too_long");
  return parts.map((raw) => {
    const ascii = domainToASCII(raw.toLowerCase().replace(/^@/, "").replace(/\.$/, ""));
    if (!DOMAIN.test(ascii)) throw invalid("external", `"${raw}" is not a domain`, "not_domain", { value: raw });
    return ascii;
  });
}

/** SqlFilter is a WHERE fragment (starting with AND, or empty) and its named parameters; `key` identifies the fragment's shape for statement caching. */
export interface SqlFilter {
  sql: string;
  params: Record<string, string | number>;
  key: string;
}

const ADMIN_BUILT_INS = JSON.stringify(
  Object.entries(BUILT_IN_ROLES)
    .filter(([, role]) => (role.permissions as readonly string[]).includes(ADMIN_PERMISSION))
    .map(([name]) => name),
);

/**
 * peopleFilterSql renders a filter over a table with `email`, `role` and `permissions`
 * columns (members, invitations) in workspace `@ws`. `admin` holds access:manage however:
 * a built-in role with it, a custom role with it, or an extra grant. `external` keeps the
 * emails whose domain is neither one of the domains nor a subdomain of one. `expiresBefore`
 * keeps those whose access ends (or ended) by then.
 */
export function peopleFilterSql(filter: PeopleFilter): SqlFilter {
  const parts: string[] = [];
  const params: Record<string, string | number> = {};
  const key: string[] = [];
  if (filter.q !== undefined) {
    parts.push("AND instr(email, @q) > 0");
    params.q = filter.q;
    key.push("q");
  }
  if (filter.role !== undefined) {
    parts.push("AND role = @role");
    params.role = filter.role;
    key.push("role");
  }
  if (filter.admin !== undefined) {
    const holds = `(role IN (SELECT value FROM json_each(@adminBuiltIns))
      OR role IN (SELECT r.name FROM roles r WHERE r.workspace_id = @ws AND EXISTS (SELECT 1 FROM json_each(r.permissions) WHERE value = @manage))
      OR EXISTS (SELECT 1 FROM json_each(permissions) WHERE value = @manage))`;
    parts.push(filter.admin ? `AND ${holds}` : `AND NOT ${holds}`);
    params.adminBuiltIns = ADMIN_BUILT_INS;
    params.manage = ADMIN_PERMISSION;
    key.push(filter.admin ? "admin" : "nonadmin");
  }
  if (filter.external !== undefined) {
    const domain = "substr(email, instr(email, '@') + 1)";
    parts.push(`AND NOT EXISTS (SELECT 1 FROM json_each(@domains) d
      WHERE ${domain} = d.value OR substr(${domain}, -length(d.value) - 1) = '.' || d.value)`);
    params.domains = JSON.stringify(filter.external);
    key.push("external");
  }
  if (filter.expiresBefore !== undefined) {
    // ended access included: it is listed until the person is removed (docs/api.md, "Time-bound access")
    parts.push("AND access_expires_at IS NOT NULL AND access_expires_at <= @expiresBefore");
    params.expiresBefore = filter.expiresBefore;
    key.push("expires");
  }
  return { sql: parts.join(" "), params, key: key.join(",") };
}
