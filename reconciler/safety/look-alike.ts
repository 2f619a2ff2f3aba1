import { lookAlikeOf } from "../../schema/confusables.js";
import { normalizeEmail } from "../../schema/catalog.js";
import type { SafetyViolation } from "../plan.js";
import type { SafetyRail } from "./rail.js";

/**
 * lookAlike: the plan never invites an address that reads the same as someone the workspace
 * already has, a member (the owner included) or a pending invitee, whom the file may not
 * name: `аlice@acme.io` (Cyrillic а) beside the live `alice@acme.io` (their UTS #39 skeletons
 * are equal, schema/confusables.ts). The server refuses such an invitation too (400), so
 * there is no override; `validate` finds the same between two addresses of the file.
 */
export const lookAlike: SafetyRail = (plan, live, desired) => {
  const members = new Set(live.members.map((m) => normalizeEmail(m.email)));
  const pending = new Set(live.invitations.filter((i) => i.status === "pending").map((i) => normalizeEmail(i.email)));
  const where = new Map(desired.members.map((m) => [normalizeEmail(m.email), `${m.source.file}:${m.source.line}:${m.source.column}`]));
  const violations: SafetyViolation[] = [];
  for (const c of plan.changes) {
    if (c.kind !== "inviteMember") continue;
    const email = normalizeEmail(c.email);
    const other = lookAlikeOf(email, [...members, ...pending]);
    if (other === null) continue;
    const at = where.get(email);
    violations.push({
      rail: "lookAlike",
      message: `${at === undefined ? "the plan" : at} invites ${email}, which reads the same as ${other}, ${members.has(other) ? "a member" : "a pending invitee"} of ${live.workspace.name} (equal UTS #39 skeletons): a look-alike address is refused; keep the real address only`,
    });
  }
  return violations;
};
