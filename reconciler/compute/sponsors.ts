import { ADMIN_PERMISSION, normalizeEmail } from "../../schema/catalog.js";
import type { Invitation, SponsoredChoice } from "../../schema/api.js";
import type { DesiredState } from "../../schema/model.js";
import type { LiveState } from "../live-state.js";
import { assertNever, PHASES, type Change, type SponsoredInvitation } from "../plan.js";
import * as make from "./changes.js";

/**
 * decideSponsored makes every consequence of taking access:manage from a sponsor a
 * planned, visible change (docs/plan-format.md, "Sponsors"). For each removal, demotion
 * or role edit that takes access:manage from someone who sponsors open (pending or
 * expired) invitations, it decides each invitation: `transfer` to the applying caller
 * when the file wants it, it is preserved, or additive mode leaves it alone; otherwise
 * `revoke`. The decisions are attached to the change (`sponsored`), and every revoked
 * one the plan does not already revoke becomes a revokeInvitation with `cause` (so it
 * counts toward maxRemovals and is reviewed first). Returns the new change list; pure.
 */
export function decideSponsored(desired: DesiredState, live: LiveState, changes: readonly Change[], tables: make.Tables): Change[] {
  const losers = losingManage(changes, live);
  if (losers.size === 0) return [...changes];
  const wanted = new Set(desired.members.map((m) => normalizeEmail(m.email)));
  const preserve = new Set(desired.safety.preserve.map(normalizeEmail));
  const byInvitation = new Map<string, Change>();
  const keys = new Set(changes.map((c) => c.key));
  for (const c of changes) if ("invitationId" in c) byInvitation.set(c.invitationId, c);

  const decided = new Map<string, SponsoredInvitation[]>();
  const added: Change[] = [];
  for (const inv of live.invitations) {
    if (inv.status !== "pending" && inv.status !== "expired") continue;
    const causes = losers.get(normalizeEmail(inv.sponsor));
    if (causes === undefined) continue;
    const cause = causes[0]!;
    const email = normalizeEmail(inv.email);
    const own = byInvitation.get(inv.id);
    const keep = (reason: string) => decision(inv, "transfer", reason);
    let d: SponsoredInvitation;
    if (own?.kind === "revokeInvitation") d = decision(inv, "revoke", `this plan revokes it (${own.reason})`);
    else if (own !== undefined || wanted.has(email)) d = keep("access.yaml lists it");
    else if (preserve.has(email)) d = keep("in safety.preserve");
    else if (desired.mode === "additive") d = keep("additive mode leaves it alone");
    else {
      d = decision(inv, "revoke", "nothing keeps it: access.yaml does not list it");
      const key = keys.has(`revokeInvitation:${email}`) ? `revokeInvitation:${email}#${inv.id}` : `revokeInvitation:${email}`;
      keys.add(key);
      const reason = `its sponsor ${inv.sponsor} loses ${ADMIN_PERMISSION} (${cause.key}) and access.yaml does not list it`;
      added.push({ ...make.revokeInvitation(email, inv, reason, tables), key, phase: cause.phase, cause: cause.key });
    }
    for (const c of causes) decided.set(c.key, [...(decided.get(c.key) ?? []), d]);
  }
  const withDecisions = changes.map((c): Change => {
    const sponsored = decided.get(c.key);
    if (sponsored === undefined) return c;
    if (c.kind !== "updateMember" && c.kind !== "removeMember" && c.kind !== "updateRole") return c;
    return { ...c, sponsored };
  });
  return [...withDecisions, ...added];
}

/** sponsoredChoice is the `invitations` value a change sends: `transfer` when it keeps any of them (the revoked ones go by their own changes), `revoke` when it keeps none, undefined when it decides nothing. */
export function sponsoredChoice(sponsored: readonly SponsoredInvitation[] | undefined): SponsoredChoice | undefined {
  if (sponsored === undefined || sponsored.length === 0) return undefined;
  return sponsored.some((s) => s.decision === "transfer") ? "transfer" : "revoke";
}

function decision(inv: Invitation, d: SponsoredChoice, reason: string): SponsoredInvitation {
  return { email: normalizeEmail(inv.email), invitationId: inv.id, sponsor: normalizeEmail(inv.sponsor), decision: d, reason };
}

/**
 * losingManage maps each person this plan takes access:manage from to every change that
 * may do it, in plan order: a removal or demotion, and the edit of a custom role they hold
 * live or after the plan (changes of one phase run concurrently, so whichever request
 * comes first decides their invitations; the others find none left).
 */
function losingManage(changes: readonly Change[], live: LiveState): Map<string, Change[]> {
  const out = new Map<string, Change[]>();
  const add = (email: string, c: Change) => {
    const key = normalizeEmail(email);
    const list = out.get(key) ?? [];
    if (!list.includes(c)) out.set(key, [...list, c]);
  };
  for (const c of changes) {
    switch (c.kind) {
      case "removeMember":
      case "updateMember":
        if (c.lost.includes(ADMIN_PERMISSION)) add(c.email, c);
        break;
      case "updateRole": {
        const manages = (role: readonly string[], grants: readonly string[]) => role.includes(ADMIN_PERMISSION) || grants.includes(ADMIN_PERMISSION);
        for (const m of live.members) {
          if (m.role !== c.name || !manages(c.before.permissions, m.permissions) || manages(c.after.permissions, m.permissions)) continue;
          // a holder moved to another role in an earlier phase no longer holds it when the edit runs
          const earlier = changes.find(
            (u) => u.kind === "updateMember" && normalizeEmail(u.email) === normalizeEmail(m.email) && u.after.role !== c.name && PHASES.indexOf(u.phase) < PHASES.indexOf(c.phase),
          );
          if (earlier === undefined) add(m.email, c);
        }
        for (const h of c.holders ?? []) {
          if (h.state === "active" && h.before.includes(ADMIN_PERMISSION) && !h.after.includes(ADMIN_PERMISSION)) add(h.email, c);
        }
        break;
      }
      case "inviteMember":
      case "updateInvitation":
      case "resendInvitation":
      case "revokeInvitation":
      case "createRole":
      case "deleteRole":
        break;
      default:
        assertNever(c);
    }
  }
  return out;
}
