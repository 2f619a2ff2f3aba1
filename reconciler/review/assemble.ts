import { ADMIN_PERMISSION, normalizeEmail, REVIEW_HIGH_RISK_PERMISSIONS } from "../../schema/catalog.js";
import type { AuditEvent, Invitation, Member, Role, Workspace } from "../../schema/api.js";
import type { DesiredMember } from "../../schema/model.js";
import { compareText } from "../../schema/order.js";
import { liveSinceOf } from "../live-since.js";
import { effective, liveRoleTable, toAccess } from "../permissions.js";
import {
  DEFAULT_INACTIVE_AFTER_DAYS,
  DEFAULT_STALE_AFTER_DAYS,
  EXPIRING_WITHIN_DAYS,
  REVIEW_FORMAT_VERSION,
  type DriftItem,
  type FileGrant,
  type HistoryCoverage,
  type InactivePerson,
  type Review,
  type ReviewPerson,
  type StaleInvitation,
} from "./model.js";

/**
 * The review's people and sections from the live workspace alone: the part of buildReview
 * the dashboard runs too. It imports no Node module and no engine stage, so the server
 * serves it (compiled) to the browser as an ES module (docs/dashboard.md, "One domain core").
 */

const DAY_MS = 86_400_000;

/** FileEntry is access.yaml's entry for one person, and whether its `expires` has passed. */
export interface FileEntry {
  member: DesiredMember;
  expired: boolean;
}

/** ReviewLive is what a review reads of the live workspace (LiveState's lists; `roles` may include the built-ins). */
export interface ReviewLive {
  workspace: Pick<Workspace, "name" | "owner" | "revision">;
  members: readonly Member[];
  invitations: readonly Invitation[];
  roles: readonly Role[];
}

/** AssembleInput is buildReview's input once the file's entries and the drift are worked out (both null without a file). */
export interface AssembleInput {
  live: ReviewLive;
  target: string;
  /** entries maps a normalized email to its access.yaml entry; null without a file. */
  entries: ReadonlyMap<string, FileEntry> | null;
  accessFile: string | null;
  drift: DriftItem[] | null;
  lastChange: ReadonlyMap<string, AuditEvent>;
  history: HistoryCoverage;
  now: Date;
  internalDomains?: readonly string[];
  staleAfterDays?: number;
  inactiveAfterDays?: number;
}

/**
 * assembleReview is the review of `input` (docs/review.md), pure: people are the members (the
 * owner included) and the pending or expired invitations (the newest per email), sorted by
 * email; sections and counts are computed from them.
 */
export function assembleReview(input: AssembleInput): Review {
  const { live, entries, now } = input;
  const domains = normalizeDomains(input.internalDomains ?? []);
  const staleAfterDays = input.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS;
  const inactiveAfterDays = input.inactiveAfterDays ?? DEFAULT_INACTIVE_AFTER_DAYS;
  const roles = liveRoleTable(live.roles);
  const owner = normalizeEmail(live.workspace.owner);

  const base = (email: string, role: string, permissions: string[], accessExpiresAt: string | null | undefined) => {
    const key = normalizeEmail(email);
    const effectivePermissions = effective(toAccess(role, permissions), roles);
    const entry = entries?.get(key);
    const expires = entry?.member.expires ?? null;
    const event = input.lastChange.get(key);
    return {
      email: key,
      role,
      permissions: toAccess(role, permissions).permissions,
      effectivePermissions,
      highRisk: effectivePermissions.filter((p) => (REVIEW_HIGH_RISK_PERMISSIONS as readonly string[]).includes(p)),
      admin: effectivePermissions.includes(ADMIN_PERMISSION),
      owner: key === owner,
      internal: domains.length === 0 ? null : isInternal(key, domains),
      ...(entries === null ? {} : { inFile: entry === undefined ? null : grantOf(entry.member, entry.expired) }),
      lastChange: event === undefined ? null : liveSinceOf(event),
      expires,
      daysLeft: expires === null ? null : daysUntil(expires, now),
      // accessExpiresAt: the end the workspace itself enforces, where the server sends it
      ...(typeof accessExpiresAt === "string" || accessExpiresAt === null ? { accessExpiresAt } : {}),
    };
  };

  const people: ReviewPerson[] = [
    ...live.members.map((m: Member): ReviewPerson => ({
      ...base(m.email, m.role, m.permissions, accessEnd(m)),
      managedBy: m.managedBy ?? null,
      status: "active",
      since: m.joinedAt,
      lastActiveAt: m.lastActiveAt ?? null,
      lastActiveVia: m.lastActiveAt ? (m.lastActiveVia ?? null) : null,
      inactiveDays: Math.floor((now.getTime() - Date.parse(m.lastActiveAt ?? m.joinedAt)) / DAY_MS),
      invitedBy: m.invitedBy,
      memberId: m.id,
    })),
    ...openInvitations(live.invitations, new Set(live.members.map((m) => normalizeEmail(m.email)))).map(
      (i): ReviewPerson => ({
        ...base(i.email, i.role, i.permissions, accessEnd(i)),
        managedBy: i.managedBy ?? null,
        status: i.status === "expired" ? "expired" : "pending",
        since: i.createdAt,
        lastActiveAt: null,
        lastActiveVia: null,
        inactiveDays: null,
        invitedBy: i.invitedBy,
        invitationId: i.id,
        invitationExpiresAt: i.expiresAt,
      }),
    ),
  ].sort((a, b) => compareText(a.email, b.email));

  const stale = staleInvitations(people, live, now, staleAfterDays);
  const inactive = inactivePeople(people, inactiveAfterDays, now);
  const drift = input.drift;
  const outside = domains.length === 0 ? null : people.filter((p) => p.internal === false).map((p) => p.email);
  const expiring =
    entries === null ? null : people.filter((p) => p.daysLeft !== null && p.daysLeft >= 0 && p.daysLeft <= EXPIRING_WITHIN_DAYS).map((p) => p.email);
  const admins = people.filter((p) => p.admin).map((p) => p.email);
  return {
    formatVersion: REVIEW_FORMAT_VERSION,
    workspace: live.workspace.name,
    target: input.target,
    generatedAt: now.toISOString(),
    revision: live.workspace.revision,
    owner,
    accessFile: input.accessFile,
    internalDomains: domains,
    staleAfterDays,
    expiringWithinDays: EXPIRING_WITHIN_DAYS,
    inactiveAfterDays,
    history: input.history,
    summary: {
      people: people.length,
      active: people.filter((p) => p.status === "active").length,
      pending: people.filter((p) => p.status === "pending").length,
      expired: people.filter((p) => p.status === "expired").length,
      admins: admins.length,
      highRisk: people.filter((p) => p.highRisk.length > 0).length,
      outside: outside === null ? null : outside.length,
      expiring: expiring === null ? null : expiring.length,
      stale: stale.length,
      inactive: inactive.length,
      notInFile: entries === null ? null : people.filter((p) => p.inFile === null && !p.owner).length,
      notManaged: notManaged(people).length,
      drift: drift === null ? null : drift.length,
    },
    people,
    admins,
    outside,
    expiring,
    stale,
    inactive,
    drift,
  };
}

/** notManaged are the people (the owner aside: nobody manages them) whom no file or stack manages. */
export function notManaged(people: readonly ReviewPerson[]): ReviewPerson[] {
  return people.filter((p) => p.managedBy === null && !p.owner);
}

/** ExpiringAccess is one person whose access ends within a window: when, and whole days left (negative: already past). */
export interface ExpiringAccess {
  person: ReviewPerson;
  /** endsAt: the workspace's accessExpiresAt, or the start (UTC) of the day after access.yaml's `expires`. */
  endsAt: string;
  daysLeft: number;
}

/**
 * expiringAccess lists the people whose access ends within `days` days of `now`, soonest
 * first: from `accessExpiresAt` where the workspace knows it, else from access.yaml's
 * `expires`. People past their end but still present are listed too (negative days left).
 */
export function expiringAccess(people: readonly ReviewPerson[], days: number, now: Date): ExpiringAccess[] {
  const out: ExpiringAccess[] = [];
  for (const person of people) {
    const endsAt = person.accessExpiresAt ?? (person.expires === null ? null : new Date(Date.parse(`${person.expires}T00:00:00Z`) + DAY_MS).toISOString());
    if (endsAt === null || Number.isNaN(Date.parse(endsAt))) continue;
    const daysLeft = Math.floor((Date.parse(endsAt) - now.getTime()) / DAY_MS);
    if (daysLeft <= days) out.push({ person, endsAt, daysLeft });
  }
  return out.sort((a, b) => Date.parse(a.endsAt) - Date.parse(b.endsAt) || compareText(a.person.email, b.person.email));
}

/** normalizeDomains is a list of company domains as the review compares them: trimmed, lower case, no leading `@`, distinct, sorted. */
export function normalizeDomains(domains: readonly string[]): string[] {
  return [...new Set(domains.map((d) => d.trim().toLowerCase().replace(/^@/, "")))].filter((d) => d !== "").sort();
}

/** revokeCommand is the API call that revokes one invitation, with the credentials left to the environment. */
export function revokeCommand(workspace: string, invitationId: string, version: number): string {
  const path = `/v1/workspaces/${encodeURIComponent(workspace)}/invitations/${encodeURIComponent(invitationId)}/revoke`;
  return `curl -fsS -X POST -H "Authorization: Bearer $ANTRYK_TOKEN" -H 'If-Match: "${version}"' "$ANTRYK_API_URL${path}"`;
}

/** daysUntil counts whole UTC days from `now`'s date to `date` (YYYY-MM-DD): 0 on that day, negative after. */
export function daysUntil(date: string, now: Date): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((Date.parse(`${date}T00:00:00Z`) - today) / DAY_MS);
}

// accessEnd is the API object's `accessExpiresAt` (undefined from a server from before time-bound access).
function accessEnd(o: Member | Invitation): string | null | undefined {
  return o.accessExpiresAt;
}

/** isInternal tells whether `email` is inside the company `domains` (normalizeDomains'): its domain is one of them or a subdomain of one. The dashboard's Members filter uses it too. */
export function isInternal(email: string, domains: readonly string[]): boolean {
  const domain = email.slice(email.lastIndexOf("@") + 1);
  return domains.some((d) => domain === d || domain.endsWith(`.${d}`));
}

function grantOf(m: DesiredMember, expired: boolean): FileGrant {
  return { file: m.source.file, line: m.source.line, ...(m.group !== undefined ? { group: m.group } : {}), expired };
}

/** openInvitations keeps the newest pending or expired invitation per email not already a member. */
function openInvitations(invitations: readonly Invitation[], members: ReadonlySet<string>): Invitation[] {
  const newest = new Map<string, Invitation>();
  for (const i of invitations) {
    if (i.status !== "pending" && i.status !== "expired") continue;
    const key = normalizeEmail(i.email);
    if (members.has(key)) continue;
    const seen = newest.get(key);
    if (seen === undefined || i.createdAt > seen.createdAt) newest.set(key, i);
  }
  return [...newest.values()];
}

function staleInvitations(people: readonly ReviewPerson[], live: ReviewLive, now: Date, staleAfterDays: number): StaleInvitation[] {
  const byId = new Map(live.invitations.map((i) => [i.id, i]));
  const out: StaleInvitation[] = [];
  for (const p of people) {
    const inv = p.invitationId === undefined ? undefined : byId.get(p.invitationId);
    if (inv === undefined || p.status === "active") continue;
    const ageDays = Math.floor((now.getTime() - Date.parse(inv.createdAt)) / DAY_MS);
    if (ageDays <= staleAfterDays) continue;
    out.push({
      email: p.email,
      status: p.status,
      invitationId: inv.id,
      invitedAt: inv.createdAt,
      ageDays,
      invitedBy: inv.invitedBy,
      command: revokeCommand(live.workspace.name, inv.id, inv.version),
    });
  }
  return out;
}

/** inactivePeople are the members (the owner aside: this tool never removes them) whose last activity, or joining if never active, is older than `days` days (as the policy matcher inactiveFor), longest first, then by email. */
function inactivePeople(people: readonly ReviewPerson[], days: number, now: Date): InactivePerson[] {
  const cutoff = now.getTime() - days * DAY_MS;
  return people
    .filter((p) => p.status === "active" && !p.owner && p.inactiveDays !== null && Date.parse(p.lastActiveAt ?? p.since) < cutoff)
    .map((p): InactivePerson => ({
      email: p.email,
      role: p.role,
      lastActiveAt: p.lastActiveAt,
      lastActiveVia: p.lastActiveVia,
      inactiveDays: p.inactiveDays as number,
      ...(p.inFile !== undefined ? { inFile: p.inFile } : {}),
    }))
    .sort((a, b) => b.inactiveDays - a.inactiveDays || compareText(a.email, b.email));
}
