import { StalePlanError } from "../../errors.js";
import type { LiveState } from "../live-state.js";
import type { Plan } from "../plan.js";

/**
 * assertFresh throws StalePlanError when the workspace is no longer the one `plan` was
 * computed from (`plan.liveDigest !== live.digest`). Apply of a saved plan calls it on a
 * fresh fetchWorkspaceState before any change, so a stale plan changes nothing.
 */
export function assertFresh(plan: Pick<Plan, "liveDigest" | "workspace">, live: Pick<LiveState, "digest">): void {
  if (plan.liveDigest === live.digest) return;
  throw new StalePlanError(
    `the saved plan is stale: workspace ${plan.workspace} changed since it was computed; nothing was changed, run plan again`,
    plan.liveDigest,
    live.digest,
  );
}
