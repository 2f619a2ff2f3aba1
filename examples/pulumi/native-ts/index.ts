import * as pulumi from "@pulumi/pulumi";
import * as antryk from "antryk-access/pulumi";

// The native provider (pulumi-resource-antryk) from TypeScript: the same resources as the
// Python example beside this one. The default provider reads the stack config:
//   pulumi config set antryk:apiUrl https://api.antryk.com
//   pulumi config set --secret antryk:token <token of an access:manage member of acme-prod>
// and a second workspace gets its own provider instance, with its own token:
//   pulumi config set --secret sandboxToken <token of an access:manage member of acme-sandbox>
const config = new pulumi.Config();

// acme-prod as a whole, from the access.yaml the CLI plans and applies.
export const prod = new antryk.WorkspaceAccess("acme-prod", {
  workspace: "acme-prod",
  file: "../../access.yaml",
});

// acme-sandbox person by person, through an explicit provider instance.
const sandbox = new antryk.Provider("sandbox", {
  apiUrl: config.get("sandboxApiUrl") ?? "https://api.antryk.com",
  token: config.requireSecret("sandboxToken"),
});

const releaseManager = new antryk.CustomRole(
  "sandbox-release-manager",
  {
    workspace: "acme-sandbox",
    roleName: "release-manager",
    description: "Ships services to the sandbox",
    permissions: ["deployments:read", "deployments:create", "logs:read"],
  },
  { provider: sandbox },
);

// Someone already in the workspace is brought in with `pulumi import`, not re-invited:
//   pulumi import antryk:index:Member sandbox-dana acme-sandbox/dana@acme.io --provider sandbox=<provider urn>
const dana = new antryk.Member(
  "sandbox-dana",
  {
    workspace: "acme-sandbox",
    email: "dana@acme.io",
    role: releaseManager.roleName,
    permissions: ["config:read"],
  },
  { provider: sandbox },
);

export const prodDrift = prod.drift;
export const danaStatus = dana.status;
