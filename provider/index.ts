/**
 * antryk-access/provider: the Pulumi dynamic provider, the second front door over the
 * CLI's engine. Resources: WorkspaceAccess, Member, CustomRole (resources.ts); the
 * serializable providers and their rules (providers.ts).
 */
import * as customRole from "./custom-role.js";
import * as member from "./member.js";
import * as workspaceAccess from "./workspace-access.js";

export { CustomRole, Member, WorkspaceAccess } from "./resources.js";
export type { CredentialArgs, CustomRoleArgs, MemberArgs, PlanSummaryOutput, WorkspaceAccessArgs } from "./resources.js";
export { AccessProvider, type ResourceKind } from "./providers.js";

/**
 * operations is what the serialized providers call once re-created in the
 * dynamic-provider host (they load this entry by package name). Not for programs (use
 * the resource classes), but a PERMANENT interface: provider texts already stored in
 * users' states call it, with the state those versions wrote. Every version must keep,
 * for each of `workspaceAccess`, `member` and `customRole`:
 *   check(olds, news, config?)      diff(config, olds, news)      create(config, inputs)
 *   read(config, id, props)         update(config, news, olds?)   remove(config, props)
 * where `config` may be `{ apiUrl, token }` (texts before issue 18) or `{ get(key) }`, and
 * props may lack any output added since. New parameters are added only at the end, optional.
 * test/provider/compat.test.ts drives a state written by the previous version.
 */
export const operations = { workspaceAccess, member, customRole };
