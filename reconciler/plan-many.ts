import { AccessError } from "../errors.js";
import type { WorkspaceFile } from "../schema/library/files.js";
import { runBounded } from "./apply/bounded.js";
import { computePlan } from "./compute/index.js";
import { fetchWorkspaceState, type FetchClient } from "./fetch.js";
import { attributeChanges, type HistoryClient } from "./history.js";
import type { LiveState } from "./live-state.js";
import type { Plan } from "./plan.js";
import { fileManager } from "../schema/manager.js";

/**
 * Planning several workspaces at once (a plan set): each workspace fetched with its own
 * client, planned (computePlan, pure) and attributed, at most WORKSPACE_CONCURRENCY
 * workspaces in flight. One workspace's expected failure (an AccessError: the API refused,
 * its token was wrong) is its outcome, not the set's; anything else is a bug and is thrown.
 */

/** WORKSPACE_CONCURRENCY is how many workspaces are read at once (each read is itself paged and parallel; docs/cli.md). */
export const WORKSPACE_CONCURRENCY = 8;

/** PlanTarget is one workspace to plan: its loaded file, the client that reads it, and the target label its plan records. */
export interface PlanTarget {
  file: WorkspaceFile;
  client: FetchClient & HistoryClient;
  target: string;
}

/** PlannedWorkspace is a workspace planned against its live state, or the expected error that kept it from being planned. */
export type PlannedWorkspace = { file: WorkspaceFile; plan: Plan; live: LiveState } | { file: WorkspaceFile; error: AccessError };

/**
 * planWorkspaces plans every target, in the targets' order; `planIds` recomputes saved plans
 * under their own ids (workspace → planId); `attribute: false` skips the history reads.
 */
export async function planWorkspaces(
  targets: readonly PlanTarget[],
  options: { allowSelfChange: boolean; planIds?: ReadonlyMap<string, string>; concurrency?: number; attribute?: boolean },
): Promise<PlannedWorkspace[]> {
  const out = new Map<string, PlannedWorkspace>();
  await runBounded(targets, options.concurrency ?? WORKSPACE_CONCURRENCY, async ({ file, client, target }) => {
    const { desired, accessFile } = file;
    const planId = options.planIds?.get(desired.workspace);
    try {
      const live = await fetchWorkspaceState(client, desired.workspace);
      const plan = computePlan(desired, live, { target, allowSelfChange: options.allowSelfChange, accessFile, ...(planId !== undefined ? { planId } : {}) });
      out.set(desired.workspace, { file, plan: options.attribute === false ? plan : await attributeChanges(plan, client, { manager: fileManager(desired) }), live });
    } catch (err) {
      if (!(err instanceof AccessError)) throw err;
      out.set(desired.workspace, { file, error: err });
    }
  });
  return targets.map((t) => out.get(t.file.desired.workspace)!);
}
