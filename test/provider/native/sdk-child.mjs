// A Pulumi program using the TypeScript SDK of the native provider (antryk-access/pulumi)
// under pulumi.runtime.setMocks; prints what it registered: type, name, inputs, the
// provider reference of each resource, and the program's outputs. Plain node, so it
// loads the compiled package exactly as `pulumi up` would.
import * as pulumi from "@pulumi/pulumi";

const registered = [];
await pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider ?? null, id: args.id ?? null });
      const outputs = args.type === "antryk:index:Member" ? { status: "pending" } : {};
      return { id: args.id ?? `${args.name}-id`, state: { ...args.inputs, ...outputs } };
    },
    call: () => ({}),
  },
  "acme-access",
  "dev",
  false,
);
const antryk = await import("antryk-access/pulumi");
const sandbox = new antryk.Provider("sandbox", { apiUrl: "http://127.0.0.1:9", token: "sandbox-token" });
const role = new antryk.CustomRole("releaser", { workspace: "acme-sandbox", roleName: "releaser", permissions: ["deployments:read"] }, { provider: sandbox });
const dana = new antryk.Member("dana", { workspace: "acme-sandbox", email: "dana@acme.io", role: role.roleName }, { provider: sandbox });
const prod = new antryk.WorkspaceAccess("prod", { workspace: "acme-prod", file: "access.yaml" });
const looked = antryk.Member.get("gus", "acme-prod/gus@acme.io");
const value = (o) => new Promise((resolve) => o.apply(resolve));
const outputs = { danaStatus: await value(dana.status), prodUrn: await value(prod.urn), gusId: await value(looked.id) };
process.stdout.write(JSON.stringify({ registered, outputs }));
