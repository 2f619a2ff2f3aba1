/**
 * antryk-access/provider: the Pulumi dynamic provider, the second front door over the
 * CLI's engine. Resources: WorkspaceAccess, Member, CustomRole (resources.ts); the
 * serializable providers and their rules (providers.ts).
 */
import { operations as hostOperations } from "./operations.js";

export { CustomRole, Member, WorkspaceAccess } from "./resources.js";
export type { CredentialArgs, CustomRoleArgs, MemberArgs, PlanSummaryOutput, WorkspaceAccessArgs } from "./resources.js";
export { AccessProvider, type ResourceKind } from "./providers.js";

/**
 * operations is kept on this entry for provider texts stored by earlier versions only.
 * The operations now live on their own subpath, `antryk-access/provider/operations`
 * (operations.ts), which today's serialized providers import: it is not part of this
 * public entry, and the host loads the operations without this entry's resource classes
 * (and the provider without importing its own entry, the cycle index → providers →
 * index). But Pulumi runs a resource's read and delete with the text stored at its last
 * update, and texts written before the subpath existed (test/provider/fixtures/v0-state.json)
 * do `const { operations } = await import("antryk-access/provider")`. Removing this
 * binding would break `pulumi refresh` and `destroy` of every such stack, so it stays, at
 * run time, as an alias of the subpath's object; `@internal` (with `stripInternal`)
 * leaves it out of the entry's type declarations, so programs cannot come to rely on it.
 * test/provider/compat.test.ts drives the old texts through the real host.
 *
 * @internal
 */
export const operations = hostOperations;
