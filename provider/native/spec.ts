/**
 * The one description of the native provider's package (`antryk`): the provider
 * configuration and the three resources, with their inputs, outputs, which input changes
 * replace, and the import id. schema.ts turns it into Pulumi's package schema
 * (schema/pulumi/schema.json); the plugin (server.ts) reads the same table for tokens,
 * detailed diffs, import ids and secret outputs. The descriptions are the registry docs.
 */

/** PropertyType is the subset of Pulumi's schema types these resources use. */
export type PropertyType =
  | { type: "string" | "boolean" | "integer" }
  | { type: "array"; items: PropertyType }
  | { type: "object"; additionalProperties: PropertyType | { $ref: "pulumi.json#/Any" } };

/** PropertySpec is one input or output property: its type, its registry description, whether it is a secret. */
export type PropertySpec = PropertyType & { description: string; secret?: boolean };

/** ResourceKindName names a resource of the package, as its token does (`antryk:index:<name>`). */
export type ResourceKindName = "WorkspaceAccess" | "Member" | "CustomRole";

/** ResourceSpec describes one resource: `operations` names its engine operations (provider/operations.ts). */
export interface ResourceSpec {
  operations: "workspaceAccess" | "member" | "customRole";
  description: string;
  inputs: Record<string, PropertySpec>;
  requiredInputs: string[];
  /** replaceOnChanges: the inputs whose change replaces the resource (the operations' diff says the same). */
  replaceOnChanges: string[];
  /** outputs beyond the inputs (every input is also an output). */
  outputs: Record<string, PropertySpec>;
  /** importId: the id `pulumi import` takes, and an example. */
  importId: { format: string; example: string };
}

const str = (description: string): PropertySpec => ({ type: "string", description });
const bool = (description: string): PropertySpec => ({ type: "boolean", description });
const int = (description: string): PropertySpec => ({ type: "integer", description });
const strings = (description: string): PropertySpec => ({ type: "array", items: { type: "string" }, description });
const counts = (description: string): PropertySpec => ({ type: "object", additionalProperties: { type: "integer" }, description });

const WORKSPACE = str("The name of the Antryk workspace (for example `acme-prod`). Changing it replaces the resource.");
const ADOPT = (what: string) =>
  bool(`Let create take over ${what} that already exists, bringing it to these inputs. Default false: create fails and names what exists. Prefer \`pulumi import\` (see the import id below) for a one-off adoption.`);

const MANAGER = str(
  "The manager id this resource writes as, which the workspace records as `managedBy` on what it manages: `pulumi:<project>/<stack>/<urn>`. The dynamic resource of the same name and parent has the same id, so moving a stack to this provider keeps every marker. Something another manager manages is never changed (the `managedElsewhere` rule) unless adopted.",
);

/** PROVIDER_CONFIG is the provider's configuration: the `antryk:*` stack config of the default provider, or the inputs of an explicit `antryk.Provider`. */
export const PROVIDER_CONFIG: Record<"apiUrl" | "token", PropertySpec> = {
  apiUrl: str(
    "The Antryk Access API URL, for example `https://api.antryk.com`. Default: the `ANTRYK_API_URL` environment variable. Changing it replaces the provider, and so every resource it manages: a token is only ever sent to the URL configured with it.",
  ),
  token: {
    ...str(
      "The API token of a member holding `access:manage` in the workspaces this provider manages (a token belongs to one workspace). Default: the `ANTRYK_TOKEN` environment variable. Always stored as a secret; a rotation is an in-place update of the provider.",
    ),
    secret: true,
  },
};

/** RESOURCES describes every resource of the package, by name. */
export const RESOURCES: Record<ResourceKindName, ResourceSpec> = {
  WorkspaceAccess: {
    operations: "workspaceAccess",
    description: [
      "A whole workspace's access from one access document (`access.yaml`, version 1): members, groups, custom roles, policies and safety rails, planned against the live workspace on every preview and applied with every safety rail, by the same engine as the `antryk-access` CLI.",
      "",
      "Give exactly one of `file` (a path to access.yaml, relative to the program folder; its `imports:` resolve relative to the file) or `document` (the same content as an object). A preview reports the plan (counts, the people removed by name, any blocked safety rail) in its diagnostics. Deleting the resource removes nobody unless `removeOnDelete` is true; then it removes exactly what the last apply named.",
      "",
      "## Import",
      "",
      "The import id is the workspace name. The import records the workspace with no document: add `file` or `document` to the generated code before the next `pulumi up`.",
      "",
      "```sh",
      "pulumi import antryk:index:WorkspaceAccess prod acme-prod",
      "```",
    ].join("\n"),
    inputs: {
      workspace: WORKSPACE,
      file: str("Path to the access document (access.yaml), relative to the program folder. Exactly one of `file` and `document`."),
      document: {
        type: "object",
        additionalProperties: { $ref: "pulumi.json#/Any" },
        description:
          "The access document as an object (the content of access.yaml; `version` and `workspace` may be left out). Exactly one of `file` and `document`. When it is a secret, the outputs derived from it are secrets and the preview diagnostics name nobody.",
      },
      removeOnDelete: bool("On delete, remove the members, invitations and custom roles the last apply named. Default false: stop managing, remove nobody."),
      adoptExisting: ADOPT("(with `removeOnDelete`) people and custom roles the document names"),
      allowSelfChange: bool("Let the plan demote or remove the member whose token applies it (the CLI's `--allow-self-change`). Default false."),
    },
    requiredInputs: ["workspace"],
    replaceOnChanges: ["workspace"],
    outputs: {
      owner: str("The workspace owner's email."),
      revision: int("The workspace revision (it bumps on every change)."),
      memberCount: int("Active members."),
      pendingInvitationCount: int("Pending invitations."),
      customRoleCount: int("Custom roles."),
      contentDigest: str("`sha256:…` of the resolved document (the file and every library it imports): an edited file changes it, so a preview shows the edit."),
      lastApplied: counts("What the last apply did, by change kind, with `total` and `highRisk`; failed changes are not counted."),
      drift: counts("What a plan would change now, by change kind (`total` 0 right after an apply)."),
      driftChanges: strings("The first 50 changes of the drift, one line each (`updateMember bob@acme.io`)."),
      driftChangeCount: int("How many changes the drift has."),
      driftKnown: bool("False when the last refresh could not read the document (a `file` that is gone): the drift outputs are then absent rather than stale, until the next `pulumi up`."),
      warnings: strings("The first 50 plan warnings."),
      warningCount: int("How many plan warnings there are."),
      manager: MANAGER,
    },
    importId: { format: "<workspace>", example: "acme-prod" },
  },
  Member: {
    operations: "member",
    description: [
      "One person in a workspace, by email, with a role (built-in `account-admin` or `developer`, or a custom role) and extra permissions.",
      "",
      "Create invites the person. A role change is made in place. A changed `email` or `workspace` creates the new person before removing the old one (if the create fails, nobody is removed). Delete removes the member or revokes the pending invitation; the owner and the token's own member are never changed. The outputs carry the status and ids, never an invitation token.",
      "",
      "## Import",
      "",
      "The import id is `<workspace>/<email>`: an active member, or a pending or expired invitation. An import writes nothing, so the person keeps their `managedBy` marker: import whom nobody manages, or whom the dynamic `Member` of the same name in this stack managed (its manager id is this resource's); someone another stack or an access file manages stays theirs, and a change is refused naming them (declare the resource with `adoptExisting` instead to take them over).",
      "",
      "```sh",
      "pulumi import antryk:index:Member gus acme-prod/gus@acme.io",
      "```",
    ].join("\n"),
    inputs: {
      workspace: WORKSPACE,
      email: str("The person's email address (trimmed and compared case-insensitively). Changing it creates the new person, then removes the old one."),
      role: str("`account-admin`, `developer`, or the name of a custom role."),
      permissions: strings("Extra permission ids on top of the role (for example `domains:manage`); the owner-only permissions cannot be granted."),
      expires: str("Time-bound access, a date (`YYYY-MM-DD`) as `expires` in access.yaml: sent as `accessExpiresAt`, the end of that day in UTC, from which the server refuses the member's tokens."),
      adoptExisting: ADOPT("a person who"),
    },
    requiredInputs: ["workspace", "email", "role"],
    replaceOnChanges: ["workspace", "email"],
    outputs: {
      status: str("`active` (a member), `pending` or `expired` (an invitation)."),
      memberId: str("The member id, once the person is a member."),
      invitationId: str("The invitation id, while the person is invited."),
      invitationExpiresAt: str("When the invitation expires (RFC 3339)."),
      accessExpiresAt: str("When the person's access ends on the server (RFC 3339), from `expires`."),
      sendCount: int("How many times the invitation was sent."),
      effectivePermissions: strings("The member's role permissions and extra grants together."),
      joinedAt: str("When the person joined (RFC 3339)."),
      invitedBy: str("Who sent the invitation."),
      adopted: bool("The person was already a member or invited when the resource was created."),
      manager: MANAGER,
      adoptedFrom: str("The manager this resource took the person over from with `adoptExisting`; deleting the resource hands them back to it (with their access) when it is another stack or an access file."),
    },
    importId: { format: "<workspace>/<email>", example: "acme-prod/gus@acme.io" },
  },
  CustomRole: {
    operations: "customRole",
    description: [
      "A custom role of a workspace: a named set of permissions. Created or replaced by PUT; deleting it fails, naming the holders, while anyone still holds it.",
      "",
      "## Import",
      "",
      "The import id is `<workspace>/<roleName>`.",
      "",
      "```sh",
      "pulumi import antryk:index:CustomRole releaseManager acme-prod/release-manager",
      "```",
    ].join("\n"),
    inputs: {
      workspace: WORKSPACE,
      roleName: str("The role's name: lower case letters, digits and `-`, starting with a letter, not a built-in role's name. Changing it replaces the role (the new one is created first)."),
      description: str("What the role is for."),
      permissions: strings("The permission ids the role grants; the owner-only permissions cannot be granted."),
      adoptExisting: ADOPT("a custom role of the same name"),
    },
    requiredInputs: ["workspace", "roleName", "permissions"],
    replaceOnChanges: ["workspace", "roleName"],
    outputs: {
      version: int("The role's version (it bumps on every change)."),
      holderCount: int("Members and pending invitations holding the role."),
      manager: MANAGER,
    },
    importId: { format: "<workspace>/<roleName>", example: "acme-prod/release-manager" },
  },
};

/** PACKAGE is the package name: resource tokens are `antryk:index:<name>`, the provider's type `pulumi:providers:antryk`. */
export const PACKAGE = "antryk";

/** tokenOf is the type token of a resource. */
export function tokenOf(kind: ResourceKindName): string {
  return `${PACKAGE}:index:${kind}`;
}

/** kindOfType finds the resource a type token names, or null (a type of another package, or unknown). */
export function kindOfType(type: string): ResourceKindName | null {
  for (const kind of Object.keys(RESOURCES) as ResourceKindName[]) if (tokenOf(kind) === type) return kind;
  return null;
}
