/**
 * antryk-access/provider: the Pulumi dynamic provider, the second front door over the
 * CLI's engine. Resources: WorkspaceAccess, Member, CustomRole (resources.ts); the
 * serializable providers and their rules (providers.ts).
 */
import * as customRole from "./custom-role.js";
import * as member from "./member.js";
import * as workspaceAccess from "./workspace-access.js";

export { CustomRole, Member, WorkspaceAccess } from "./resources.js";
export type { CustomRoleArgs, MemberArgs, PlanSummaryOutput, WorkspaceAccessArgs } from "./resources.js";
export { AccessProvider, type ResourceKind } from "./providers.js";

/**
 * operations is what the serialized providers call once re-created in the
 * dynamic-provider host (they load this entry by package name). Internal: not a stable
 * API, use the resource classes.
 */
export const operations = { workspaceAccess, member, customRole };
