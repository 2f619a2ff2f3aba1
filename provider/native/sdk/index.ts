import * as pulumi from "@pulumi/pulumi";
import type * as dynamic from "../../resources.js";

/**
 * antryk-access/pulumi: the TypeScript SDK of the native provider `antryk`
 * (pulumi-resource-antryk), thin classes over its resource tokens. Unlike the dynamic
 * resources of `antryk-access/provider`, these take an explicit provider instance
 * (`new Provider(…)`, passed as the `provider` option), can be imported with
 * `pulumi import`, and have the same schema as the SDKs of other languages
 * (schema/pulumi/schema.json; property docs there).
 */

/** ProviderArgs configure one provider instance: a workspace's API URL and token (stored as a secret). */
export interface ProviderArgs {
  apiUrl?: pulumi.Input<string>;
  token?: pulumi.Input<string>;
}

/** Provider is an explicit instance of the antryk provider: give each workspace its own (a token belongs to one workspace). */
export class Provider extends pulumi.ProviderResource {
  constructor(name: string, args: ProviderArgs = {}, opts?: pulumi.ResourceOptions) {
    const token = args.token === undefined ? undefined : pulumi.secret(args.token);
    super("antryk", name, { apiUrl: args.apiUrl, token }, opts);
  }
}

/** WorkspaceAccessArgs: the dynamic WorkspaceAccess's inputs less its credential inputs (a provider instance carries those); schema.json describes each. */
export type WorkspaceAccessArgs = Omit<dynamic.WorkspaceAccessArgs, keyof dynamic.CredentialArgs>;

/** PlanSummary counts changes by kind plus `total` and `highRisk`. */
export type PlanSummary = Record<string, number>;

/** WorkspaceAccess (`antryk:index:WorkspaceAccess`): a whole workspace's access from one access document. Import id: `<workspace>`. */
export class WorkspaceAccess extends pulumi.CustomResource {
  declare readonly workspace: pulumi.Output<string>;
  declare readonly file: pulumi.Output<string | undefined>;
  declare readonly owner: pulumi.Output<string>;
  declare readonly revision: pulumi.Output<number>;
  declare readonly memberCount: pulumi.Output<number>;
  declare readonly pendingInvitationCount: pulumi.Output<number>;
  declare readonly customRoleCount: pulumi.Output<number>;
  declare readonly contentDigest: pulumi.Output<string>;
  declare readonly lastApplied: pulumi.Output<PlanSummary>;
  declare readonly drift: pulumi.Output<PlanSummary>;
  declare readonly driftChanges: pulumi.Output<string[]>;
  declare readonly driftChangeCount: pulumi.Output<number>;
  declare readonly driftKnown: pulumi.Output<boolean>;
  declare readonly warnings: pulumi.Output<string[]>;
  declare readonly warningCount: pulumi.Output<number>;
  declare readonly manager: pulumi.Output<string>;

  /** get looks up an existing WorkspaceAccess by id (the workspace name). */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): WorkspaceAccess {
    return new WorkspaceAccess(name, undefined, { ...opts, id });
  }

  constructor(name: string, args: WorkspaceAccessArgs | undefined, opts?: pulumi.CustomResourceOptions) {
    super("antryk:index:WorkspaceAccess", name, withOutputs(args, WORKSPACE_ACCESS_OUTPUTS), opts);
  }
}

/** MemberArgs: the dynamic Member's inputs less its credential inputs: one person, by email, with a role and extra permissions. */
export type MemberArgs = Omit<dynamic.MemberArgs, keyof dynamic.CredentialArgs>;

/** Member (`antryk:index:Member`): one person in a workspace. Import id: `<workspace>/<email>`. */
export class Member extends pulumi.CustomResource {
  declare readonly workspace: pulumi.Output<string>;
  declare readonly email: pulumi.Output<string>;
  declare readonly role: pulumi.Output<string>;
  declare readonly permissions: pulumi.Output<string[]>;
  declare readonly status: pulumi.Output<string>;
  declare readonly memberId: pulumi.Output<string | undefined>;
  declare readonly invitationId: pulumi.Output<string | undefined>;
  declare readonly invitationExpiresAt: pulumi.Output<string | undefined>;
  declare readonly accessExpiresAt: pulumi.Output<string | undefined>;
  declare readonly effectivePermissions: pulumi.Output<string[] | undefined>;
  declare readonly adopted: pulumi.Output<boolean>;
  /** manager: the id this resource writes as (`pulumi:<project>/<stack>/<urn>`), the person's managedBy. */
  declare readonly manager: pulumi.Output<string>;
  declare readonly adoptedFrom: pulumi.Output<string | undefined>;

  /** get looks up an existing Member by id (`<workspace>/<email>`). */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): Member {
    return new Member(name, undefined, { ...opts, id });
  }

  constructor(name: string, args: MemberArgs | undefined, opts?: pulumi.CustomResourceOptions) {
    super("antryk:index:Member", name, withOutputs(args, MEMBER_OUTPUTS), opts);
  }
}

/** CustomRoleArgs: the dynamic CustomRole's inputs less its credential inputs. */
export type CustomRoleArgs = Omit<dynamic.CustomRoleArgs, keyof dynamic.CredentialArgs>;

/** CustomRole (`antryk:index:CustomRole`): a custom role of a workspace. Import id: `<workspace>/<roleName>`. */
export class CustomRole extends pulumi.CustomResource {
  declare readonly workspace: pulumi.Output<string>;
  declare readonly roleName: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;
  declare readonly permissions: pulumi.Output<string[]>;
  declare readonly version: pulumi.Output<number>;
  declare readonly holderCount: pulumi.Output<number>;
  declare readonly manager: pulumi.Output<string>;

  /** get looks up an existing CustomRole by id (`<workspace>/<roleName>`). */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): CustomRole {
    return new CustomRole(name, undefined, { ...opts, id });
  }

  constructor(name: string, args: CustomRoleArgs | undefined, opts?: pulumi.CustomResourceOptions) {
    super("antryk:index:CustomRole", name, withOutputs(args, ["version", "holderCount", "manager"]), opts);
  }
}

const WORKSPACE_ACCESS_OUTPUTS = [
  "owner",
  "revision",
  "memberCount",
  "pendingInvitationCount",
  "customRoleCount",
  "contentDigest",
  "lastApplied",
  "drift",
  "driftChanges",
  "driftChangeCount",
  "driftKnown",
  "warnings",
  "warningCount",
  "manager",
];
const MEMBER_OUTPUTS = ["status", "memberId", "invitationId", "invitationExpiresAt", "accessExpiresAt", "sendCount", "effectivePermissions", "joinedAt", "invitedBy", "adopted", "manager", "adoptedFrom"];

/** withOutputs registers the output names (undefined until the provider sets them) beside the inputs, as generated SDKs do. */
function withOutputs(args: object | undefined, outputs: readonly string[]): pulumi.Inputs {
  return { ...Object.fromEntries(outputs.map((name) => [name, undefined])), ...(args ?? {}) };
}
