import { createHash } from "node:crypto";
import type { Change, Plan } from "../plan.js";

/** DEFAULT_IDEMPOTENCY_PREFIX starts every Idempotency-Key applyPlan sends. */
export const DEFAULT_IDEMPOTENCY_PREFIX = "antryk-access";

/**
 * idempotencyKey derives a change's Idempotency-Key from the plan's random `planId` and
 * the change's key: a retry after a lost answer, or a second apply of the same saved
 * plan, sends the same key, so the server replays its first answer instead of inviting
 * twice; any other plan gets other keys. Never derive it from workspace state: states
 * recur (a person leaves and comes back), and a recurring key would replay an old answer
 * and make the new change a silent no-op.
 */
export function idempotencyKey(plan: Pick<Plan, "planId" | "workspace">, change: Pick<Change, "key">, prefix = DEFAULT_IDEMPOTENCY_PREFIX): string {
  const hash = createHash("sha256").update(`${plan.workspace}\u0000${plan.planId}\u0000${change.key}`).digest("hex");
  return `${prefix}-${hash.slice(0, 48)}`;
}
