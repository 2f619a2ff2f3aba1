// Prints the `__provider` text of each antryk-access resource class, produced exactly as
// in a Pulumi program: the real resource classes are constructed under
// pulumi.runtime.setMocks and the mock monitor records the inputs they register.
// Run with plain node (not vitest), so the functions serialized are the compiled
// dist/ code a user's program would load, untouched by any test transform.
import * as pulumi from "@pulumi/pulumi";

const texts = {};
await pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      texts[args.type.split(":").pop()] = args.inputs.__provider;
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: () => ({}),
  },
  "antryk-access-test",
  "test",
  false,
);
const { WorkspaceAccess, Member, CustomRole } = await import("antryk-access/provider");
const resources = [
  new WorkspaceAccess("wa", { workspace: "w", file: "access.yaml" }),
  new Member("m", { workspace: "w", email: "a@example.com", role: "developer" }),
  new CustomRole("r", { workspace: "w", roleName: "release-manager", permissions: ["logs:read"] }),
];
await Promise.all(resources.map((r) => new Promise((resolve) => r.urn.apply(resolve))));
for (const name of ["WorkspaceAccess", "Member", "CustomRole"]) {
  if (typeof texts[name] !== "string") throw new Error(`no __provider text registered for ${name}`);
}
process.stdout.write(JSON.stringify(texts));
