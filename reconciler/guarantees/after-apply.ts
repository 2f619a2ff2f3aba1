import { ApiError } from "../../errors.js";
import { normalizeEmail } from "../../schema/catalog.js";
import type { DesiredState } from "../../schema/model.js";
import type { ApplyResult } from "../apply/index.js";
import type { PlanOptions } from "../compute/index.js";
import type { LiveState } from "../live-state.js";
import type { Plan } from "../plan.js";
import { verifyApplied, type Verification, type VerifyClient } from "../verify.js";

/**
 * Verification after apply: whether to read the workspace back at all (pure,
 * skippedVerification), and the shell that does (verifyAfterApply) — the one check the
 * CLI's apply and the Pulumi doors both end with.
 */

/** AppliedPlan is a plan that was applied, with what it was computed from: verification recomputes from the same. */
export interface AppliedPlan {
  desired: DesiredState;
  plan: Plan;
  live: LiveState;
}

/**
 * skippedVerification is the verdict when the workspace must not or cannot be read back,
 * else null: the apply was `interrupted`, gave up on an unreachable `target`, or removed
 * the member whose token ran it (that token no longer works; `unchecked` names the
 * invitations it sponsored). Pure.
 */
export function skippedVerification(plan: Pick<Plan, "caller" | "changes">, result: Pick<ApplyResult, "applied" | "notAttempted">, context: { interrupted: boolean; target: string }): Verification | null {
  if (context.interrupted) return { status: "skipped", cause: "interrupted", reason: "apply was interrupted" };
  if (result.notAttempted.some((n) => n.reason === "unreachable")) {
    return { status: "skipped", cause: "unreachable", reason: `${context.target} stopped answering` };
  }
  const caller = normalizeEmail(plan.caller);
  const selfRemoval = plan.changes.find((c) => c.kind === "removeMember" && normalizeEmail(c.email) === caller);
  if (selfRemoval === undefined || !result.applied.some((a) => a.key === selfRemoval.key)) return null;
  // What the removal of the caller could affect beyond itself: the invitations it sponsored (the self rail blocks that plan).
  const unchecked = selfRemoval.kind === "removeMember" ? (selfRemoval.sponsored ?? []).map((s) => `the invitation of ${s.email}`) : [];
  const why = unchecked.length === 0 ? "; nothing else it promised depends on that token (it sponsored no invitation)" : `; could not check ${unchecked.join(", ")}`;
  return {
    status: "skipped",
    cause: "selfRemoved",
    reason: `this apply removed ${plan.caller}, whose token ran it: that token no longer works, so the workspace was not read back${why}`,
    unchecked,
  };
}

/** unreadableVerification is the verdict when the workspace could not be read back after apply (an API error). Pure. */
export function unreadableVerification(err: ApiError): Verification {
  return { status: "skipped", cause: "unreadable", reason: `the workspace could not be read back (${err.message})` };
}

/**
 * verifyAfterApply ends an apply: unless skippedVerification says not to, it re-reads
 * the workspace and compares it with what the plan promised and with a plan of the same
 * desired state recomputed now (verifyApplied: same target, access file, planId and
 * `options`' plan options). An API error reading back is `unreadable`; any other error is thrown.
 */
export async function verifyAfterApply(
  client: VerifyClient,
  applied: AppliedPlan,
  result: ApplyResult,
  options: { interrupted: boolean; target: string } & Pick<PlanOptions, "allowSelfChange" | "manager" | "takeOver">,
): Promise<Verification> {
  const { desired, plan, live } = applied;
  const skipped = skippedVerification(plan, result, options);
  if (skipped !== null) return skipped;
  try {
    const planOptions = {
      allowSelfChange: options.allowSelfChange ?? false,
      ...(options.manager !== undefined ? { manager: options.manager } : {}),
      ...(options.takeOver !== undefined ? { takeOver: options.takeOver } : {}),
    };
    return await verifyApplied(client, desired, plan, live, new Set(result.applied.map((a) => a.key)), planOptions);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return unreadableVerification(err);
  }
}
