import { CHANGE_KIND_TABLE, KINDS_BY_ROW, subjectOf, symbolOf, verbOf, type Symbol } from "../change-kinds.js";
import { sameAccess } from "../permissions.js";
import { expiryWords } from "../../schema/access-expiry.js";
import { assertNever, PHASES, type Access, type AccessExpiry, type Change, type LiveSince, type Phase, type Plan, type PlanSummary, type PlanWarning } from "../plan.js";

import { clientPhrase, eventText, minuteUtc } from "./audit-words.js";

export { subjectOf, symbolOf, verbOf, type Symbol };
export { clientPhrase, eventText, minuteUtc };

/**
 * The phrases every renderer shares, so text, Markdown and the CLI say the same thing
 * the same way: the closing summary line, phase titles, and one line per change.
 */

/** NO_CHANGES is the closing line of a plan without changes. */
export const NO_CHANGES = "No changes. The workspace matches access.yaml.";

/** LOCAL_NOTE heads every rendering of a plan computed against the embedded local workspace. */
export const LOCAL_NOTE = "LOCAL: this plan is against the embedded local workspace, a SQLite file on this machine, not a real Antryk workspace.";

/** PHASE_TITLES names each phase as the renderers head it. */
export const PHASE_TITLES: Record<Phase, string> = {
  roles: "Roles",
  grants: "Invitations and promotions",
  demotions: "Demotions (changes that take permissions away)",
  removals: "Removals and revocations",
  roleDeletions: "Role deletions",
};

/**
 * summaryLine is the closing line: `Plan: 3 to invite, 1 to update, 2 to remove, 1 role to create.`
 * The invite, update and remove counts are always shown (updates of members and of pending
 * invitations count together); resends, revocations and role changes only when non-zero.
 * Given the plan's warnings, a plan without changes whose preserved people differ from the
 * file says the workspace matches except for them, and names them. `file` is the access file's own name (fileOf).
 */
export function summaryLine(summary: PlanSummary, warnings: readonly PlanWarning[] = [], file = "access.yaml"): string {
  if (summary.total === 0) {
    const preserved = warnings.filter((w) => w.code === "preserved-differs").map((w) => w.email ?? "?");
    if (preserved.length === 0) return file === "access.yaml" ? NO_CHANGES : `No changes. The workspace matches ${file}.`;
    const shown = preserved.slice(0, 5).join(", ") + (preserved.length > 5 ? ` and ${preserved.length - 5} more` : "");
    return `No changes. The workspace matches ${file} except for the preserved ${preserved.length === 1 ? "entry" : "entries"} listed (safety.preserve, never changed): ${shown}.`;
  }
  const tallies = new Map<string, { n: number; always: boolean; role: boolean; verb: string }>();
  for (const kind of KINDS_BY_ROW) {
    const { tally, subject } = CHANGE_KIND_TABLE[kind];
    const key = `${subject}:${tally.verb}`;
    const t = tallies.get(key) ?? { n: 0, always: false, role: subject === "role", verb: tally.verb };
    tallies.set(key, { ...t, n: t.n + summary[kind], always: t.always || tally.always });
  }
  const parts = [...tallies.values()]
    .filter((t) => t.always || t.n > 0)
    .map((t) => (t.role ? `${t.n} role${t.n === 1 ? "" : "s"} to ${t.verb}` : `${t.n} to ${t.verb}`));
  return `Plan: ${parts.join(", ")}.`;
}

/** fileOf is the name a plan's access file goes by in the words shown: the last part of its path as the plan records it, else access.yaml. */
export function fileOf(plan: Pick<Plan, "accessFile">): string {
  return plan.accessFile?.path.split("/").pop() || "access.yaml";
}

/** blockedLine says a plan with violations will change nothing. */
export function blockedLine(plan: Plan): string {
  const n = plan.violations.length;
  return `Blocked: ${n} safety rail violation${n === 1 ? "" : "s"}; nothing will be changed.`;
}

/** accessText shows a role with its extra grants: `developer + domains:manage`. */
export function accessText(a: Access): string {
  return a.permissions.length === 0 ? a.role : `${a.role} + ${a.permissions.join(", ")}`;
}

/** accessMove is `before → after`, or just the access when only something else (the expiry) changes. */
export function accessMove(before: Access, after: Access): string {
  return sameAccess(before, after) ? accessText(after) : `${accessText(before)} → ${accessText(after)}`;
}

/**
 * expiryText is the time-bound access a change sets, after its access: `, until 2027-01-31`
 * for a new invitation, `, access until never → 2027-01-31` for an update; "" without one.
 */
export function expiryText(c: { before: Access | null; accessExpiresAt?: AccessExpiry }): string {
  const e = c.accessExpiresAt;
  if (e === undefined) return "";
  return c.before === null ? `, until ${expiryWords(e.after)}` : `, access until ${expiryWords(e.before)} → ${expiryWords(e.after)}`;
}

/** describeState is what a change moves from and to, in words, starting with its separator (` as …`, `: a → b`). */
export function describeState(c: Change): string {
  switch (c.kind) {
    case "inviteMember":
      return ` as ${accessText(c.after)}${expiryText(c)}`;
    case "resendInvitation":
      return ` as ${accessText(c.after)}, send ${c.sendCount + 1}`;
    case "updateInvitation":
    case "updateMember":
      return `: ${accessMove(c.before, c.after)}${expiryText(c)}`;
    case "revokeInvitation":
    case "removeMember":
      return ` (${accessText(c.before)})`;
    case "createRole":
      return c.after.description === "" ? "" : ` "${c.after.description}"`;
    case "updateRole":
      return c.before.description !== c.after.description ? `: description "${c.before.description}" → "${c.after.description}"` : "";
    case "deleteRole":
      return "";
    default:
      return assertNever(c);
  }
}

/**
 * needsReview tells whether a reviewer must see a change first: it is high risk, or it
 * takes access away (a demotion, any lost permission), or its kind is always reviewed
 * (`alwaysReview`: removals, revocations, role edits and deletions).
 */
export function needsReview(c: Change): boolean {
  return c.risk === "high" || c.lost.length > 0 || CHANGE_KIND_TABLE[c.kind].alwaysReview;
}

/**
 * reviewOrder splits a plan's changes the way a reviewer reads them: `review` (see
 * needsReview) high-risk first, then removals and revocations, demotions, role edits,
 * the rest, each by subject; and `gains`, the low-risk changes that only add access, in
 * apply order. Apply order (phases) is unaffected: this is presentation only.
 */
export function reviewOrder(changes: readonly Change[]): { review: Change[]; gains: Change[] } {
  const review = changes.filter(needsReview);
  review.sort(compareForReview);
  return { review, gains: changes.filter((c) => !needsReview(c)) };
}

/** compareForReview orders changes to review: high risk first, then by kind (removals first), then by subject; plan sets use it across workspaces. */
export function compareForReview(a: Change, b: Change): number {
  return (
    (a.risk === b.risk ? 0 : a.risk === "high" ? -1 : 1) ||
    CHANGE_KIND_TABLE[a.kind].reviewRank - CHANGE_KIND_TABLE[b.kind].reviewRank ||
    (subjectOf(a) < subjectOf(b) ? -1 : subjectOf(a) > subjectOf(b) ? 1 : 0)
  );
}

/** holderEffect is what a role edit changes for one holder: `+ gains x; - loses y`, or "no change" when their own grants cover it. */
export function holderEffect(before: readonly string[], after: readonly string[]): { gained: string[]; lost: string[] } {
  return { gained: after.filter((p) => !before.includes(p)), lost: before.filter((p) => !after.includes(p)) };
}

/** changesByPhase groups a plan's changes by phase in apply order, keeping plan order inside each; empty phases are left out. */
export function changesByPhase(changes: readonly Change[]): [Phase, Change[]][] {
  return PHASES.map((phase): [Phase, Change[]] => [phase, changes.filter((c) => c.phase === phase)]).filter(([, list]) => list.length > 0);
}

/**
 * sponsoredLines says what a change that takes access:manage from a sponsor does with
 * each open invitation it sponsors (`kept` or `revoked`, and why), and for a revocation
 * that is such a consequence, which change causes it. Empty for every other change.
 */
export function sponsoredLines(c: Change): string[] {
  if (c.kind === "revokeInvitation") return c.cause !== undefined ? [`consequence of ${c.cause}`] : [];
  if (c.kind !== "updateMember" && c.kind !== "removeMember" && c.kind !== "updateRole") return [];
  return (c.sponsored ?? []).map((s) =>
    s.decision === "transfer"
      ? `invitation of ${s.email} (sponsored by ${s.sponsor}): transferred to the caller, ${s.reason}`
      : `invitation of ${s.email} (sponsored by ${s.sponsor}): revoked, ${s.reason}`,
  );
}

/**
 * permissionEffects is a change's effect on effective permissions, one `+`/`-` line each:
 * what a person gains and loses, what holders of an updated role gain and lose, and what
 * a created or deleted role grants.
 */
export function permissionEffects(c: Change): string[] {
  const list = (ps: readonly string[]) => ps.join(", ");
  switch (c.kind) {
    case "createRole":
      return c.after.permissions.length > 0 ? [`+ grants ${list(c.after.permissions)}`] : [];
    case "deleteRole":
      return c.before.permissions.length > 0 ? [`- granted ${list(c.before.permissions)}`] : [];
    case "updateRole":
      return [...(c.gained.length > 0 ? [`+ holders gain ${list(c.gained)}`] : []), ...(c.lost.length > 0 ? [`- holders lose ${list(c.lost)}`] : [])];
    case "inviteMember":
    case "resendInvitation":
    case "updateInvitation":
    case "updateMember":
    case "removeMember":
    case "revokeInvitation":
      return [...(c.gained.length > 0 ? [`+ gains ${list(c.gained)}`] : []), ...(c.lost.length > 0 ? [`- loses ${list(c.lost)}`] : [])];
    default:
      return assertNever(c);
  }
}

/**
 * liveSinceText is the history behind a change in words, or null when the history was not
 * read: `changed by alice@acme.io in the dashboard, 2026-11-29 10:02 UTC`, or
 * `not found in the access history read` when the pages read did not explain it.
 */
export function liveSinceText(c: Change): string | null {
  if (c.liveSince === undefined) return null;
  if (c.liveSince === null) return unexplainedText(c);
  return eventText(c.liveSince);
}

/**
 * unexplainedText is what a change whose live value the history read did not explain
 * says: for an invitation of someone new that is the usual case (there was never a live
 * value), for anything else it is a gap worth noticing.
 */
export function unexplainedText(c: Change): string {
  return c.kind === "inviteMember" ? "no earlier access in the history read" : "not found in the access history read";
}
