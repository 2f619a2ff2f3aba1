import { ApiError, ConfigError } from "../errors.js";
import { computePlan } from "../reconciler/compute/index.js";
import { fetchWorkspaceState } from "../reconciler/fetch.js";
import type { LiveState } from "../reconciler/live-state.js";
import type { Role } from "../schema/api.js";
import { normalizeEmail } from "../schema/catalog.js";
import { sortPermissions } from "../schema/order.js";
import type { Diagnostic } from "../schema/diagnostics.js";
import { validateAccessDocument } from "../schema/load.js";
import type { DesiredState } from "../schema/model.js";
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
import { managerInput, ownEarlierIds } from "./markers.js";
import { logLines } from "./report.js";
import { checkTokenConfig, resolveTarget, withClient, type ProviderConfig } from "./session.js";

/**
 * CustomRole operations: one custom role of a workspace, created or replaced by PUT
 * (through the engine: a one-role additive document; an existing role of the same name
 * is adopted and updated only with `adoptExisting: true`), deleted by DELETE (refused by the API while someone
 * holds it, reported with the holders). The id is `<workspace>/<roleName>`.
 */

/** CustomRoleInputs are the resource's inputs after check (permissions in catalog order, description defaulted to ""). */
export interface CustomRoleInputs {
  workspace: string;
  roleName: string;
  description: string;
  permissions: string[];
  apiUrl?: string;
  /** tokenConfig names the stack config key of this resource's token (`antryk:<name>Token`); default `antryk:token`. */
  tokenConfig?: string;
  /** adoptExisting lets create take over a live role of the same name; default false. */
  adoptExisting?: boolean;
  /** manager is this resource's manager id (provider/manager.ts); absent in programs and states from before markers. */
  manager?: string;
}

function roleDocument(inputs: Record<string, unknown>): Record<string, unknown> {
  return {
    version: 1,
    workspace: inputs.workspace,
    mode: "additive",
    safety: { minAdmins: 0 },
    roles: { [String(inputs.roleName)]: defined({ description: inputs.description, permissions: inputs.permissions }) },
  };
}

function validateRole(inputs: Record<string, unknown>): { desired: DesiredState | null; errors: Diagnostic[] } {
  const result = validateAccessDocument(roleDocument(inputs), "role");
  return { desired: result.desired, errors: errorsOnly(result.diagnostics) };
}

/** check validates the role with access.yaml's rules (invalid-role-name, reserved-role-name, unknown-permission, owner-only-permission). */
export function check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
  return guard(async () => {
    const failures = [
      ...requireString(news, "workspace", "the name of the Antryk workspace"),
      ...requireString(news, "roleName", "the custom role's name (e.g. release-manager)"),
      ...optionalType(news, "description", "string"),
      ...optionalType(news, "permissions", "array"),
      ...optionalType(news, "apiUrl", "string"),
      ...optionalType(news, "tokenConfig", "string"),
      ...optionalType(news, "adoptExisting", "boolean"),
    ];
    const tokenProblem = checkTokenConfig(news.tokenConfig);
    if (tokenProblem !== null) failures.push({ property: "tokenConfig", reason: tokenProblem });
    if (news.permissions === undefined || news.permissions === null) {
      failures.push({ property: "permissions", reason: "permissions is required: the permission ids the role grants" });
    }
    if (failures.length > 0 || containsUnknown(news)) return { inputs: news, failures };
    for (const d of validateRole(news).errors) failures.push({ property: roleProperty(d.path), reason: diagnosticReason(d, false) });
    const inputs = defined({ ...news, description: (news.description as string | undefined) ?? "", permissions: sortPermissions(news.permissions as string[]) });
    return { inputs, failures };
  });
}

/** roleProperty maps a document path (`roles.<name>.permissions[1]`) to the input property (`permissions[1]`). */
function roleProperty(path: readonly (string | number)[]): string {
  if (path[0] === "roles" && path.length > 2) return propertyPath("", path.slice(2));
  if (path[0] === "workspace") return "workspace";
  return "roleName";
}

/** diff: a changed workspace or name is a replacement (the new role exists before the old one is deleted); description, permissions or apiUrl update in place. */
export async function diff(_config: ProviderConfig, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ changes: boolean; replaces?: string[] }> {
  const replaces = (["workspace", "roleName"] as const).filter((k) => olds[k] !== news[k]);
  if (replaces.length > 0) return { changes: true, replaces };
  const changed = (["description", "permissions", "apiUrl", "tokenConfig", "manager"] as const).some((k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null));
  return { changes: changed };
}

/** create defines the role (or, with adoptExisting, adopts a live one of the same name and brings it to the inputs). */
export function create(config: ProviderConfig, props: Record<string, unknown>): Promise<{ id: string; outs: Record<string, unknown> }> {
  return guard(async () => {
    const inputs = props as unknown as CustomRoleInputs;
    return { id: `${inputs.workspace}/${inputs.roleName}`, outs: await converge(config, inputs, true, undefined) };
  });
}

/** update replaces the role's description and permissions (and moves the marker from the resource's earlier manager id, recorded in `olds`). */
export function update(config: ProviderConfig, news: Record<string, unknown>, olds: Record<string, unknown> = {}): Promise<{ outs: Record<string, unknown> }> {
  return guard(async () => ({ outs: await converge(config, news as unknown as CustomRoleInputs, false, olds.manager) }));
}

/** read refreshes from the live role (returned as inputs, so drift shows in the next diff); a missing role is gone. */
export function read(config: ProviderConfig, id: string, props: Record<string, unknown>): Promise<{ id: string; props: Record<string, unknown>; inputs?: Record<string, unknown> }> {
  return guard(async () => {
    const inputs = props as unknown as CustomRoleInputs;
    return withClient(resolveTarget(config, inputs), async (client) => {
      const live = await fetchWorkspaceState(client, inputs.workspace);
      const role = live.roles.find((r) => r.name === inputs.roleName);
      if (role === undefined) return { id: "", props: {} };
      const now: CustomRoleInputs = { ...inputs, description: role.description, permissions: sortPermissions(role.permissions) };
      return {
        id,
        props: outputsOf(now, role, live),
        inputs: defined({
          workspace: now.workspace,
          roleName: now.roleName,
          description: now.description,
          permissions: now.permissions,
          apiUrl: now.apiUrl,
          tokenConfig: now.tokenConfig,
          adoptExisting: now.adoptExisting,
          manager: (props as { manager?: unknown }).manager,
        }),
      };
    });
  });
}

/** remove deletes the role; while members or pending invitations hold it the API refuses, and the error names them. */
export function remove(config: ProviderConfig, props: Record<string, unknown>): Promise<void> {
  return guard(async () => {
    const inputs = props as unknown as CustomRoleInputs;
    await withClient(resolveTarget(config, inputs), async (client) => {
      const live = await fetchWorkspaceState(client, inputs.workspace);
      const role = live.roles.find((r) => r.name === inputs.roleName);
      if (role === undefined) return;
      const own = managerInput((props as { manager?: unknown }).manager);
      const marker = role.managedBy ?? null;
      if (own !== undefined && marker !== null && marker !== own) {
        return logLines([`antryk-access CustomRole ${inputs.workspace}/${role.name}: deleted from the state only; the role is now managed by ${marker}, which took it over, so it stays`]);
      }
      try {
        await client.deleteRole(inputs.workspace, role.name, { ifMatch: role.version ?? 0 });
      } catch (err) {
        if (err instanceof ApiError && err.status === 409 && err.code === "role_in_use") {
          const who = holders(live, role.name);
          const shown = who.slice(0, 5).join(", ") + (who.length > 5 ? ` and ${who.length - 5} more` : "");
          throw new ConfigError(
            `custom role ${role.name} is still held${who.length > 0 ? ` by ${shown}` : ""}; give them another role before deleting it`,
            [],
            { cause: err },
          );
        }
        throw err;
      }
    });
  });
}

async function converge(config: ProviderConfig, inputs: CustomRoleInputs, creating: boolean, recorded: unknown): Promise<Record<string, unknown>> {
  return withClient(resolveTarget(config, inputs), async (client) => {
    const { desired, errors } = validateRole(inputs as unknown as Record<string, unknown>);
    if (desired === null) throw new ConfigError(`the CustomRole inputs for ${inputs.roleName} are invalid; nothing was changed`, errors);
    const before = await fetchWorkspaceState(client, inputs.workspace);
    const existing = before.roles.find((r) => r.name === inputs.roleName);
    const marker = existing?.managedBy ?? null;
    if (creating && existing !== undefined && inputs.adoptExisting !== true) {
      throw new ConfigError(
        `custom role ${inputs.roleName} already exists in ${inputs.workspace} (permissions: ${sortPermissions(existing.permissions).join(", ") || "none"}${marker === null ? "" : `, managed by ${marker}`}); ` +
          "if this CustomRole was renamed, give it `aliases` with its old name (the same resource, nothing changes); " +
          "otherwise set adoptExisting: true to manage it with this CustomRole (it takes it over); nothing was changed",
      );
    }
    const own = managerInput(inputs.manager);
    const adopting = creating && own !== undefined && marker !== null && marker !== own;
    const earlier = creating ? [] : ownEarlierIds(own, recorded);
    const plan = computePlan(desired, before, { target: client.baseUrl, ...(own !== undefined ? { manager: own, takeOver: adopting ? [marker] : earlier } : {}) });
    await applyOrFail(plan, own === undefined ? client : client.withManager(own), `defining custom role ${inputs.roleName} in ${inputs.workspace}`);
    let live = await fetchWorkspaceState(client, inputs.workspace);
    let role = live.roles.find((r) => r.name === inputs.roleName);
    if (role === undefined) throw new ConfigError(`custom role ${inputs.roleName} is not in ${inputs.workspace} after the apply`);
    const liveMarker = role.managedBy ?? null;
    if (own !== undefined && liveMarker !== own && (liveMarker === null || adopting || earlier.includes(liveMarker))) {
      // the same definition PUT again as this manager: only the marker moves
      await client.withManager(own).putRole(inputs.workspace, role.name, { description: role.description, permissions: role.permissions }, { ifMatch: role.version ?? 0 });
      live = await fetchWorkspaceState(client, inputs.workspace);
      role = live.roles.find((r) => r.name === inputs.roleName) ?? role;
    }
    return outputsOf(inputs, role, live);
  });
}

/** holders lists who holds a role: active members and pending invitations. */
function holders(live: LiveState, role: string): string[] {
  const emails = [
    ...live.members.filter((m) => m.role === role).map((m) => m.email),
    ...live.invitations.filter((i) => i.status === "pending" && i.role === role).map((i) => i.email),
  ];
  return [...new Set(emails.map(normalizeEmail))].sort();
}

function outputsOf(inputs: CustomRoleInputs, role: Role, live: LiveState): Record<string, unknown> {
  return defined({
    workspace: inputs.workspace,
    roleName: inputs.roleName,
    description: inputs.description ?? "",
    permissions: sortPermissions(inputs.permissions),
    apiUrl: inputs.apiUrl,
    tokenConfig: inputs.tokenConfig,
    adoptExisting: inputs.adoptExisting,
    manager: managerInput(inputs.manager),
    version: role.version,
    holderCount: holders(live, role.name).length,
  });
}
