// Runs a compiled Pulumi program under pulumi.runtime.setMocks and prints what it
// registered: each resource's type, name and inputs (the `__provider` text replaced by
// its length) and the program's exports. Plain node, so the program loads the compiled
// antryk-access exactly as `pulumi up` would.
// usage: node program-child.mjs <program folder> [entry file, default index.js]
import path from "node:path";
import { pathToFileURL } from "node:url";
import * as pulumi from "@pulumi/pulumi";

const programDir = process.argv[2];
const entry = process.argv[3] ?? "index.js";
const registered = [];
await pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      const { __provider, ...inputs } = args.inputs;
      registered.push({ type: args.type, name: args.name, inputs, providerTextLength: typeof __provider === "string" ? __provider.length : 0 });
      const outputs = args.type.endsWith(":Member") ? { status: "pending" } : args.type.endsWith(":WorkspaceAccess") ? { revision: 7, drift: { total: 0 } } : {};
      return { id: `${args.name}-id`, state: { ...args.inputs, ...outputs } };
    },
    call: () => ({}),
  },
  "acme-access",
  "dev",
  false,
);
const program = await import(pathToFileURL(path.join(programDir, entry)).href);
const exports = {};
for (const [name, value] of Object.entries(program)) {
  const output = pulumi.Output.isInstance(value) ? value : value?.urn;
  exports[name] = await new Promise((resolve) => output.apply(resolve));
}
process.stdout.write(JSON.stringify({ registered, exports }));
