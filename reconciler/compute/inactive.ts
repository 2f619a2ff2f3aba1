import { normalizeEmail } from "../../schema/catalog.js";
import type { DesiredState } from "../../schema/model.js";
import { DAY_MS } from "../../schema/policy/model.js";
import type { LiveState } from "../live-state.js";
import type { Change, PlanWarning } from "../plan.js";

/**
 * inactiveWarnings is the plan's `inactive-member` warnings (safety.warnInactiveAfter, off by
 * default): one per active member the plan keeps (not removed; the owner, whom this tool
 * never changes, aside) whose last activity, or joining if they never used their access, is
 * older than that many days at `now`. A warning only: it never blocks. Pure.
 */
export function inactiveWarnings(desired: DesiredState, live: LiveState, changes: readonly Change[], now: Date): PlanWarning[] {
  const days = desired.safety.warnInactiveAfter;
  if (days === undefined) return [];
  const removed = new Set(changes.filter((c) => c.kind === "removeMember").map((c) => normalizeEmail(c.email)));
  const owner = normalizeEmail(live.workspace.owner);
  const cutoff = now.getTime() - days * DAY_MS;
  const out: PlanWarning[] = [];
  for (const m of live.members) {
    const email = normalizeEmail(m.email);
    if (m.role === "owner" || email === owner || removed.has(email)) continue;
    const lastActiveAt = m.lastActiveAt ?? null;
    const since = Date.parse(lastActiveAt ?? m.joinedAt);
    if (!(since < cutoff)) continue;
    const ago = Math.floor((now.getTime() - since) / DAY_MS);
    const seen = lastActiveAt === null ? `never active since joining ${m.joinedAt.slice(0, 10)}` : `last active ${lastActiveAt.slice(0, 10)}${m.lastActiveVia ? ` via ${m.lastActiveVia}` : ""}`;
    out.push({
      code: "inactive-member",
      email,
      message: `${email} (${m.role}) has been inactive for ${ago} days (${seen}; safety.warnInactiveAfter: ${days}d); this plan keeps their access`,
    });
  }
  return out;
}
