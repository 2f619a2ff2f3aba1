import type * as pulumi from "@pulumi/pulumi";
import { resourceManager } from "./manager.js";
import { AccessProvider } from "./providers.js";
import { loadPulumi } from "./pulumi-runtime.js";

// Loaded at run time: without @pulumi/pulumi installed, importing this entry says what to install.
const runtime = await loadPulumi();

/**
 * The Pulumi resources of antryk-access (`antryk-access/provider`): thin
 * `pulumi.dynamic.Resource`s over the same engine as the CLI. Types are
 * `pulumi-nodejs:dynamic/antryk:<Name>`. Credentials are never an input: set
 * `antryk:apiUrl` and `pulumi config set --secret antryk:token …` (or ANTRYK_API_URL /
 * ANTRYK_TOKEN in the environment of `pulumi up`); a resource of another workspace names
 * the config key of its own token with `tokenConfig` (e.g. `antryk:sandboxToken`, sent
 * only to `antryk:sandboxApiUrl`, else `antryk:apiUrl`).
 */

/** CredentialArgs choose which configured token a resource uses; the token itself is never an input. */
export interface CredentialArgs {
  /** apiUrl asserts the API URL of this resource's credential: a different URL is refused before any request (a token only goes to the URL configured with it). */
  apiUrl?: pulumi.Input<string>;
  /** tokenConfig names the stack config key holding this resource's token, `antryk:<name>Token` (its URL: `antryk:<name>ApiUrl`, else `antryk:apiUrl`); default `antryk:token`. */
  tokenConfig?: pulumi.Input<string>;
}

// One provider object per class: plain data, so Pulumi serializes it once (it caches by object).
// `home` lets the host load the operations from where this program found them when its folder has none (an Automation API work dir).
const OPERATIONS_HOME = new URL("./operations.js", import.meta.url).href;
const workspaceAccessProvider = new AccessProvider("workspaceAccess", OPERATIONS_HOME);
const memberProvider = new AccessProvider("member", OPERATIONS_HOME);
const customRoleProvider = new AccessProvider("customRole", OPERATIONS_HOME);

/** WorkspaceAccessArgs: the workspace and exactly one of `file` (path to access.yaml, relative to the program folder) or `document` (the same content as an object). */
export interface WorkspaceAccessArgs extends CredentialArgs {
  workspace: pulumi.Input<string>;
  file?: pulumi.Input<string>;
  /** document: the access document as an object; when it is a secret, the outputs derived from it (warnings, driftChanges, the applied record) are secret too. */
  document?: pulumi.Input<Record<string, unknown>>;
  /** removeOnDelete: on delete, remove the members, invitations and custom roles the last apply named (default false: stop managing, remove nobody). */
  removeOnDelete?: pulumi.Input<boolean>;
  /** adoptExisting: with removeOnDelete, let the first apply take over people and custom roles that already exist (default false: create fails and names them). */
  adoptExisting?: pulumi.Input<boolean>;
  /** allowSelfChange lets the plan demote or remove the member whose token applies it (the CLI's --allow-self-change; default false). */
  allowSelfChange?: pulumi.Input<boolean>;
}

/** PlanSummaryOutput counts changes by kind (inviteMember, updateMember, …) plus `total` and `highRisk`. */
export type PlanSummaryOutput = Record<string, number>;

/**
 * WorkspaceAccess manages a whole workspace's access from one access document: its
 * plan is computed against the live workspace on every diff, applied with every safety
 * rail on create and update, and refreshed (with the drift) on read. Replaced only when
 * `workspace` changes.
 */
export class WorkspaceAccess extends runtime.dynamic.Resource {
  declare readonly workspace: pulumi.Output<string>;
  declare readonly owner: pulumi.Output<string>;
  declare readonly revision: pulumi.Output<number>;
  declare readonly memberCount: pulumi.Output<number>;
  declare readonly pendingInvitationCount: pulumi.Output<number>;
  declare readonly customRoleCount: pulumi.Output<number>;
  /** lastApplied: the per-kind summary of the last plan applied by create or update. */
  declare readonly lastApplied: pulumi.Output<PlanSummaryOutput>;
  /** drift: the per-kind summary of what a plan would change now (total 0 right after an apply). */
  declare readonly drift: pulumi.Output<PlanSummaryOutput>;
  /** driftChanges: the first 50 changes of the drift (`driftChangeCount` counts them all). */
  declare readonly driftChanges: pulumi.Output<string[]>;
  declare readonly driftChangeCount: pulumi.Output<number>;
  /** driftKnown: false after a refresh that could not read the document (a `document` input): drift, driftChanges and driftChangeCount are then absent until the next up. */
  declare readonly driftKnown: pulumi.Output<boolean>;
  /** warnings: the first 50 plan warnings (`warningCount` counts them all). */
  declare readonly warnings: pulumi.Output<string[]>;
  declare readonly warningCount: pulumi.Output<number>;
  /** contentDigest: `sha256:…` of the resolved document; an edited file changes it, so a preview shows the edit. */
  declare readonly contentDigest: pulumi.Output<string>;

  constructor(name: string, args: WorkspaceAccessArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      owner: undefined,
      revision: undefined,
      memberCount: undefined,
      pendingInvitationCount: undefined,
      customRoleCount: undefined,
      lastApplied: undefined,
      drift: undefined,
      driftChanges: undefined,
      driftChangeCount: undefined,
      driftKnown: undefined,
      warnings: undefined,
      warningCount: undefined,
      contentDigest: undefined,
      managed: undefined,
    };
    // Whether the document is a secret is known only to the program: it travels as an input.
    const documentSecret = args.document === undefined ? undefined : runtime.output(runtime.isSecret(runtime.output(args.document)));
    super(
      workspaceAccessProvider,
      name,
      { ...outputs, ...args, documentSecret, manager: resourceManager(runtime, name, "WorkspaceAccess", opts) },
      opts,
      "antryk",
      "WorkspaceAccess",
    );
  }
}

/** MemberArgs: one person, by email, with a role (built-in or custom) and extra permissions. */
export interface MemberArgs extends CredentialArgs {
  workspace: pulumi.Input<string>;
  email: pulumi.Input<string>;
  role: pulumi.Input<string>;
  permissions?: pulumi.Input<pulumi.Input<string>[]>;
  /** expires: time-bound access as in access.yaml (`YYYY-MM-DD`); the server refuses the member's tokens from the end of that day (UTC). */
  expires?: pulumi.Input<string>;
  /** adoptExisting: create may take over a person who is already a member or invited, bringing them to these inputs (default false: create fails and names their current access). */
  adoptExisting?: pulumi.Input<boolean>;
}

/**
 * Member is one person: create invites them (or, with `adoptExisting`, takes over their
 * membership or invitation and brings it to the inputs); a role change is made in place;
 * a changed email or workspace creates the new person before removing the old one;
 * delete removes the member or revokes the invitation. Outputs carry the status and ids,
 * never an invitation token.
 */
export class Member extends runtime.dynamic.Resource {
  declare readonly workspace: pulumi.Output<string>;
  declare readonly email: pulumi.Output<string>;
  declare readonly role: pulumi.Output<string>;
  declare readonly permissions: pulumi.Output<string[]>;
  /** status: `active` (a member), `pending` or `expired` (an invitation). */
  declare readonly status: pulumi.Output<string>;
  declare readonly memberId: pulumi.Output<string | undefined>;
  declare readonly invitationId: pulumi.Output<string | undefined>;
  declare readonly invitationExpiresAt: pulumi.Output<string | undefined>;
  /** accessExpiresAt: when the person's access ends on the server (RFC 3339), from `expires`. */
  declare readonly accessExpiresAt: pulumi.Output<string | undefined>;
  declare readonly effectivePermissions: pulumi.Output<string[] | undefined>;
  /** adopted: the person was already a member or invited when the resource was created (kept for the resource's life). */
  declare readonly adopted: pulumi.Output<boolean>;
  /** manager: this resource's manager id (`pulumi:<project>/<stack>/<urn>`), what the workspace records as the person's managedBy. */
  declare readonly manager: pulumi.Output<string>;

  constructor(name: string, args: MemberArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      status: undefined,
      memberId: undefined,
      invitationId: undefined,
      invitationExpiresAt: undefined,
      accessExpiresAt: undefined,
      effectivePermissions: undefined,
      adopted: undefined,
    };
    super(memberProvider, name, { ...outputs, ...args, manager: resourceManager(runtime, name, "Member", opts) }, opts, "antryk", "Member");
  }
}

/** CustomRoleArgs: a custom role's name, description and permissions. */
export interface CustomRoleArgs extends CredentialArgs {
  workspace: pulumi.Input<string>;
  roleName: pulumi.Input<string>;
  description?: pulumi.Input<string>;
  permissions: pulumi.Input<pulumi.Input<string>[]>;
  /** adoptExisting: create may take over a live role of the same name (default false: create fails). */
  adoptExisting?: pulumi.Input<boolean>;
}

/** CustomRole is one custom role: created or replaced by PUT, deleted by DELETE (a clear error while someone holds it). */
export class CustomRole extends runtime.dynamic.Resource {
  declare readonly workspace: pulumi.Output<string>;
  declare readonly roleName: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;
  declare readonly permissions: pulumi.Output<string[]>;
  declare readonly version: pulumi.Output<number>;
  declare readonly holderCount: pulumi.Output<number>;

  constructor(name: string, args: CustomRoleArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      customRoleProvider,
      name,
      { version: undefined, holderCount: undefined, ...args, manager: resourceManager(runtime, name, "CustomRole", opts) },
      opts,
      "antryk",
      "CustomRole",
    );
  }
}
