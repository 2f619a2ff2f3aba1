import { normalizeEmail } from "../../schema/catalog.js";
import { compareText, sortPermissions } from "../../schema/order.js";
import { expiresOf, expiryWords } from "../../schema/access-expiry.js";
import { invitationsByEmail } from "../invitations.js";
import type { LiveState } from "../live-state.js";

/** DEFAULT_SCHEMA_URL is where the modeline points: the schema shipped in the installed package. */
export const DEFAULT_SCHEMA_URL = "./node_modules/antryk-access/schema/access.schema.json";

/**
 * AccessYamlOptions: `schemaUrl` is the `$schema` of the yaml-language-server modeline
 * (null: no modeline, for a file with no schema to point at);
 * `comments: false` leaves out every comment (modeline, export header, pending markers),
 * the form the YAML diff compares.
 */
export interface AccessYamlOptions {
  schemaUrl?: string | null;
  comments?: boolean;
  /** imports: library paths the file imports (export --extract-library), written after `workspace:`. */
  imports?: readonly string[];
}

/** AccessEntry is one person in canonical form; `pending` is set for a pending invitation: the comment that marks it. */
export interface AccessEntry {
  email: string;
  role: string;
  permissions: string[];
  /** expires is the file's `expires` for the live accessExpiresAt (the end of that UTC day); absent: none, or an instant a date cannot say (`expiresNote`). */
  expires?: string;
  /** expiresNote says when access ends on the server when it is not the end of a UTC day: a comment, since `expires` cannot say it. */
  expiresNote?: string;
  pending?: string;
  /** managedBy names another manager of this person (export --all): a comment marks it. */
  managedBy?: string;
}

/**
 * ExportScope is what an export manages: `manager` (written as `manager:`) and, unless `all`,
 * only what nobody or that manager manages; other managers' people and roles are left out
 * (named in a comment, and the file is additive so that it leaves them alone). With `all`
 * they are exported too, each marked with its manager in a comment.
 */
export interface ExportScope {
  manager: string;
  all: boolean;
}

/** CanonicalAccess is what an exported access.yaml says, before it is written: roles by name, people by email. */
export interface CanonicalAccess {
  workspace: string;
  owner: string;
  revision: number;
  roles: Map<string, { description: string; permissions: string[]; managedBy?: string }>;
  members: Map<string, AccessEntry>;
  /** lapsed names the expired and revoked invitations left out (they grant nothing). */
  lapsed: string[];
  /** manager is the export's `manager:` (ExportScope); absent: none written. */
  manager?: string;
  /** elsewhere names what other managers manage and the export left out (`email (manager)`, `role name (manager)`). */
  elsewhere?: string[];
}

/**
 * renderAccessYaml is the live workspace as the canonical access.yaml `export` writes:
 * modeline, `version`, `workspace`, `owner:` set, `mode: authoritative`, custom roles by
 * name, then members by email, active members and pending invitations alike (a comment
 * marks each pending one), permissions in catalog order. Expired and revoked invitations
 * grant nothing and are left out (named in a closing comment). Its contract: planning
 * this file against the same live state gives no changes. Written directly (not through
 * a YAML document model) so a 10,000-member workspace exports in milliseconds; every
 * scalar that is not plainly safe is double-quoted.
 */
export function renderAccessYaml(live: LiveState, options: AccessYamlOptions & { scope?: ExportScope } = {}): string {
  return writeAccessYaml(canonicalAccess(live, options.scope), options);
}

/**
 * canonicalAccess is the live workspace in the canonical form renderAccessYaml writes;
 * with a `scope`, narrowed to what its manager manages (ExportScope).
 */
export function canonicalAccess(live: LiveState, scope?: ExportScope): CanonicalAccess {
  const owner = normalizeEmail(live.workspace.owner);
  const members = new Map<string, AccessEntry>();
  const elsewhere: string[] = [];
  /** otherManager is the manager of an object when it is another one than the scope's (undefined: in scope). */
  const otherManager = (managedBy: string | null | undefined): string | undefined =>
    scope === undefined || managedBy === undefined || managedBy === null || managedBy === scope.manager ? undefined : managedBy;
  /** keep says whether an object goes into the export, noting what is left out. */
  const keep = (name: string, managedBy: string | null | undefined): boolean => {
    const other = otherManager(managedBy);
    if (other === undefined || scope?.all === true) return true;
    elsewhere.push(`${name} (${other})`);
    return false;
  };
  const marked = (managedBy: string | null | undefined) => {
    const other = otherManager(managedBy);
    return other === undefined ? {} : { managedBy: other };
  };
  for (const m of live.members) {
    const email = normalizeEmail(m.email);
    if (email === owner || m.role === "owner") continue;
    if (!keep(email, m.managedBy)) continue;
    members.set(email, { email, role: m.role, permissions: sortPermissions(m.permissions), ...expiring(m.accessExpiresAt), ...marked(m.managedBy) });
  }
  const leftOut = new Set(live.members.map((m) => normalizeEmail(m.email)));
  const lapsed: string[] = [];
  for (const [email, inv] of invitationsByEmail(live.invitations)) {
    if (leftOut.has(email) || email === owner) continue;
    if (inv.status !== "pending") {
      lapsed.push(`${email} (${inv.status})`);
      continue;
    }
    const pending = `pending invitation: sent ${inv.lastSentAt.slice(0, 10)}, expires ${inv.expiresAt.slice(0, 10)}`;
    if (!keep(email, inv.managedBy)) continue;
    members.set(email, { email, role: inv.role, permissions: sortPermissions(inv.permissions), ...expiring(inv.accessExpiresAt), pending, ...marked(inv.managedBy) });
  }
  const roles = new Map<string, { description: string; permissions: string[]; managedBy?: string }>();
  for (const r of live.roles) {
    if (r.builtIn || !keep(`role ${r.name}`, r.managedBy)) continue;
    roles.set(r.name, { description: r.description, permissions: sortPermissions(r.permissions), ...marked(r.managedBy) });
  }
  const access: CanonicalAccess = { workspace: live.workspace.name, owner, revision: live.workspace.revision, roles, members, lapsed };
  if (scope !== undefined) {
    access.manager = scope.manager;
    access.elsewhere = elsewhere;
  }
  return access;
}

/** expiring is an entry's time-bound access from the live accessExpiresAt: `expires` when a date can say it, else a note. */
function expiring(at: string | null | undefined): Pick<AccessEntry, "expires" | "expiresNote"> {
  if (at === null || at === undefined) return {};
  const expires = expiresOf(at);
  return expires !== undefined ? { expires } : { expiresNote: `access ends ${expiryWords(at)} on the server; an expires date cannot say that instant` };
}

/** writeAccessYaml writes canonical access as access.yaml text: roles by name, members by email, permissions as given. */
export function writeAccessYaml(access: CanonicalAccess, options: AccessYamlOptions = {}): string {
  const comments = options.comments ?? true;
  const schemaUrl = options.schemaUrl === undefined ? DEFAULT_SCHEMA_URL : options.schemaUrl;
  const out: string[] = comments
    ? [
        ...(schemaUrl === null ? [] : [`# yaml-language-server: $schema=${schemaUrl}`]),
        `# Exported from workspace ${oneLine(access.workspace)} at revision ${access.revision}.`,
        "",
      ]
    : [];
  out.push("version: 1", `workspace: ${scalar(access.workspace)}`);
  if (options.imports !== undefined && options.imports.length > 0) out.push(`imports: ${flow(options.imports)}`);
  if (access.manager !== undefined) out.push(`manager: ${scalar(access.manager)}`);
  out.push(`owner: ${scalar(access.owner)}`);
  // What other managers manage was left out: an additive file leaves it alone instead of removing it.
  const elsewhere = access.elsewhere ?? [];
  if (elsewhere.length > 0) {
    if (comments) out.push(`# Managed by other managers, left out (additive mode leaves them alone): ${oneLine([...elsewhere].sort(compareText).join(", "))}`);
    out.push("mode: additive");
  } else out.push("mode: authoritative");
  const roles = [...access.roles].sort(([a], [b]) => compareText(a, b));
  if (roles.length > 0) {
    out.push("roles:");
    for (const [name, r] of roles) {
      if (comments && r.managedBy !== undefined) out.push(`  # managed by ${oneLine(r.managedBy)}`);
      out.push(`  ${scalar(name)}:`, `    description: ${scalar(r.description)}`, `    permissions: ${flow(r.permissions)}`);
    }
  }
  const sorted = [...access.members.values()].sort((a, b) => compareText(a.email, b.email));
  out.push(sorted.length > 0 ? "members:" : "members: []");
  for (const m of sorted) {
    if (comments && m.managedBy !== undefined) out.push(`  # managed by ${oneLine(m.managedBy)}`);
    if (comments && m.pending !== undefined) out.push(`  # ${m.pending}`);
    if (comments && m.expiresNote !== undefined) out.push(`  # ${m.expiresNote}`);
    out.push(`  - email: ${scalar(m.email)}`, `    role: ${scalar(m.role)}`);
    if (m.permissions.length > 0) out.push(`    permissions: ${flow(m.permissions)}`);
    if (m.expires !== undefined) out.push(`    expires: ${m.expires}`);
  }
  if (comments && access.lapsed.length > 0) out.push("", `# Not exported (they grant nothing): ${oneLine([...access.lapsed].sort().join(", "))}`);
  return `${out.join("\n")}\n`;
}

/** PLAIN is a scalar YAML reads back as the same string in block and flow context. */
const PLAIN = /^[A-Za-z_][A-Za-z0-9_.@+-]*(?::[A-Za-z0-9_.@+-]+)*$/;
const RESERVED = /^(?:true|false|yes|no|on|off|y|n|null|nan|inf)$/i;

/** scalar writes a string plain when that is unambiguous, else as a JSON (= YAML double-quoted) string. */
export function scalar(value: string): string {
  return PLAIN.test(value) && !RESERVED.test(value) ? value : JSON.stringify(value);
}

/** flow writes a list of strings as a one-line YAML flow sequence. */
export function flow(values: readonly string[]): string {
  return `[${values.map(scalar).join(", ")}]`;
}

/** oneLine keeps a value from breaking out of a comment. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}
