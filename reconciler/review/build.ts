import { ADMIN_PERMISSION, normalizeEmail, REVIEW_HIGH_RISK_PERMISSIONS } from "../../schema/catalog.js";
import type { AuditEvent, Invitation, Member } from "../../schema/api.js";
import type { DesiredMember, DesiredState } from "../../schema/model.js";
import { compareText } from "../../schema/order.js";
import { effective, liveRoleTable, toAccess } from "../permissions.js";
import { computePlan } from "../compute/index.js";
import { liveSinceOf } from "../history.js";
import { judgeLivePolicies } from "../policy/judge.js";
import type { LiveState } from "../live-state.js";
import { lookAlikesOf } from "./look-alikes.js";
import { describeState, subjectOf, verbOf } from "../render/words.js";
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

const DAY_MS = 86_400_000;

/** ReviewInput is everything buildReview needs, already read: the live workspace, the file (or null), the last history event per email. */
export interface ReviewInput {
  live: LiveState;
  target: string;
  desired: DesiredState | null;
  /** accessFile is the file's path as the user named it (null without -f). */
  accessFile: string | null;
  /** lastChange maps a normalized email to the newest access-history event about it. */
  lastChange: ReadonlyMap<string, AuditEvent>;
  history: HistoryCoverage;
  now: Date;
  internalDomains?: readonly string[];
  staleAfterDays?: number;
  inactiveAfterDays?: number;
}

/**
 * buildReview computes the access review (docs/review.md) from what was read: pure and
 * synchronous, the same input gives the same report. People are the members (the owner
 * included) and the pending or expired invitations (the newest per email); drift is the
 * changes computePlan would make for the file; policies are the file's policies judged on the live workspace.
 */
export function buildReview(input: ReviewInput): Review {
  const { live, desired, now } = input;
  const domains = [...new Set((input.internalDomains ?? []).map((d) => d.trim().toLowerCase().replace(/^@/, "")))].filter((d) => d !== "").sort();
  const staleAfterDays = input.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS;
  const inactiveAfterDays = input.inactiveAfterDays ?? DEFAULT_INACTIVE_AFTER_DAYS;
  const roles = liveRoleTable(live.roles);
  const entries = fileEntries(desired);
  const owner = normalizeEmail(live.workspace.owner);

  const base = (email: string, role: string, permissions: string[]) => {
    const key = normalizeEmail(email);
    const effectivePermissions = effective(toAccess(role, permissions), roles);
    const entry = entries.get(key);
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
      ...(desired === null ? {} : { inFile: entry === undefined ? null : grantOf(entry.member, entry.expired) }),
      lastChange: event === undefined ? null : liveSinceOf(event),
      expires,
      daysLeft: expires === null ? null : daysUntil(expires, now),
    };
  };

  const people: ReviewPerson[] = [
    ...live.members.map((m: Member): ReviewPerson => ({
      ...base(m.email, m.role, m.permissions),
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
        ...base(i.email, i.role, i.permissions),
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
  const drift = desired === null ? null : driftOf(desired, live, input.target, now);
  const outside = domains.length === 0 ? null : people.filter((p) => p.internal === false).map((p) => p.email);
  const expiring =
    desired === null ? null : people.filter((p) => p.daysLeft !== null && p.daysLeft >= 0 && p.daysLeft <= EXPIRING_WITHIN_DAYS).map((p) => p.email);
  const admins = people.filter((p) => p.admin).map((p) => p.email);
  const review: Review = {
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
      notInFile: desired === null ? null : people.filter((p) => p.inFile === null && !p.owner).length,
      notManaged: people.filter((p) => p.managedBy === null && !p.owner).length,
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
  if (desired !== null && (desired.policies ?? []).length > 0) review.policies = judgeLivePolicies(live, desired, now);
  const lookAlikes = lookAlikesOf(people);
  if (lookAlikes.length > 0) review.lookAlikes = lookAlikes;
  return review;
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

function isInternal(email: string, domains: readonly string[]): boolean {
  const domain = email.slice(email.lastIndexOf("@") + 1);
  return domains.some((d) => domain === d || domain.endsWith(`.${d}`));
}

function fileEntries(desired: DesiredState | null): Map<string, { member: DesiredMember; expired: boolean }> {
  const entries = new Map<string, { member: DesiredMember; expired: boolean }>();
  if (desired === null) return entries;
  for (const m of desired.expiredMembers) entries.set(normalizeEmail(m.email), { member: m, expired: true });
  for (const m of desired.members) entries.set(normalizeEmail(m.email), { member: m, expired: false });
  return entries;
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

function staleInvitations(people: readonly ReviewPerson[], live: LiveState, now: Date, staleAfterDays: number): StaleInvitation[] {
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

function driftOf(desired: DesiredState, live: LiveState, target: string, now: Date): DriftItem[] {
  const plan = computePlan(desired, live, { target, now });
  return plan.changes.map((c) => ({ key: c.key, kind: c.kind, subject: subjectOf(c), text: `${verbOf(c)} ${subjectOf(c)}${describeState(c)}`, reason: c.reason }));
}
