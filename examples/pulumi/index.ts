import * as pulumi from "@pulumi/pulumi";
import { CustomRole, Member, WorkspaceAccess } from "antryk-access/provider";

// Credentials are stack config, never resource inputs:
//   pulumi config set antryk:apiUrl https://api.antryk.com
//   pulumi config set --secret antryk:token <token of a member holding access:manage>
// (or ANTRYK_API_URL / ANTRYK_TOKEN in the environment of `pulumi up`).
const config = new pulumi.Config();
const sandbox = config.get("sandboxWorkspace") ?? "acme-sandbox";

// acme-prod is managed as a whole from the same access.yaml the CLI plans and applies:
// members, groups, custom roles and the safety rails. A `pulumi preview` shows whether
// the plan against the live workspace has changes; `pulumi refresh` reports drift.
export const prod = new WorkspaceAccess("acme-prod", {
  workspace: "acme-prod",
  file: "../access.yaml",
});

// acme-sandbox is managed person by person. (Do not also name these people in an
// authoritative access.yaml for the same workspace: that document would remove them.)
const releaseManager = new CustomRole("sandbox-release-manager", {
  workspace: sandbox,
  roleName: "release-manager",
  description: "Ships services to the sandbox",
  permissions: ["deployments:read", "deployments:create", "logs:read"],
});

// Creating a Member invites the person, or adopts their existing membership or pending
// invitation and brings it to these inputs.
// Taking the role from the CustomRole's output orders the two: the role exists first.
const dana = new Member("sandbox-dana", {
  workspace: sandbox,
  email: "dana@acme.io",
  role: releaseManager.roleName,
  permissions: ["config:read"],
});

export const prodRevision = prod.revision;
export const prodDrift = prod.drift;
export const danaStatus = dana.status;
