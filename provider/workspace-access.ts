import type { AccessClient } from "../client/index.js";
import { ApiError, ConfigError } from "../errors.js";
import { normalizeEmail } from "../schema/catalog.js";
import { computePlan } from "../reconciler/compute/index.js";
import { fetchWorkspaceState } from "../reconciler/fetch.js";
import type { ApplyResult } from "../reconciler/apply/index.js";
import type { LiveState } from "../reconciler/live-state.js";
import type { Plan } from "../reconciler/plan.js";
import type { DesiredState } from "../schema/model.js";
import { containsUnknown, defined, optionalType, requireString, type CheckFailure } from "./check.js";
import { appliedSummary, applyOrFail, removalDesired, verifyOrFail } from "./engine.js";
import { managerInput, ownEarlierIds } from "./markers.js";
import { guard } from "./errors.js";
import { HIDDEN, logLines, planReport } from "./report.js";
import { checkTokenConfig, resolveTarget, withClient, type ProviderConfig } from "./session.js";
import { desiredOfManaged, reveal, type ManagedRecord } from "./state.js";
import { documentProperty, loadDesired, policyFailures, requireDesired, type WorkspaceAccessInputs } from "./workspace-document.js";
import { outputsOf } from "./workspace-outputs.js";

export type { WorkspaceAccessInputs } from "./workspace-document.js";

/**
 * WorkspaceAccess operations: the whole access document as one resource, a thin shell
 * over the CLI's engine (load → fetch → computePlan → applyPlan → verifyAfterApply), always planned from a
 * fresh fetch with the resource's own credential, so every rail runs on the identity of
 * the token that applies. Its id is the workspace name. These run in the
 * dynamic-provider host, called by the serialized AccessProvider("workspaceAccess").
 */

/** planOptions are computePlan's options for these inputs (the target recorded in the plan, the self rail, the resource's manager id and its own earlier ids, `recorded` in its state). */
function planOptions(client: AccessClient, inputs: WorkspaceAccessInputs, recorded?: unknown): { target: string; allowSelfChange: boolean; manager?: string; takeOver?: string[] } {
  const manager = managerInput((inputs as { manager?: unknown }).manager);
  const earlier = ownEarlierIds(manager, recorded);
  return { target: client.baseUrl, allowSelfChange: inputs.allowSelfChange === true, ...(manager !== undefined ? { manager } : {}), ...(earlier.length > 0 ? { takeOver: earlier } : {}) };
}

/** writerOf is the client that makes this resource's writes: marked with its manager id when it has one (provider/manager.ts). */
function writerOf(client: AccessClient, inputs: WorkspaceAccessInputs): AccessClient {
  const manager = managerInput((inputs as { manager?: unknown }).manager);
  return manager === undefined ? client : client.withManager(manager);
}

/** label names the resource in diagnostic lines. */
const label = (workspace: string) => `antryk-access WorkspaceAccess ${workspace}`;

/**
 * check validates the inputs as `antryk-access validate` validates a file (each error a
 * failure on its property path) and adds `contentDigest`, the digest of the resolved
 * document, so an edited file shows as a changed input. For a new resource (no old
 * inputs) with known inputs and a credential, it also plans against the live workspace:
 * the plan is reported to the diagnostic log and each rail violation is a failure, so a
 * blocked first adoption fails at preview.
 */
export function check(olds: Record<string, unknown>, news: Record<string, unknown>, config?: ProviderConfig): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
  return guard(async () => {
    const failures = [
      ...requireString(news, "workspace", "the name of the Antryk workspace this document manages"),
      ...optionalType(news, "file", "string"),
      ...optionalType(news, "document", "object"),
      ...optionalType(news, "apiUrl", "string"),
      ...optionalType(news, "tokenConfig", "string"),
      ...optionalType(news, "removeOnDelete", "boolean"),
      ...optionalType(news, "adoptExisting", "boolean"),
      ...optionalType(news, "allowSelfChange", "boolean"),
    ];
    const tokenProblem = checkTokenConfig(news.tokenConfig);
    if (tokenProblem !== null) failures.push({ property: "tokenConfig", reason: tokenProblem });
    const hasFile = news.file !== undefined && news.file !== null;
    const hasDocument = news.document !== undefined && news.document !== null;
    if (hasFile === hasDocument) {
      failures.push({ property: hasFile ? "document" : "file", reason: "exactly one of file (a path to access.yaml) or document (the same content as an object) is required" });
    }
    if (failures.length > 0 || containsUnknown(news)) return { inputs: news, failures };
    const inputs = news as unknown as WorkspaceAccessInputs;
    const loaded = await loadDesired(inputs);
    const checked = defined({ ...news, contentDigest: loaded.contentDigest });
    if (loaded.desired === null || config === undefined || olds.workspace !== undefined) {
      // Without a plan against the workspace, the document's own policy errors are judged offline, as validate does.
      return { inputs: checked, failures: loaded.desired === null ? loaded.failures : policyFailures(inputs, loaded.desired) };
    }
    const desired = loaded.desired;
    const { plan, adoption } = await withClient(resolveTarget(config, inputs), async (client) => {
      const live = await fetchWorkspaceState(client, inputs.workspace);
      return { plan: computePlan(desired, live, planOptions(client, inputs)), adoption: adoptionProblem(inputs, desired, live) };
    });
    const secret = inputs.documentSecret === true;
    logLines(planReport(label(inputs.workspace), plan, secret));
    const property = documentProperty(inputs);
    const railFailures = plan.violations.map((v) => ({ property, reason: `safety rail ${v.rail}: ${secret ? `(${HIDDEN})` : v.message}` }));
    return { inputs: checked, failures: adoption === null ? railFailures : [...railFailures, { property: "adoptExisting", reason: adoption }] };
  });
}

/**
 * diff: a changed workspace is a replacement; otherwise changes exactly when the plan
 * against the live workspace is not empty or a recorded input changed. The plan is
 * reported to the diagnostic log, so a preview shows what an update would do.
 */
export function diff(config: ProviderConfig, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ changes?: boolean; replaces?: string[] }> {
  return guard(async () => {
    if (olds.workspace !== news.workspace) return { changes: true, replaces: ["workspace"] };
    if (containsUnknown(news)) return { changes: true };
    const inputs = news as unknown as WorkspaceAccessInputs;
    const plan = await withClient(resolveTarget(config, inputs), async (client) => {
      const desired = await requireDesired(inputs);
      return computePlan(desired, await fetchWorkspaceState(client, inputs.workspace), planOptions(client, inputs, olds.manager));
    });
    logLines(planReport(label(inputs.workspace), plan, inputs.documentSecret === true));
    return { changes: plan.changes.length > 0 || recordedInputChanged(olds, news) };
  });
}

/** recordedInputChanged compares the inputs kept in outputs; the document by its digest (state written before issue 18 kept the document itself). */
function recordedInputChanged(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  const same = (k: string) => JSON.stringify(reveal(olds[k]) ?? null) === JSON.stringify(reveal(news[k]) ?? null);
  const keys = ["file", "apiUrl", "tokenConfig", "removeOnDelete", "allowSelfChange", "documentSecret"];
  const content = olds.contentDigest !== undefined ? "contentDigest" : "document";
  return ![...keys, content].every(same);
}

/** create applies the document to the workspace (all safety rails on); the id is the workspace name. */
export function create(config: ProviderConfig, props: Record<string, unknown>): Promise<{ id: string; outs: Record<string, unknown> }> {
  return guard(async () => {
    const inputs = props as unknown as WorkspaceAccessInputs;
    return { id: inputs.workspace, outs: await applyDocument(config, inputs, true) };
  });
}

/** update applies the new document; the plan is recomputed against the live workspace, so drift is corrected too. What the resource marked under its earlier manager id (`olds.manager`) is still its own. */
export function update(config: ProviderConfig, news: Record<string, unknown>, olds: Record<string, unknown> = {}): Promise<{ outs: Record<string, unknown> }> {
  return guard(async () => ({ outs: await applyDocument(config, news as unknown as WorkspaceAccessInputs, false, olds.manager) }));
}

/**
 * adoptionProblem: a new WorkspaceAccess with `removeOnDelete` takes responsibility for
 * removing everyone its document names, so naming people or custom roles that already
 * exist is adoption, which is opt-in (`adoptExisting: true`). Without it, the message names
 * them and their access (this is also what stops a rename without `aliases` from
 * removing everyone when the old name is deleted). Null when there is nothing to adopt.
 */
function adoptionProblem(inputs: WorkspaceAccessInputs, desired: DesiredState, live: LiveState): string | null {
  if (inputs.removeOnDelete !== true || inputs.adoptExisting === true) return null;
  const named = new Set([...desired.members, ...desired.expiredMembers].map((m) => normalizeEmail(m.email)));
  const people = [
    ...live.members.filter((m) => named.has(normalizeEmail(m.email))).map((m) => `${normalizeEmail(m.email)} (active, ${m.role})`),
    ...live.invitations
      .filter((i) => (i.status === "pending" || i.status === "expired") && named.has(normalizeEmail(i.email)) && !live.members.some((m) => normalizeEmail(m.email) === normalizeEmail(i.email)))
      .map((i) => `${normalizeEmail(i.email)} (${i.status} invitation, ${i.role})`),
  ];
  const defined = new Set(desired.roles.map((r) => r.name));
  const roles = live.roles.filter((r) => !r.builtIn && defined.has(r.name)).map((r) => `custom role ${r.name}`);
  const existing = [...new Set([...people, ...roles])];
  if (existing.length === 0) return null;
  const shown = existing.slice(0, 10).join(", ") + (existing.length > 10 ? ` and ${existing.length - 10} more` : "");
  return (
    `with removeOnDelete, this resource would remove on delete what its document names, and ${existing.length} of them already exist in ${inputs.workspace}: ${shown}; ` +
    "set adoptExisting: true to take them over, or, if the resource was renamed, give it `aliases` with its old name; nothing was changed"
  );
}

/**
 * read refreshes the live counts and, when the document can be read (a `file` that is
 * still there, or a document kept by an older state), the drift; a missing workspace
 * reads as gone. `lastApplied` and the applied record are kept.
 */
export function read(config: ProviderConfig, id: string, props: Record<string, unknown>): Promise<{ id: string; props: Record<string, unknown> }> {
  return guard(async () => {
    const inputs = props as unknown as WorkspaceAccessInputs;
    return withClient(resolveTarget(config, inputs), async (client) => {
      const live = await fetchOrGone(client, inputs.workspace);
      if (live === null) return { id: "", props: {} };
      // Outputs carry no `document` (the host hands read only outputs): with no file either, the drift cannot be known (driftKnown: false).
      const source = inputs.file !== undefined || inputs.document !== undefined;
      const loaded = source ? await loadDesired(inputs).catch(() => null) : null;
      const drift = loaded?.desired ? computePlan(loaded.desired, live, planOptions(client, inputs)) : null;
      const record = reveal(props.managed) as ManagedRecord | undefined;
      // State written before issue 18 kept no digest (and a document in outputs): from now on the digest of the document or file stands for it.
      const upgraded = inputs.contentDigest === undefined && loaded?.contentDigest !== undefined ? { ...inputs, contentDigest: loaded.contentDigest } : inputs;
      return { id, props: outputsOf(upgraded, live, drift, { lastApplied: props.lastApplied, managed: record }) };
    });
  });
}

/**
 * remove ("delete") stops managing the workspace and changes nothing, unless
 * `removeOnDelete: true`: then the members, invitations and custom roles recorded as
 * applied are removed (everyone else is left as is), through a plan with the recorded
 * rails (maxRemovals, minAdmins, preserve, owner, self). The file is not read: state
 * written by an older version without a record falls back to its document or file.
 */
export function remove(config: ProviderConfig, props: Record<string, unknown>): Promise<void> {
  return guard(async () => {
    const inputs = props as unknown as WorkspaceAccessInputs;
    if (reveal(inputs.removeOnDelete) !== true) return;
    await withClient(resolveTarget(config, inputs), async (client) => {
      const desired = await appliedDesired(inputs, reveal(props.managed) as ManagedRecord | undefined);
      const live = await fetchOrGone(client, inputs.workspace);
      if (live === null) return;
      const removal = removalDesired(desired, live);
      const what = "removing what the access document applied";
      const plan = computePlan(removal, live, planOptions(client, inputs));
      const result = await applyOrFail(plan, writerOf(client, inputs), what);
      if (plan.changes.length > 0) await verifyOrFail(client, { desired: removal, plan, live }, result, planOptions(client, inputs), what);
    });
  });
}

/** appliedDesired is what delete takes away: the applied record, else (older state) the document or the file. */
async function appliedDesired(inputs: WorkspaceAccessInputs, record: ManagedRecord | undefined): Promise<DesiredState> {
  if (record !== undefined) return desiredOfManaged(record, inputs.workspace);
  return requireDesired(inputs);
}

async function applyDocument(config: ProviderConfig, inputs: WorkspaceAccessInputs, creating: boolean, recorded?: unknown): Promise<Record<string, unknown>> {
  return withClient(resolveTarget(config, inputs), async (client) => {
    const desired = await requireDesired(inputs);
    const before = await fetchWorkspaceState(client, inputs.workspace);
    const adoption = creating ? adoptionProblem(inputs, desired, before) : null;
    if (adoption !== null) throw new ConfigError(adoption);
    const plan = computePlan(desired, before, planOptions(client, inputs, recorded));
    const after = async (lastApplied: Plan["summary"]) => {
      const live = await fetchWorkspaceState(client, inputs.workspace);
      return outputsOf(inputs, live, computePlan(desired, live, planOptions(client, inputs, recorded)), { lastApplied, desired });
    };
    const what = `applying the access document to ${inputs.workspace}`;
    const partial = { id: inputs.workspace, properties: (applied: ApplyResult) => after(appliedSummary(plan, applied)) };
    const result = await applyOrFail(plan, writerOf(client, inputs), what, partial);
    if (plan.changes.length > 0) await verifyOrFail(client, { desired, plan, live: before }, result, planOptions(client, inputs, recorded), what, partial);
    return after(appliedSummary(plan, result));
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
