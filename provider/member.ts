import { ConfigError } from "../errors.js";
import { computePlan } from "../reconciler/compute/index.js";
import { fetchWorkspaceState } from "../reconciler/fetch.js";
import type { LiveState } from "../reconciler/live-state.js";
import type { Invitation, Member } from "../schema/api.js";
import { CUSTOM_ROLE_NAME_PATTERN, isBuiltInRole, normalizeEmail } from "../schema/catalog.js";
import { compareText, sortPermissions } from "../schema/order.js";
import { validateAccessDocument } from "../schema/load.js";
import type { Diagnostic } from "../schema/diagnostics.js";
import type { DesiredState } from "../schema/model.js";
import { accessExpiresAtOf, expiresOf, sameExpiry } from "../schema/access-expiry.js";
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
import { applyOrFail } from "./engine.js";
import { guard } from "./errors.js";
import { checkManagerInput, deleteVerdict, managerInput, markerOf, ownEarlierIds, takeMarker } from "./markers.js";
import { logLines } from "./report.js";
import { checkTokenConfig, resolveTarget, withClient, type ProviderConfig } from "./session.js";

/**
 * Member operations: one person in a workspace. Create invites; a person who is already a
 * member or invited is adopted (and brought to the inputs) only with `adoptExisting: true`,
 * and only by one Member of a deployment; the
 * changes are computed by the engine's computePlan in additive mode over a one-person
 * document, so every reconcile rule (in-place role change, pending counted as done,
 * expired resent, revoked re-invited) and every rail (owner, self) applies. The id is
 * `<workspace>/<email>`: stable while the invitation turns into a membership.
 */

/** MemberInputs are the resource's inputs after check (email trimmed and lower-cased, permissions in catalog order). */
export interface MemberInputs {
  workspace: string;
  email: string;
  role: string;
  permissions: string[];
  /** expires is time-bound access as in access.yaml (`YYYY-MM-DD`): sent as accessExpiresAt, the end of that day in UTC; absent: none. */
  expires?: string;
  apiUrl?: string;
  /** tokenConfig names the stack config key of this resource's token (`antryk:<name>Token`); default `antryk:token`. */
  tokenConfig?: string;
  /** adoptExisting lets create take over a person who is already a member or invited (like `pulumi import`); default false. */
  adoptExisting?: boolean;
  /** manager is this resource's manager id (provider/manager.ts); absent in programs and states from before markers. */
  manager?: string;
}

/** MemberStatus is where the person stands: an active member, or a pending or expired invitation. */
export type MemberStatus = "active" | "pending" | "expired";

/** memberDocument is the one-person access document the inputs stand for (additive: nobody else is touched). */
function memberDocument(inputs: Record<string, unknown>): Record<string, unknown> {
  return {
    version: 1,
    workspace: inputs.workspace,
    mode: "additive",
    safety: { minAdmins: 0 },
    members: [defined({ email: inputs.email, role: inputs.role, permissions: inputs.permissions, expires: inputs.expires })],
  };
}

/**
 * check validates email, role and permissions with the same rules as access.yaml
 * (invalid-email, role-assigned-owner, unknown-permission with "did you mean",
 * owner-only-permission, …). A role that is not built in is accepted when it is a valid
 * custom-role name: it may be defined by a CustomRole resource or already live.
 */
export function check(olds: Record<string, unknown>, news: Record<string, unknown>, config?: ProviderConfig): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
  return guard(async () => {
    const failures = [
      ...requireString(news, "workspace", "the name of the Antryk workspace"),
      ...requireString(news, "email", "the person's email address"),
      ...requireString(news, "role", "account-admin, developer or a custom role name"),
      ...optionalType(news, "permissions", "array"),
      ...optionalType(news, "expires", "string"),
      ...optionalType(news, "apiUrl", "string"),
      ...optionalType(news, "tokenConfig", "string"),
      ...optionalType(news, "adoptExisting", "boolean"),
    ];
    const tokenProblem = checkTokenConfig(news.tokenConfig);
    if (tokenProblem !== null) failures.push({ property: "tokenConfig", reason: tokenProblem });
    const managerProblem = containsUnknown(news.manager) ? null : checkManagerInput(news.manager);
    if (managerProblem !== null) failures.push({ property: "manager", reason: managerProblem });
    if (failures.length > 0 || containsUnknown(news)) return { inputs: news, failures };
    for (const d of validateMember(news).errors) {
      failures.push({ property: memberProperty(d.path), reason: diagnosticReason(d, false) });
    }
    const inputs = defined({
      ...news,
      email: normalizeEmail(news.email as string),
      permissions: sortPermissions((news.permissions as string[] | undefined) ?? []),
    });
    if (failures.length === 0 && config !== undefined && olds.email === undefined && news.adoptExisting === true) {
      await previewAdoption(config, inputs as unknown as MemberInputs);
    }
    return { inputs, failures };
  });
}

/**
 * previewAdoption reports, during the preview of a new Member with adoptExisting, whom it
 * takes over and how their access changes (a create alone would show only `+ create`).
 */
async function previewAdoption(config: ProviderConfig, inputs: MemberInputs): Promise<void> {
  const person = await withClient(resolveTarget(config, inputs), async (client) => findPerson(await fetchWorkspaceState(client, inputs.workspace), inputs.email));
  const label = `antryk-access Member ${inputs.workspace}/${inputs.email}`;
  if (person === null) return logLines([`${label}: invites (nobody to adopt)`]);
  const access = (role: string, permissions: readonly string[]) => `${role}${permissions.length > 0 ? ` + ${sortPermissions([...permissions]).join(", ")}` : ""}`;
  const from = access(person.role, person.permissions);
  const to = access(inputs.role, inputs.permissions);
  const where = person.kind === "member" ? "an active member" : `a ${person.invitation.status} invitation`;
  logLines([`${label}: adopts ${where}: ${from === to ? `${from} (unchanged)` : `${from} → ${to}`}`]);
}

/** memberProperty maps a document path (`members[0].permissions[1]`) to the input property (`permissions[1]`). */
function memberProperty(path: readonly (string | number)[]): string {
  if (path[0] === "members" && path[1] === 0) return path.length > 2 ? propertyPath("", path.slice(2)) : "email";
  if (path[0] === "workspace") return "workspace";
  return "email";
}

/**
 * diff: a changed workspace or email is a replacement, created before the old one is
 * deleted (the ids differ, so both can exist: a failed create removes nobody); a changed
 * role, grants, apiUrl or credential is an in-place update; an expired invitation is a
 * change only while the engine would resend it (maxResends not reached), or every run would diff.
 */
export async function diff(config: ProviderConfig, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ changes: boolean; replaces?: string[]; deleteBeforeReplace?: boolean }> {
  const replaces = (["workspace", "email"] as const).filter((k) => olds[k] !== news[k]);
  if (replaces.length > 0) return { changes: true, replaces };
  // a new manager id (the resource was given `aliases` and so a new URN) is an in-place update that moves the marker
  const changed = (["role", "permissions", "expires", "apiUrl", "tokenConfig", "manager"] as const).some((k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null));
  if (changed || olds.status !== "expired") return { changes: changed };
  return guard(async () => ({ changes: await resendPlanned(config, news as unknown as MemberInputs) }));
}

/** resendPlanned asks the engine whether the plan for these inputs resends the person's expired invitation. */
async function resendPlanned(config: ProviderConfig, inputs: MemberInputs): Promise<boolean> {
  return withClient(resolveTarget(config, inputs), async (client) => {
    const plan = computePlan(requireDesired(inputs), await fetchWorkspaceState(client, inputs.workspace), { target: client.baseUrl });
    return plan.changes.length > 0;
  });
}

/** create invites the person, or adopts them with `adoptExisting`, and returns its outputs. */
export function create(config: ProviderConfig, props: Record<string, unknown>): Promise<{ id: string; outs: Record<string, unknown> }> {
  return guard(async () => {
    const inputs = props as unknown as MemberInputs;
    const outs = await converge(config, inputs, { creating: true, adopted: false, adoptedFrom: undefined, recorded: undefined });
    return { id: `${inputs.workspace}/${inputs.email}`, outs };
  });
}

/** update brings the member or invitation to the new role and grants, in place; `adopted` stays what create recorded. */
export function update(config: ProviderConfig, news: Record<string, unknown>, olds: Record<string, unknown> = {}): Promise<{ outs: Record<string, unknown> }> {
  return guard(async () => ({
    outs: await converge(config, news as unknown as MemberInputs, {
      creating: false,
      adopted: olds.adopted === true,
      adoptedFrom: managerInput(olds.adoptedFrom),
      recorded: olds.manager,
    }),
  }));
}

/** read refreshes from the live workspace; the returned inputs are the live role and grants, so the next diff shows drift. A person with neither membership nor a pending or expired invitation is gone. */
export function read(config: ProviderConfig, id: string, props: Record<string, unknown>): Promise<{ id: string; props: Record<string, unknown>; inputs?: Record<string, unknown> }> {
  return guard(async () => {
    const inputs = props as unknown as MemberInputs;
    return withClient(resolveTarget(config, inputs), async (client) => {
      const live = await fetchWorkspaceState(client, inputs.workspace);
      const found = findPerson(live, inputs.email);
      if (found === null) return { id: "", props: {} };
      const adopted = props.adopted === true;
      const now = { ...inputs, role: found.role, permissions: sortPermissions(found.permissions), expires: liveExpires(found, inputs.expires) };
      const { workspace, email, role, permissions, expires, apiUrl, tokenConfig, adoptExisting, manager } = now;
      return {
        id,
        props: outputsOf(now, found, adopted, managerInput(props.adoptedFrom)),
        inputs: defined({ workspace, email, role, permissions, expires, apiUrl, tokenConfig, adoptExisting, manager }),
      };
    });
  });
}

/** remove removes the member or revokes the pending invitation; never the owner or the token's own member. */
export function remove(config: ProviderConfig, props: Record<string, unknown>): Promise<void> {
  return guard(async () => {
    const inputs = props as unknown as MemberInputs;
    await withClient(resolveTarget(config, inputs), async (client) => {
      const live = await fetchWorkspaceState(client, inputs.workspace);
      const email = normalizeEmail(inputs.email);
      releaseClaim(client.baseUrl, inputs.workspace, email);
      if (email === normalizeEmail(live.workspace.owner)) {
        throw new ConfigError(`${email} is the owner of ${inputs.workspace}; the owner is never removed by antryk-access`);
      }
      if (email === normalizeEmail(live.caller.email)) {
        throw new ConfigError(`${email} is the member whose token this provider uses; it does not remove itself (use another admin's token)`);
      }
      const person = findPerson(live, email);
      const verdict = deleteVerdict(managerInput(props.manager), person === null ? null : markerOf(person), managerInput(props.adoptedFrom));
      const label = `antryk-access Member ${inputs.workspace}/${email}`;
      if (person !== null && verdict.kind === "leave") {
        return logLines([`${label}: deleted from the state only; ${email} is now managed by ${verdict.managedBy}, which took them over, so they keep their access`]);
      }
      if (person !== null && verdict.kind === "handBack") {
        await takeMarker(client, inputs.workspace, person, verdict.to);
        return logLines([`${label}: deleted from the state only; ${email} was adopted from ${verdict.to} and is handed back to it, with their access`]);
      }
      const member = live.members.find((m) => normalizeEmail(m.email) === email);
      if (member !== undefined) return client.removeMember(inputs.workspace, member.id, { ifMatch: member.version });
      for (const inv of live.invitations.filter((i) => i.status === "pending" && normalizeEmail(i.email) === email)) {
        await client.revokeInvitation(inputs.workspace, inv.id, { ifMatch: inv.version, idempotencyKey: `antryk-provider:revoke:${inv.id}:${inv.version}` });
      }
    });
  });
}

async function converge(
  config: ProviderConfig,
  inputs: MemberInputs,
  mode: { creating: boolean; adopted: boolean; adoptedFrom: string | undefined; recorded: unknown },
): Promise<Record<string, unknown>> {
  const { creating } = mode;
  const own = managerInput(inputs.manager);
  return withClient(resolveTarget(config, inputs), async (client) => {
    const desired = requireDesired(inputs);
    const before = await fetchWorkspaceState(client, inputs.workspace);
    const email = normalizeEmail(inputs.email);
    if (email === normalizeEmail(before.workspace.owner)) {
      throw new ConfigError(
        `${email} is the owner of ${inputs.workspace}: the owner is never invited, changed or removed by antryk-access, so no Member resource can manage it; nothing was changed`,
      );
    }
    const existing = findPerson(before, email);
    const marker = existing === null ? null : markerOf(existing);
    if (creating) {
      if (existing !== null && inputs.adoptExisting !== true) throw notAdopted(inputs, existing);
      claim(client.baseUrl, inputs.workspace, email);
    }
    // Adoption takes over the marker (a rename without aliases, another stack, a file): the one create that may.
    const adopting = creating && own !== undefined && marker !== null && marker !== own;
    const earlier = creating ? [] : ownEarlierIds(own, mode.recorded);
    const plan = computePlan(desired, before, { target: client.baseUrl, ...(own !== undefined ? { manager: own, takeOver: adopting ? [marker] : earlier } : {}) });
    const writer = own === undefined ? client : client.withManager(own);
    await applyOrFail(plan, writer, `${creating ? "adding" : "updating"} ${inputs.email} in ${inputs.workspace}`).catch((err: unknown) => {
      if (creating) releaseClaim(client.baseUrl, inputs.workspace, email);
      throw err;
    });
    let found = findPerson(await fetchWorkspaceState(client, inputs.workspace), inputs.email);
    if (found === null) {
      const why = plan.warnings.find((w) => w.email === inputs.email)?.message ?? "it was not found after the apply";
      throw new ConfigError(`${inputs.email} has no membership or invitation in ${inputs.workspace}: ${why}`);
    }
    // This resource manages the person: mark them when the plan had nothing to write (adopted as they are, unmarked so far, or marked with its earlier id).
    const liveMarker = markerOf(found);
    if (own !== undefined && liveMarker !== own && (liveMarker === null || adopting || earlier.includes(liveMarker))) {
      await takeMarker(client, inputs.workspace, found, own);
      found = findPerson(await fetchWorkspaceState(client, inputs.workspace), inputs.email) ?? found;
    }
    const adopted = creating ? existing !== null : mode.adopted;
    return outputsOf(inputs, found, adopted, creating ? (adopting ? marker : undefined) : mode.adoptedFrom);
  });
}

/**
 * The Members created in this host process (one per `pulumi up`), by API URL, workspace
 * and email: a second Member claiming the same person in one deployment fails, even with
 * adoptExisting. Released when the Member is deleted or its create fails.
 */
const claims = new Set<string>();
const claimKey = (baseUrl: string, workspace: string, email: string) => `${baseUrl} ${workspace} ${email}`;

function claim(baseUrl: string, workspace: string, email: string): void {
  const key = claimKey(baseUrl, workspace, email);
  if (claims.has(key)) {
    throw new ConfigError(`${email} in ${workspace} is already managed by another Member of this deployment; two resources cannot manage one person; nothing was changed`);
  }
  claims.add(key);
}

function releaseClaim(baseUrl: string, workspace: string, email: string): void {
  claims.delete(claimKey(baseUrl, workspace, email));
}

/** notAdopted is the error of a create that finds the person already there without adoptExisting: it names them and their access. */
function notAdopted(inputs: MemberInputs, person: Person): ConfigError {
  const where = person.kind === "member" ? "an active member" : `a ${person.invitation.status} invitation`;
  const grants = person.permissions.length > 0 ? ` + ${sortPermissions(person.permissions).join(", ")}` : "";
  const marker = markerOf(person);
  const managed = marker === null ? "" : `, managed by ${marker}`;
  return new ConfigError(
    `${normalizeEmail(inputs.email)} is already in ${inputs.workspace} (${where}, role ${person.role}${grants}${managed}); ` +
      "if this Member was renamed, give it `aliases` with its old name (the same resource, nothing changes); " +
      `otherwise set adoptExisting: true to manage this person with this Member (it takes them over${marker === null ? "" : ` from ${marker}`} and brings them to its inputs); nothing was changed`,
  );
}

function requireDesired(inputs: MemberInputs): DesiredState {
  const { desired, errors } = validateMember(inputs as unknown as Record<string, unknown>);
  if (desired === null) throw new ConfigError(`the Member inputs for ${inputs.email} are invalid; nothing was changed`, errors);
  return desired;
}

/**
 * validateMember validates the one-person document. A role that is not built in but is a
 * valid custom-role name is validated as `developer` and then put back: the document
 * defines no roles, the workspace (or a CustomRole resource) does.
 */
function validateMember(inputs: Record<string, unknown>): { desired: DesiredState | null; errors: Diagnostic[] } {
  const role = String(inputs.role);
  const custom = !isBuiltInRole(role) && CUSTOM_ROLE_NAME_PATTERN.test(role);
  const result = validateAccessDocument(memberDocument(custom ? { ...inputs, role: "developer" } : inputs), "member");
  const errors = errorsOnly(result.diagnostics);
  if (result.desired === null) return { desired: null, errors };
  const desired = { ...result.desired, members: result.desired.members.map((m) => ({ ...m, role })) };
  return { desired, errors };
}

type Person = { kind: "member"; member: Member; role: string; permissions: string[] } | { kind: "invitation"; invitation: Invitation; role: string; permissions: string[] };

/** findPerson finds the email's membership, else its pending or expired invitation (most recent). */
function findPerson(live: LiveState, email: string): Person | null {
  const e = normalizeEmail(email);
  const member = live.members.find((m) => normalizeEmail(m.email) === e);
  if (member !== undefined) return { kind: "member", member, role: member.role, permissions: member.permissions };
  const invitation = live.invitations
    .filter((i) => normalizeEmail(i.email) === e && (i.status === "pending" || i.status === "expired"))
    .sort((a, b) => (a.status === b.status ? compareText(b.createdAt, a.createdAt) : a.status === "pending" ? -1 : 1))[0];
  if (invitation !== undefined) return { kind: "invitation", invitation, role: invitation.role, permissions: invitation.permissions };
  return null;
}

/**
 * liveExpires is the `expires` input the live accessExpiresAt stands for: the inputs' own when
 * they agree (or the server does not carry it), none for null, else the live value as the file
 * would write it, or the instant itself (either differs, so the next diff shows the drift).
 */
function liveExpires(person: Person, expires: string | undefined): string | undefined {
  const live = person.kind === "member" ? person.member.accessExpiresAt : person.invitation.accessExpiresAt;
  if (live === undefined || sameExpiry(live, accessExpiresAtOf(expires))) return expires;
  if (live === null) return undefined;
  return expiresOf(live) ?? live;
}

/** outputsOf is the state: the inputs, the status and ids, never a token. */
function outputsOf(inputs: MemberInputs, person: Person, adopted: boolean, adoptedFrom: string | null | undefined): Record<string, unknown> {
  const common = {
    workspace: inputs.workspace,
    email: normalizeEmail(inputs.email),
    role: inputs.role,
    permissions: sortPermissions(inputs.permissions ?? []),
    expires: inputs.expires,
    apiUrl: inputs.apiUrl,
    tokenConfig: inputs.tokenConfig,
    adoptExisting: inputs.adoptExisting,
    adopted,
    manager: managerInput(inputs.manager),
    /** adoptedFrom: the manager this resource took the person over from (deleting hands them back when it is another stack's or a file's). */
    adoptedFrom: adoptedFrom ?? undefined,
  };
  if (person.kind === "member") {
    const m = person.member;
    return defined({
      ...common,
      status: "active" satisfies MemberStatus,
      memberId: m.id,
      effectivePermissions: m.effectivePermissions,
      joinedAt: m.joinedAt,
      invitedBy: m.invitedBy ?? undefined,
      accessExpiresAt: m.accessExpiresAt ?? undefined,
    });
  }
  const i = person.invitation;
  return defined({
    ...common,
    status: i.status as MemberStatus,
    invitationId: i.id,
    invitationExpiresAt: i.expiresAt,
    sendCount: i.sendCount,
    accessExpiresAt: i.accessExpiresAt ?? undefined,
    invitedBy: i.invitedBy,
  });
}
