import type { DesiredState } from "../schema/model.js";
import { computePlan } from "./compute/index.js";
import { fetchWorkspaceState, type FetchClient } from "./fetch.js";
import type { Change, Plan } from "./plan.js";

/**
 * Verification is what apply found when it re-read the workspace after its last change:
 * `verified` (a plan of the same file has no change left), `differs` (`remaining` are the
 * changes that plan would still make, each naming whom it concerns), or `skipped`, with
 * why it was not checked: the apply removed the member whose token ran it (`selfRemoved`:
 * the token no longer works; the apply still succeeded), was `interrupted`, gave up on an
 * `unreachable` server, or could not read the workspace back (`unreadable`).
 */
export type Verification =
  | { status: "verified" }
  | { status: "differs"; remaining: Change[] }
  | { status: "skipped"; cause: "selfRemoved" | "interrupted" | "unreachable" | "unreadable"; reason: string };

/**
 * verifyApplied re-reads the workspace (one fetchWorkspaceState: the same reads as a
 * plan) and recomputes the plan of `desired` against it. "Applied" means the workspace
 * changed: this is checked against the live workspace, never against the API's answers,
 * and a concurrent writer whose change agrees with the file is not a difference.
 */
export async function verifyApplied(
  client: FetchClient,
  desired: DesiredState,
  applied: Pick<Plan, "target" | "accessFile" | "planId">,
  options: { allowSelfChange?: boolean } = {},
): Promise<Verification> {
  const live = await fetchWorkspaceState(client, desired.workspace);
  const again = computePlan(desired, live, {
    target: applied.target,
    accessFile: applied.accessFile,
    planId: applied.planId,
    allowSelfChange: options.allowSelfChange ?? false,
  });
  return again.changes.length === 0 ? { status: "verified" } : { status: "differs", remaining: again.changes };
}
