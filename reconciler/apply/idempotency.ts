import { createHash } from "node:crypto";
import type { Change, Plan } from "../plan.js";

/** DEFAULT_IDEMPOTENCY_PREFIX starts every Idempotency-Key applyPlan sends. */
export const DEFAULT_IDEMPOTENCY_PREFIX = "antryk-access";

/**
 * idempotencyKey derives a change's Idempotency-Key from the live state the plan was
 * computed from and the change's stable key: the same saved plan applied twice (or a
 * retry after a lost answer) sends the same key, so the server replays its first answer
 * instead of inviting twice; a plan computed from another state gets other keys.
 */
export function idempotencyKey(plan: Pick<Plan, "liveDigest" | "workspace">, change: Pick<Change, "key">, prefix = DEFAULT_IDEMPOTENCY_PREFIX): string {
  const hash = createHash("sha256").update(`${plan.workspace}\u0000${plan.liveDigest}\u0000${change.key}`).digest("hex");
  return `${prefix}-${hash.slice(0, 48)}`;
}
