import { ApiError } from "../errors.js";
import { normalizeEmail } from "../schema/catalog.js";
import type { DesiredState } from "../schema/model.js";
import { computePlan, type PlanOptions } from "./compute/index.js";
import { fetchWorkspaceState, type FetchClient } from "./fetch.js";
import { HISTORY_PAGE_SIZE, liveSinceOf, type HistoryClient } from "./history.js";
import type { LiveState } from "./live-state.js";
import type { Change, LiveSince, Plan } from "./plan.js";
import { deviations, observe, promiseOf, type Deviation } from "./predict.js";

/**
 * Verification is what apply found when it re-read the workspace after its last change:
 * `verified` (every promise held: the workspace is the state the plan predicted, and a
 * plan of the same file has no change left), `differs` (`remaining`: the changes that
 * plan would still make; `deviations`: every broken promise, each with the newest
 * history event about its subject), or `skipped`, with why it was not checked: the apply
 * removed the member whose token ran it (`selfRemoved`: the token no longer works;
 * `unchecked` names what could have been affected, empty when nothing could), was
 * `interrupted`, gave up on an `unreachable` server, or could not read the workspace back
 * (`unreadable`).
 */
export type Verification =
  | { status: "verified" }
  | { status: "differs"; remaining: Change[]; deviations: AttributedDeviation[] }
  | { status: "skipped"; cause: "selfRemoved" | "interrupted" | "unreachable" | "unreadable"; reason: string; unchecked?: string[] };

/** AttributedDeviation is a broken promise and the newest access-history event about its subject (null: none found, or the history is unreadable). */
export interface AttributedDeviation extends Deviation {
  event: LiveSince | null;
}

/** VerifyClient is what verification reads with: the workspace, and the access history to name who broke a promise. */
export type VerifyClient = FetchClient & HistoryClient;

/**
 * verifyApplied re-reads the workspace (one fetchWorkspaceState: the same reads as a
 * plan), compares it with the state `plan` promised from `live` with the `applied`
 * changes (promiseOf), and recomputes the plan of `desired` against it. "Applied" means
 * the workspace changed: this is checked against the live workspace, never against the
 * API's answers. Any deviation, a concurrent writer's included, is named with the event
 * that made it. `options` are the plan options the plan was computed with beyond its own
 * fields (the self rail, and the Pulumi doors' manager id and take-overs).
 */
export async function verifyApplied(
  client: VerifyClient,
  desired: DesiredState,
  applied: Pick<Plan, "target" | "accessFile" | "planId" | "caller" | "changes" | "workspace">,
  before: LiveState,
  appliedKeys: ReadonlySet<string>,
  options: Pick<PlanOptions, "allowSelfChange" | "manager" | "takeOver"> = {},
): Promise<Verification> {
  const live = await fetchWorkspaceState(client, desired.workspace);
  const again = computePlan(desired, live, {
    target: applied.target,
    accessFile: applied.accessFile,
    planId: applied.planId,
    allowSelfChange: options.allowSelfChange ?? false,
    ...(options.manager !== undefined ? { manager: options.manager } : {}),
    ...(options.takeOver !== undefined ? { takeOver: options.takeOver } : {}),
  });
  const broken = deviations(promiseOf(applied, before, appliedKeys), observe(live));
  if (again.changes.length === 0 && broken.length === 0) return { status: "verified" };
  return { status: "differs", remaining: again.changes, deviations: await attribute(client, applied.workspace, broken) };
}

/** attribute finds, for each deviation, the newest history event about its subject in the newest page of the history. */
async function attribute(client: HistoryClient, workspace: string, broken: Deviation[]): Promise<AttributedDeviation[]> {
  if (broken.length === 0) return [];
  let events: Awaited<ReturnType<HistoryClient["listAudit"]>>["items"] = [];
  try {
    events = (await client.listAudit(workspace, { limit: HISTORY_PAGE_SIZE })).items;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
  }
  return broken.map((d) => {
    const event = events.find((e) =>
      d.kind === "role" ? e.action.startsWith("role.") && e.target === d.subject : d.kind === "person" && !e.action.startsWith("role.") && normalizeEmail(e.target) === d.subject,
    );
    return { ...d, event: event === undefined ? null : liveSinceOf(event) };
  });
}
