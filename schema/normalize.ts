import { normalizeEmail } from "./catalog.js";
import { DEFAULTS, type DesiredState, type RemovalLimit } from "./model.js";
import { readPolicies, type PolicyDraft } from "./policy/read.js";
import { DURATION_PATTERN } from "./policy/model.js";
import type { YamlPath } from "./source/locator.js";

/**
 * Normalization: the plain document (already checked by the schema, but possibly invalid)
 * becomes a Draft: emails trimmed and lower-cased, groups expanded into member entries,
 * defaults applied, maxRemovals parsed and `expires` resolved against the clock. It is
 * defensive: a value of the wrong shape is skipped (the schema check has reported it), so
 * the named rules still run over everything else and one run reports every problem.
 * Every value keeps the YAML path it came from; positions are looked up only for findings.
 */

/** Located is a value and the YAML path of the node it came from. */
export interface Located<T> {
  value: T;
  path: YamlPath;
}

/**
 * PermissionList is one list of permissions as written (a custom role's, a group's or a
 * member's grants); items keep their YAML index, a non-string item is null (the schema
 * check reported it).
 */
export interface PermissionList {
  path: YamlPath;
  items: (string | null)[];
}

/**
 * DraftMember is one member entry, from `members` or expanded from a group (members of a
 * group share its role path and grant list). Paths of its parts come from `memberPath`,
 * built only when a finding needs them (a 100,000-member file allocates no path per value).
 */
export interface DraftMember {
  /** Normalized email (trimmed, lower-case). */
  email: string;
  /** Path of the whole entry: `members[i]`, or the group's email item `groups.g.members[j]`. */
  entryPath: YamlPath;
  /** The role as written (ids are not trimmed: " developer" is no role); undefined when missing or not a string. */
  role?: string;
  grants: PermissionList;
  expires?: string;
  /** True when `expires` is a valid date already past at the injected `now`. */
  expired: boolean;
  group?: string;
}

/** memberPath is the YAML path of a part of a member entry (for a group member: the group's role or grants). */
export function memberPath(m: DraftMember, part: "email" | "role" | "permissions" | "expires"): YamlPath {
  if (m.group === undefined) return [...m.entryPath, part];
  if (part === "role" || part === "permissions") return ["groups", m.group, part];
  return m.entryPath;
}

/** DraftRole is a custom role as written. */
export interface DraftRole {
  name: string;
  /** Path of the role (its key under `roles`). */
  path: YamlPath;
  description: string;
  permissions: PermissionList;
}

/** Draft is the normalized document before the named rules have judged it. */
export interface Draft {
  workspace: string;
  owner?: Located<string>;
  /** The file's `manager:` as written (trimmed), if any. */
  manager?: string;
  mode: DesiredState["mode"];
  maxRemovals: RemovalLimit;
  minAdmins: number;
  /** Whether minAdmins was written in the file (diagnostics then point at it). */
  minAdminsWritten: boolean;
  requiredAdmins: Located<string>[];
  /** safety.warnInactiveAfter in days, when written like `90d` (the schema reports anything else). */
  warnInactiveAfter?: number;
  preserve: Located<string>[];
  /** safety.takeOver: manager ids, trimmed. */
  takeOver: string[];
  resendExpired: boolean;
  maxResends: number;
  roles: DraftRole[];
  members: DraftMember[];
  /** The policies as written and the group names they may mention (schema/policy/read.ts). */
  policies: PolicyDraft;
}

/** NormalizeFinding is a value normalization could not make sense of (rules report the rest). */
export interface NormalizeFinding {
  code: "invalid-expires" | "invalid-max-removals";
  message: string;
  path: YamlPath;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const NO_GRANTS: PermissionList = Object.freeze({ path: [], items: [] }) as PermissionList;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** normalize builds the Draft of a document; `now` decides which `expires` are past. */
export function normalize(doc: unknown, now: Date): { draft: Draft; findings: NormalizeFinding[] } {
  const findings: NormalizeFinding[] = [];
  const root = isObj(doc) ? doc : {};
  const safety = isObj(root.safety) ? root.safety : {};
  const invitations = isObj(root.invitations) ? root.invitations : {};
  const emails = (v: unknown, path: YamlPath): Located<string>[] =>
    list(v).flatMap((e, i) => (typeof e === "string" ? [{ value: normalizeEmail(e), path: [...path, i] }] : []));
  const grants = (v: unknown, path: () => YamlPath): PermissionList => {
    const items = list(v);
    return items.length === 0 ? NO_GRANTS : { path: path(), items: items.map((p) => (typeof p === "string" ? p : null)) };
  };

  const roles: DraftRole[] = Object.entries(isObj(root.roles) ? root.roles : {}).map(([name, r]) => ({
    name,
    path: ["roles", name],
    description: (isObj(r) && str(r.description)) || "",
    permissions: isObj(r) ? grants(r.permissions, () => ["roles", name, "permissions"]) : NO_GRANTS,
  }));

  const members: DraftMember[] = [];
  list(root.members).forEach((m, i) => {
    if (!isObj(m) || typeof m.email !== "string") return;
    const member: DraftMember = {
      email: normalizeEmail(m.email),
      entryPath: ["members", i],
      role: str(m.role),
      grants: grants(m.permissions, () => ["members", i, "permissions"]),
      expired: false,
    };
    if (typeof m.expires === "string") {
      const end = endOfDay(m.expires);
      if (end === undefined) {
        if (DATE.test(m.expires)) findings.push({ code: "invalid-expires", message: `"${m.expires}" is not a calendar date`, path: ["members", i, "expires"] });
      } else {
        member.expires = m.expires;
        member.expired = now.getTime() >= end;
      }
    }
    members.push(member);
  });
  for (const [group, g] of Object.entries(isObj(root.groups) ? root.groups : {})) {
    if (!isObj(g)) continue;
    const base: YamlPath = ["groups", group];
    const role = str(g.role);
    const groupGrants = grants(g.permissions, () => [...base, "permissions"]);
    for (const e of emails(g.members, [...base, "members"])) {
      members.push({ email: e.value, entryPath: e.path, role, grants: groupGrants, expired: false, group });
    }
  }

  const draft: Draft = {
    workspace: str(root.workspace) ?? "",
    mode: root.mode === "additive" ? "additive" : DEFAULTS.mode,
    maxRemovals: parseMaxRemovals(safety.maxRemovals, findings),
    minAdmins: int(safety.minAdmins) ?? DEFAULTS.minAdmins,
    minAdminsWritten: int(safety.minAdmins) !== undefined,
    requiredAdmins: emails(safety.requiredAdmins, ["safety", "requiredAdmins"]),
    preserve: emails(safety.preserve, ["safety", "preserve"]),
    takeOver: list(safety.takeOver).flatMap((m) => (typeof m === "string" ? [m.trim()] : [])),
    resendExpired: typeof invitations.resendExpired === "boolean" ? invitations.resendExpired : DEFAULTS.resendExpired,
    maxResends: int(invitations.maxResends) ?? DEFAULTS.maxResends,
    roles,
    members,
    policies: readPolicies(root),
  };
  if (typeof root.owner === "string") draft.owner = { value: normalizeEmail(root.owner), path: ["owner"] };
  if (typeof root.manager === "string") draft.manager = root.manager.trim();
  if (typeof safety.warnInactiveAfter === "string" && DURATION_PATTERN.test(safety.warnInactiveAfter)) draft.warnInactiveAfter = Number(safety.warnInactiveAfter.slice(0, -1));
  return { draft, findings };
}

/** parseMaxRemovals reads an integer or "N%" (0–100); anything else is the default (and a finding when it looked like a percentage). */
function parseMaxRemovals(v: unknown, findings: NormalizeFinding[]): RemovalLimit {
  if (int(v) !== undefined) return { kind: "count", value: v as number };
  const m = typeof v === "string" ? /^([0-9]+(?:\.[0-9]+)?)%$/.exec(v.trim()) : null;
  if (m) {
    const value = Number(m[1]);
    if (value <= 100) return { kind: "percent", value };
    findings.push({ code: "invalid-max-removals", message: `maxRemovals "${v as string}" is more than 100%`, path: ["safety", "maxRemovals"] });
  }
  return { ...DEFAULTS.maxRemovals };
}

/** endOfDay is the first instant after the UTC day `date` (YYYY-MM-DD) names, or undefined for a non-date. */
export function endOfDay(date: string): number | undefined {
  const m = DATE.exec(date);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return Date.UTC(y, mo - 1, d + 1);
}
