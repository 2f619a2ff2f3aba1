import type { AccessClient } from "../client/index.js";
import { SafetyError } from "../errors.js";
import { applyPlan, entrySubject, type ApplyResult } from "../reconciler/apply/index.js";
import type { PlanOptions } from "../reconciler/compute/index.js";
import { verifyAfterApply, type AppliedPlan } from "../reconciler/guarantees/after-apply.js";
import { deviationLine, differenceLine } from "../reconciler/render/verification.js";
import type { Verification } from "../reconciler/verify.js";
import type { LiveState } from "../reconciler/live-state.js";
import { summarize, type Plan, type PlanSummary } from "../reconciler/plan.js";
import { normalizeEmail } from "../schema/catalog.js";
import type { DesiredMember, DesiredRole, DesiredState, SourceRef } from "../schema/model.js";
import { ProviderError } from "../errors.js";

/**
 * The provider's use of the engine beyond load/fetch/plan: applying a plan with every
 * rail and reporting a partial apply, verifying what it promised (the same
 * verifyAfterApply as the CLI's apply), and the desired state that removes exactly what a
 * document names (WorkspaceAccess with `removeOnDelete`).
 */

/** Partial describes the resource to record when an apply made some changes and then failed (`properties` gets what was applied). */
export interface Partial {
  id: string;
  properties: (result: ApplyResult) => Promise<Record<string, unknown>>;
}

/** appliedSummary counts what an apply actually did, by kind (the `lastApplied` output): failed and skipped changes are not counted. */
export function appliedSummary(plan: Plan, result: ApplyResult): PlanSummary {
  const applied = new Set(result.applied.map((a) => a.key));
  return summarize(plan.changes.filter((c) => applied.has(c.key)));
}

/** failureLine says why one change failed, with the API status once (the client's message already carries it). */
function failureLine(f: ApplyResult["failed"][number]): string {
  const status = `${f.error.status} ${f.error.code}`;
  const message = f.error.message.includes(status) ? f.error.message : `${f.error.message} (${status})`;
  return `${f.kind} ${entrySubject(f)} failed: ${message}`;
}

/**
 * applyOrFail applies a plan or throws: a plan with violations is a SafetyError before
 * any call (nothing changed); failed or skipped changes are one ProviderError listing
 * each, carrying `id`/`properties` when something was applied and `partial` is given, so
 * the engine keeps the resource and the next `pulumi up` converges it.
 */
export async function applyOrFail(plan: Plan, client: AccessClient, what: string, partial?: Partial): Promise<ApplyResult> {
  if (plan.violations.length > 0) {
    const n = plan.violations.length;
    throw new SafetyError(`${what} is blocked by ${n} safety rail${n === 1 ? "" : "s"}; nothing was changed`, plan.violations);
  }
  const result = await applyPlan(plan, client);
  if (result.failed.length === 0 && result.skipped.length === 0) return result;
  const reasons = [
    ...result.failed.map(failureLine),
    ...result.skipped.map((s) => `${s.kind} ${entrySubject(s)} skipped: ${s.reason}`),
  ];
  const err = new ProviderError(
    `${what}: ${result.applied.length} applied, ${result.failed.length} failed, ${result.skipped.length} skipped\n${reasons.map((r) => `  ${r}`).join("\n")}`,
  );
  if (partial !== undefined && result.applied.length > 0) {
    err.id = partial.id;
    err.properties = await partial.properties(result);
    err.reasons = reasons;
  }
  throw err;
}

/**
 * verifyOrFail reads the workspace back after an apply (verifyAfterApply: every promise
 * of the plan, what it leaves alone included, and no change left for the same desired
 * state) and throws a ProviderError naming each broken promise and remaining change, or
 * why the workspace could not be read back; carrying `id`/`properties` when `partial` is
 * given, since the changes were made. An apply that removed its own caller is not read back.
 */
export async function verifyOrFail(
  client: AccessClient,
  applied: AppliedPlan,
  result: ApplyResult,
  options: { target: string } & Pick<PlanOptions, "allowSelfChange" | "manager" | "takeOver">,
  what: string,
  partial?: Partial,
): Promise<Verification> {
  const verification = await verifyAfterApply(client, applied, result, { ...options, interrupted: false });
  const reasons = verificationProblems(verification);
  if (reasons.length === 0) return verification;
  const err = new ProviderError(`${what}: applied, but not verified\n${reasons.join("\n")}`);
  if (partial !== undefined) {
    err.id = partial.id;
    err.properties = await partial.properties(result);
    err.reasons = reasons.map((r) => r.trim());
  }
  throw err;
}

/** verificationProblems lists why a verification failed, one indented line each; empty when it held or the apply removed its own caller (and nothing depended on that token). */
export function verificationProblems(verification: Verification): string[] {
  switch (verification.status) {
    case "verified":
      return [];
    case "differs":
      return [
        ...verification.deviations.map((d) => `${deviationLine(d)} — a promise of the plan that did not hold`),
        ...verification.remaining.map((c) => `${differenceLine(c)} — still to do`),
      ];
    case "skipped":
      return verification.cause === "selfRemoved" && (verification.unchecked ?? []).length === 0 ? [] : [`  not verified: ${verification.reason}`];
  }
}

const LIVE_SOURCE: SourceRef = { file: "<live workspace>", line: 1, column: 1, path: [] };

/**
 * removalDesired is the desired state that takes away exactly what `desired` names:
 * every person it names (members, pending invitations, expired entries) and every custom
 * role it defines, while everyone and everything else is kept as it is live. It keeps
 * the document's maxRemovals, minAdmins and preserve rails; requiredAdmins is dropped
 * (the document that required them is being deleted).
 */
export function removalDesired(desired: DesiredState, live: LiveState): DesiredState {
  const named = new Set([...desired.members, ...desired.expiredMembers].map((m) => normalizeEmail(m.email)));
  const owner = normalizeEmail(live.workspace.owner);
  const keep = (email: string) => !named.has(normalizeEmail(email)) && normalizeEmail(email) !== owner;
  const members: DesiredMember[] = [
    ...live.members.filter((m) => m.role !== "owner" && keep(m.email)).map((m) => entry(m.email, m.role, m.permissions)),
    ...live.invitations
      .filter((i) => i.status === "pending" && keep(i.email) && !live.members.some((m) => normalizeEmail(m.email) === normalizeEmail(i.email)))
      .map((i) => entry(i.email, i.role, i.permissions)),
  ];
  const defined = new Set(desired.roles.map((r) => r.name));
  const roles: DesiredRole[] = live.roles
    .filter((r) => !r.builtIn && !defined.has(r.name))
    .map((r) => ({ name: r.name, description: r.description, permissions: [...r.permissions], source: LIVE_SOURCE }));
  return {
    ...desired,
    mode: "authoritative",
    owner: undefined,
    safety: { ...desired.safety, requiredAdmins: [] },
    roles,
    members,
    expiredMembers: [],
  };
}

function entry(email: string, role: string, permissions: readonly string[]): DesiredMember {
  return { email: normalizeEmail(email), role, permissions: [...permissions], source: LIVE_SOURCE };
}
