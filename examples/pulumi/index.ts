import * as pulumi from "@pulumi/pulumi";
import { CustomRole, Member, WorkspaceAccess } from "antryk-access/provider";

// Credentials are stack config, never resource inputs, and a token belongs to one
// workspace. Each resource names the config key of its token; a token is sent only to
// the API URL configured with it:
//   pulumi config set antryk:apiUrl https://api.antryk.com
//   pulumi config set --secret antryk:token <token of an access:manage member of acme-prod>
//   pulumi config set --secret antryk:sandboxToken <token of an access:manage member of acme-sandbox>
// (antryk:sandboxApiUrl, when set, is the URL for antryk:sandboxToken; else antryk:apiUrl.)
const config = new pulumi.Config();
const sandbox = config.get("sandboxWorkspace") ?? "acme-sandbox";

// acme-prod is managed as a whole from the same access.yaml the CLI plans and applies:
// members, groups, custom roles and the safety rails, with the default token
// (antryk:token). `pulumi preview` reports the plan (counts, removals by name, rail
// violations) in its diagnostics; `pulumi refresh` reports drift.
export const prod = new WorkspaceAccess("acme-prod", {
  workspace: "acme-prod",
  file: "../access.yaml",
});

// acme-sandbox is managed person by person, with the sandbox token. (Do not also name
// these people in an authoritative access.yaml for the same workspace: that document
// would remove them.)
const sandboxCredential = { tokenConfig: "antryk:sandboxToken" };

const releaseManager = new CustomRole("sandbox-release-manager", {
  ...sandboxCredential,
  workspace: sandbox,
  roleName: "release-manager",
  description: "Ships services to the sandbox",
  permissions: ["deployments:read", "deployments:create", "logs:read"],
});

// Creating a Member invites the person. Someone who is already a member or invited is
// taken over only with `adoptExisting: true` (the dynamic provider's `pulumi import`).
// Taking the role from the CustomRole's output orders the two: the role exists first.
const dana = new Member("sandbox-dana", {
  ...sandboxCredential,
  workspace: sandbox,
  email: "dana@acme.io",
  role: releaseManager.roleName,
  permissions: ["config:read"],
});

export const prodRevision = prod.revision;
export const prodDrift = prod.drift;
export const danaStatus = dana.status;
