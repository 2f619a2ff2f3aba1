import { normalizeEmail } from "../../schema/catalog.js";
import type { AuditEvent } from "../../schema/api.js";
import type { DesiredState } from "../../schema/model.js";
import { computePlan } from "../compute/index.js";
import { judgeLivePolicies } from "../policy/judge.js";
import type { LiveState } from "../live-state.js";
import { lookAlikesOf } from "./look-alikes.js";
import { describeState, subjectOf, verbOf } from "../render/words.js";
import { assembleReview, type FileEntry } from "./assemble.js";
import type { DriftItem, HistoryCoverage, Review } from "./model.js";

export { daysUntil, revokeCommand } from "./assemble.js";

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
 * synchronous, the same input gives the same report. People and sections are
 * assembleReview's (the part the dashboard shares); drift is the changes computePlan would
 * make for the file; policies are the file's policies judged on the live workspace.
 */
export function buildReview(input: ReviewInput): Review {
  const { live, desired, now } = input;
  const review = assembleReview({
    live,
    target: input.target,
    entries: desired === null ? null : fileEntries(desired),
    accessFile: input.accessFile,
    drift: desired === null ? null : driftOf(desired, live, input.target, now),
    lastChange: input.lastChange,
    history: input.history,
    now,
    ...(input.internalDomains !== undefined ? { internalDomains: input.internalDomains } : {}),
    ...(input.staleAfterDays !== undefined ? { staleAfterDays: input.staleAfterDays } : {}),
    ...(input.inactiveAfterDays !== undefined ? { inactiveAfterDays: input.inactiveAfterDays } : {}),
  });
  if (desired !== null && (desired.policies ?? []).length > 0) review.policies = judgeLivePolicies(live, desired, now);
  const lookAlikes = lookAlikesOf(review.people);
  if (lookAlikes.length > 0) review.lookAlikes = lookAlikes;
  return review;
}

function fileEntries(desired: DesiredState): Map<string, FileEntry> {
  const entries = new Map<string, FileEntry>();
  for (const m of desired.expiredMembers) entries.set(normalizeEmail(m.email), { member: m, expired: true });
  for (const m of desired.members) entries.set(normalizeEmail(m.email), { member: m, expired: false });
  return entries;
}

function driftOf(desired: DesiredState, live: LiveState, target: string, now: Date): DriftItem[] {
  const plan = computePlan(desired, live, { target, now });
  return plan.changes.map((c) => ({ key: c.key, kind: c.kind, subject: subjectOf(c), text: `${verbOf(c)} ${subjectOf(c)}${describeState(c)}`, reason: c.reason }));
}
