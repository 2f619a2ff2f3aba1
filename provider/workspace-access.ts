import type { AccessClient } from "../client/index.js";
import { ApiError, ConfigError } from "../errors.js";
import { applyPlan } from "../reconciler/apply/index.js";
import { computePlan } from "../reconciler/compute/index.js";
import { fetchWorkspaceState } from "../reconciler/fetch.js";
import type { LiveState } from "../reconciler/live-state.js";
import type { Plan, PlanSummary } from "../reconciler/plan.js";
import { loadAccessFile, validateAccessDocument } from "../schema/load.js";
import type { DesiredState } from "../schema/model.js";
import type { Diagnostic } from "../schema/diagnostics.js";
import {
  containsUnknown,
  defined,
  diagnosticReason,
  errorsOnly,
  optionalType,
  propertyPath,
  requireString,
  type CheckFailure,
} from "./check.js";
import { applyOrFail, removalDesired } from "./engine.js";
import { guard, resolveTarget, withClient, type ProviderConfig } from "./session.js";

/**
 * WorkspaceAccess operations: the whole access document as one resource, a thin shell
 * over the CLI's engine (load → fetch → computePlan → applyPlan). Its id is the
 * workspace name. These run in the dynamic-provider host, called by the serialized
 * AccessProvider("workspaceAccess") (providers.ts).
 */

/** WorkspaceAccessInputs are the resource's inputs after check; exactly one of `file` and `document`. */
export interface WorkspaceAccessInputs {
  workspace: string;
  file?: string;
  document?: Record<string, unknown>;
  apiUrl?: string;
  removeOnDelete?: boolean;
  /** allowSelfChange lifts the self rail, as the CLI's --allow-self-change: the token's own member may be demoted or removed. */
  allowSelfChange?: boolean;
}

/** planOptions are computePlan's options for these inputs (the target recorded in the plan, the self rail). */
function planOptions(client: AccessClient, inputs: WorkspaceAccessInputs): { target: string; allowSelfChange: boolean } {
  return { target: client.baseUrl, allowSelfChange: inputs.allowSelfChange === true };
}

/** DOCUMENT_NAME names a `document` input in diagnostics (it has no file). */
export const DOCUMENT_NAME = "document";

/** MAX_LISTED_CHANGES caps `driftChanges` so a large drift does not bloat the state. */
const MAX_LISTED_CHANGES = 50;

/** check validates the inputs as `antryk-access validate` validates a file; each error is a failure on its property path. */
export function check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
  return guard(async () => {
    const failures = [
      ...requireString(news, "workspace", "the name of the Antryk workspace this document manages"),
      ...optionalType(news, "file", "string"),
      ...optionalType(news, "document", "object"),
      ...optionalType(news, "apiUrl", "string"),
      ...optionalType(news, "removeOnDelete", "boolean"),
      ...optionalType(news, "allowSelfChange", "boolean"),
    ];
    const hasFile = news.file !== undefined && news.file !== null;
    const hasDocument = news.document !== undefined && news.document !== null;
    if (hasFile === hasDocument) {
      failures.push({ property: hasFile ? "document" : "file", reason: "exactly one of file (a path to access.yaml) or document (the same content as an object) is required" });
    }
    if (failures.length > 0 || containsUnknown(news)) return { inputs: news, failures };
    const loaded = await loadDesired(news as unknown as WorkspaceAccessInputs);
    return { inputs: news, failures: loaded.failures };
  });
}

/** diff: a changed workspace is a replacement; otherwise changes exactly when the plan against the live workspace is not empty (or a recorded input changed). */
export function diff(config: ProviderConfig, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ changes?: boolean; replaces?: string[] }> {
  return guard(async () => {
    if (olds.workspace !== news.workspace) return { changes: true, replaces: ["workspace"] };
    if (containsUnknown(news)) return { changes: true };
    const inputs = news as unknown as WorkspaceAccessInputs;
    const plan = await withClient(resolveTarget(config, inputs.apiUrl), async (client) => {
      const desired = await requireDesired(inputs);
      return computePlan(desired, await fetchWorkspaceState(client, inputs.workspace), planOptions(client, inputs));
    });
    const recorded = ["file", "document", "apiUrl", "removeOnDelete", "allowSelfChange"] as const;
    const inputChanged = recorded.some((k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null));
    return { changes: plan.changes.length > 0 || inputChanged };
  });
}

/** create applies the document to the workspace (all safety rails on); the id is the workspace name. */
export function create(config: ProviderConfig, props: Record<string, unknown>): Promise<{ id: string; outs: Record<string, unknown> }> {
  return guard(async () => {
    const inputs = props as unknown as WorkspaceAccessInputs;
    const outs = await applyDocument(config, inputs);
    return { id: inputs.workspace, outs };
  });
}

/** update applies the new document; the plan is recomputed against the live workspace, so drift is corrected too. */
export function update(config: ProviderConfig, news: Record<string, unknown>): Promise<{ outs: Record<string, unknown> }> {
  return guard(async () => ({ outs: await applyDocument(config, news as unknown as WorkspaceAccessInputs) }));
}

/** read refreshes the outputs from the live workspace and reports drift (what a plan would change now); a missing workspace reads as gone. */
export function read(config: ProviderConfig, id: string, props: Record<string, unknown>): Promise<{ id: string; props: Record<string, unknown> }> {
  return guard(async () => {
    const inputs = props as unknown as WorkspaceAccessInputs;
    return withClient(resolveTarget(config, inputs.apiUrl), async (client) => {
      const live = await fetchOrGone(client, inputs.workspace);
      if (live === null) return { id: "", props: {} };
      const desired = await requireDesired(inputs);
      const drift = computePlan(desired, live, planOptions(client, inputs));
      const lastApplied = props.lastApplied as PlanSummary | undefined;
      return { id, props: outputsOf(inputs, live, drift, lastApplied) };
    });
  });
}

/**
 * remove ("delete") stops managing the workspace and changes nothing, unless
 * `removeOnDelete: true`: then the members, invitations and custom roles the document
 * names are removed (everyone else is left as is), through a plan with the document's
 * safety rails (maxRemovals, minAdmins, preserve, owner, self).
 */
export function remove(config: ProviderConfig, props: Record<string, unknown>): Promise<void> {
  return guard(async () => {
    const inputs = props as unknown as WorkspaceAccessInputs;
    if (inputs.removeOnDelete !== true) return;
    await withClient(resolveTarget(config, inputs.apiUrl), async (client) => {
      const desired = await requireDesired(inputs);
      const live = await fetchOrGone(client, inputs.workspace);
      if (live === null) return;
      const plan = computePlan(removalDesired(desired, live), live, planOptions(client, inputs));
      await applyOrFail(plan, client, "removing what the access document manages");
    });
  });
}

async function applyDocument(config: ProviderConfig, inputs: WorkspaceAccessInputs): Promise<Record<string, unknown>> {
  return withClient(resolveTarget(config, inputs.apiUrl), async (client) => {
    const desired = await requireDesired(inputs);
    const plan = computePlan(desired, await fetchWorkspaceState(client, inputs.workspace), planOptions(client, inputs));
    const partial = async () => {
      const live = await fetchWorkspaceState(client, inputs.workspace);
      return outputsOf(inputs, live, computePlan(desired, live, planOptions(client, inputs)), plan.summary);
    };
    await applyOrFail(plan, client, `applying the access document to ${inputs.workspace}`, { id: inputs.workspace, properties: partial });
    return partial();
  });
}

/** outputsOf is the resource's state: the inputs (never a token), live counts, the last applied summary and the drift. */
function outputsOf(inputs: WorkspaceAccessInputs, live: LiveState, drift: Plan, lastApplied: PlanSummary | undefined): Record<string, unknown> {
  return defined({
    workspace: inputs.workspace,
    file: inputs.file,
    document: inputs.document,
    apiUrl: inputs.apiUrl,
    removeOnDelete: inputs.removeOnDelete,
    allowSelfChange: inputs.allowSelfChange,
    owner: live.workspace.owner,
    revision: live.workspace.revision,
    memberCount: live.members.length,
    pendingInvitationCount: live.invitations.filter((i) => i.status === "pending").length,
    customRoleCount: live.roles.length,
    lastApplied,
    drift: drift.summary,
    driftChanges: drift.changes.slice(0, MAX_LISTED_CHANGES).map((c) => `${c.kind} ${"email" in c ? c.email : c.name}`),
    warnings: drift.warnings.map((w) => w.message),
  });
}

/** fetchOrGone reads the live workspace, or null when the workspace itself does not exist (404). */
async function fetchOrGone(client: AccessClient, workspace: string): Promise<LiveState | null> {
  try {
    return await fetchWorkspaceState(client, workspace);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** loadDesired reads the document (file or object) and maps each error to a CheckFailure on its property. */
async function loadDesired(inputs: WorkspaceAccessInputs): Promise<{ desired: DesiredState | null; diagnostics: Diagnostic[]; failures: CheckFailure[] }> {
  let result: { desired: DesiredState | null; diagnostics: Diagnostic[] };
  const fromFile = typeof inputs.file === "string";
  if (fromFile) {
    try {
      result = await loadAccessFile(inputs.file as string);
    } catch (err) {
      if (err instanceof ConfigError) return { desired: null, diagnostics: err.diagnostics, failures: [{ property: "file", reason: err.message }] };
      throw err;
    }
  } else {
    const document = { version: 1, workspace: inputs.workspace, ...inputs.document };
    result = validateAccessDocument(document, DOCUMENT_NAME);
  }
  const errors = errorsOnly(result.diagnostics);
  const failures: CheckFailure[] = errors.map((d) => ({
    property: fromFile ? "file" : propertyPath(DOCUMENT_NAME, d.path),
    reason: diagnosticReason(d, fromFile),
  }));
  if (result.desired !== null && result.desired.workspace !== inputs.workspace) {
    failures.push({
      property: "workspace",
      reason: `the access document manages workspace "${result.desired.workspace}", not "${inputs.workspace}"`,
    });
  }
  return { desired: failures.length === 0 ? result.desired : null, diagnostics: errors, failures };
}

/** requireDesired loads the document or throws the ConfigError `validate` would report. */
async function requireDesired(inputs: WorkspaceAccessInputs): Promise<DesiredState> {
  const loaded = await loadDesired(inputs);
  if (loaded.desired !== null) return loaded.desired;
  const where = typeof inputs.file === "string" ? inputs.file : "the document input";
  const other = loaded.failures.filter((f) => f.property === "workspace").map((f) => f.reason);
  throw new ConfigError(
    other[0] ?? `${where} is invalid (${loaded.diagnostics.length} error${loaded.diagnostics.length === 1 ? "" : "s"}); nothing was changed`,
    loaded.diagnostics,
  );
}
