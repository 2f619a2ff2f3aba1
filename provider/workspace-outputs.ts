import { subjectOf } from "../reconciler/change-kinds.js";
import type { LiveState } from "../reconciler/live-state.js";
import type { Plan, PlanSummary } from "../reconciler/plan.js";
import type { DesiredState } from "../schema/model.js";
import { defined } from "./check.js";
import { capList, managedOf, secretIf, type ManagedRecord } from "./state.js";
import type { WorkspaceAccessInputs } from "./workspace-document.js";

/**
 * outputsOf is a WorkspaceAccess's state: the inputs (never a token, never the document
 * itself: its digest stands for it), live counts, what the last apply did, the drift
 * (lists capped at 50, with their full counts), and, with `removeOnDelete`, the record
 * of what was applied, which delete removes. Outputs derived from a secret document are secret.
 * With no plan (`drift` null), the drift outputs are left out and `driftKnown` is false.
 */
export function outputsOf(
  inputs: WorkspaceAccessInputs,
  live: LiveState,
  drift: Plan | null,
  kept: { lastApplied: unknown; desired?: DesiredState; managed?: ManagedRecord | undefined },
): Record<string, unknown> {
  const secret = inputs.documentSecret === true;
  const record: ManagedRecord | undefined = inputs.removeOnDelete !== true ? undefined : kept.desired !== undefined ? managedOf(kept.desired) : kept.managed;
  // Without a plan (a refresh that cannot read the document) the drift is unknown: a kept value would look authoritative.
  const driftFields =
    drift === null
      ? { driftKnown: false }
      : {
          driftKnown: true,
          drift: drift.summary as PlanSummary,
          driftChanges: secretIf(secret, capList(drift.changes.map((c) => `${c.kind} ${subjectOf(c)}`))),
          driftChangeCount: drift.changes.length,
          warnings: secretIf(secret, capList(drift.warnings.map((w) => w.message))),
          warningCount: drift.warnings.length,
        };
  return defined({
    workspace: inputs.workspace,
    file: inputs.file,
    apiUrl: inputs.apiUrl,
    tokenConfig: inputs.tokenConfig,
    removeOnDelete: inputs.removeOnDelete,
    adoptExisting: inputs.adoptExisting,
    allowSelfChange: inputs.allowSelfChange,
    documentSecret: inputs.documentSecret,
    contentDigest: inputs.contentDigest,
    manager: (inputs as { manager?: unknown }).manager,
    owner: live.workspace.owner,
    revision: live.workspace.revision,
    memberCount: live.members.length,
    pendingInvitationCount: live.invitations.filter((i) => i.status === "pending").length,
    customRoleCount: live.roles.length,
    lastApplied: kept.lastApplied,
    ...driftFields,
    managed: record === undefined ? undefined : secretIf(secret, record),
  });
}
