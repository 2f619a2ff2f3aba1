import { ConfigError, SafetyError } from "../../errors.js";
import { CHANGE_KIND_TABLE, subjectOf } from "../change-kinds.js";
import { PHASES, PLAN_FORMAT_VERSION, type Change, type Plan } from "../plan.js";
import { runBounded } from "./bounded.js";
import { skipReason } from "./dependencies.js";
import { CurrentSnapshot, executeChange } from "./execute.js";
import { DEFAULT_IDEMPOTENCY_PREFIX, idempotencyKey } from "./idempotency.js";
import type {
  AppliedChange,
  ApplyClient,
  ApplyEntry,
  ApplyOptions,
  ApplyOutcome,
  ApplyResult,
  FailedChange,
  NotAttemptedChange,
  SkippedChange,
} from "./types.js";

export { assertFresh } from "./fresh.js";
export { idempotencyKey } from "./idempotency.js";
export type * from "./types.js";
export { entrySubject } from "./types.js";

/** DEFAULT_CONCURRENCY bounds the change calls in flight inside one phase. */
export const DEFAULT_CONCURRENCY = 8;

/**
 * BREAKER_THRESHOLD: after this many changes in a row fail as unreachable (a network
 * error or a 5xx, each after the client's own retries), apply stops starting changes and
 * reports the rest as not attempted, instead of retrying every remaining change against
 * a server that is gone. A change that goes through resets the count.
 */
export const BREAKER_THRESHOLD = 3;

/**
 * applyPlan makes the plan's changes, and only those, through `client`: phase by phase
 * in PHASES order (a phase starts when the previous one has settled), at most
 * `concurrency` calls in flight inside a phase, one call per change (the client
 * retries transient failures). It continues past a failed change; a change whose
 * earlier-phase dependency did not apply is skipped (rules in dependencies.ts). Every
 * change appears once in the result. Once `options.signal` aborts, once the client has
 * given up on an unreachable server (`client.gaveUp()`: only connection failures for its
 * give-up window, shared by every request in flight), or after BREAKER_THRESHOLD
 * consecutive unreachable failures, no new change starts and the rest are `notAttempted`. A plan with violations throws SafetyError and a plan of another
 * format version ConfigError, both before any call. A plan with no changes makes no call.
 */
export async function applyPlan(plan: Plan, client: ApplyClient, options: ApplyOptions = {}): Promise<ApplyResult> {
  if (plan.formatVersion !== PLAN_FORMAT_VERSION) {
    throw new ConfigError(`the plan has formatVersion ${String(plan.formatVersion)}; this antryk-access reads formatVersion ${PLAN_FORMAT_VERSION}`);
  }
  if (plan.violations.length > 0) {
    throw new SafetyError(
      `the plan is blocked by ${plan.violations.length} safety rail${plan.violations.length === 1 ? "" : "s"}; nothing was changed`,
      plan.violations,
    );
  }
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new ConfigError(`concurrency must be a positive integer (got ${concurrency})`);
  }
  const keys = new Set<string>();
  for (const change of plan.changes) {
    if (!PHASES.includes(change.phase)) throw new ConfigError(`change ${change.key} has an unknown phase "${String(change.phase)}"`);
    if (keys.has(change.key)) throw new ConfigError(`the plan lists change ${change.key} twice`);
    keys.add(change.key);
  }
  const prefix = options.idempotencyPrefix ?? DEFAULT_IDEMPOTENCY_PREFIX;
  const threshold = options.breakerThreshold ?? BREAKER_THRESHOLD;
  const snapshot = new CurrentSnapshot(client, plan.workspace);
  const order = new Map(plan.changes.map((c, i) => [c.key, i]));
  const result: ApplyResult = { applied: [], failed: [], skipped: [], notAttempted: [] };
  const notApplied: Change[] = [];
  let unreachableRun = 0;
  let done = 0;
  const settle = (outcome: ApplyOutcome, entry: ApplyEntry): void => {
    done += 1;
    options.onProgress?.({ done, total: plan.changes.length, outcome, change: entry });
  };
  const stopReason = (): NotAttemptedChange["reason"] | null =>
    options.signal?.aborted === true ? "interrupted" : unreachableRun >= threshold || client.gaveUp?.() === true ? "unreachable" : null;

  for (const phase of PHASES) {
    const inPhase = plan.changes.filter((c) => c.phase === phase);
    // Skips are decided against earlier phases only, before this phase starts.
    const earlierNotApplied = [...notApplied];
    await runBounded(inPhase, concurrency, async (change) => {
      const entry = entryOf(change);
      const stop = stopReason();
      if (stop !== null) {
        result.notAttempted.push({ ...entry, reason: stop });
        notApplied.push(change);
        settle("notAttempted", entry);
        return;
      }
      const reason = skipReason(change, earlierNotApplied);
      if (reason !== null) {
        result.skipped.push({ ...entry, reason } satisfies SkippedChange);
        notApplied.push(change);
        settle("skipped", entry);
        return;
      }
      const outcome = await executeChange(change, {
        client,
        workspace: plan.workspace,
        idempotencyKey: idempotencyKey(plan, change, prefix),
        snapshot,
      });
      if (outcome.ok) {
        unreachableRun = 0;
        result.applied.push((outcome.note ? { ...entry, note: outcome.note } : entry) satisfies AppliedChange);
        settle("applied", entry);
      } else {
        unreachableRun = isUnreachable(outcome.error.status) ? unreachableRun + 1 : 0;
        result.failed.push({ ...entry, error: outcome.error } satisfies FailedChange);
        notApplied.push(change);
        settle("failed", entry);
      }
    });
  }
  const byPlanOrder = (a: ApplyEntry, b: ApplyEntry) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0);
  result.applied.sort(byPlanOrder);
  result.failed.sort(byPlanOrder);
  result.skipped.sort(byPlanOrder);
  result.notAttempted.sort(byPlanOrder);
  return result;
}

/** isUnreachable: the change failed because the server could not be reached or failed itself (status 0 or 5xx), not because it refused. */
function isUnreachable(status: number): boolean {
  return status === 0 || status >= 500;
}

/** entryOf names a change in a result: key, kind, phase, and its email or role name. */
function entryOf(change: Change): ApplyEntry {
  const base = { key: change.key, kind: change.kind, phase: change.phase };
  return CHANGE_KIND_TABLE[change.kind].subject === "person" ? { ...base, email: subjectOf(change) } : { ...base, name: subjectOf(change) };
}
