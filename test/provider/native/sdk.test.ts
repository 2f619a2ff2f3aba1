import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initWorkspace } from "../../../server/index.js";
import { EngineResource, REPO_ROOT, secret } from "../harness.js";
import { makeProgramDir, startWorkspace } from "../fixtures.js";
import { configureProvider, EngineServer, startNative } from "./engine.js";

// The TypeScript SDK (antryk-access/pulumi) in a program under pulumi.runtime.setMocks:
// the resource tokens, an explicit provider instance passed as `provider`, a secret token,
// `get` by import id; then the inputs it registered driven through the plugin.

const run = promisify(execFile);

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  provider: string | null;
  id: string | null;
}

let program: { registered: Registered[]; outputs: Record<string, unknown> };
let programDir: string;
beforeAll(async () => {
  programDir = await makeProgramDir();
  const { stdout } = await run(process.execPath, [path.join(REPO_ROOT, "test/provider/native/sdk-child.mjs")], { cwd: programDir });
  program = JSON.parse(stdout) as typeof program;
});
afterAll(async () => {
  await rm(programDir, { recursive: true, force: true });
});

describe("antryk-access/pulumi under setMocks", () => {
  it("registers the provider instance and the resources with their tokens, the instance as their provider", () => {
    const byName = Object.fromEntries(program.registered.map((r) => [r.name, r]));
    expect(byName.sandbox).toMatchObject({ type: "pulumi:providers:antryk", inputs: { apiUrl: "http://127.0.0.1:9" } });
    // The SDK registers the token as a secret (the engine stores it encrypted).
    expect(byName.sandbox!.inputs.token).toEqual(secret("sandbox-token"));
    expect(byName.releaser).toMatchObject({ type: "antryk:index:CustomRole", inputs: { workspace: "acme-sandbox", roleName: "releaser" } });
    expect(byName.dana).toMatchObject({ type: "antryk:index:Member", inputs: { email: "dana@acme.io", role: "releaser" } });
    expect(byName.releaser!.provider).toMatch(/^urn:pulumi:dev::acme-access::pulumi:providers:antryk::sandbox::/);
    expect(byName.dana!.provider).toBe(byName.releaser!.provider);
    expect(byName.prod).toMatchObject({ type: "antryk:index:WorkspaceAccess" });
    // Without the option, the default provider (the stack config antryk:apiUrl / antryk:token).
    expect(byName.prod!.provider ?? "default").not.toContain("::sandbox::");
    expect(program.outputs).toMatchObject({ danaStatus: "pending", gusId: "acme-prod/gus@acme.io" });
  });

  it("what the program registered converges through the plugin, configured as the engine configures the provider instance", async () => {
    const ws = await startWorkspace();
    const engine = await EngineServer.start();
    const plugin = await startNative(engine, { cwd: programDir });
    try {
      const token = initWorkspace(ws.dbPath, { workspace: "acme-sandbox", owner: "lab@acme.io" });
      const provider = program.registered.find((r) => r.name === "sandbox")!;
      // The engine sends the provider's inputs, its secret token wrapped, to Configure.
      await configureProvider(plugin, { ...provider.inputs, apiUrl: ws.url, token: secret(token) });
      for (const name of ["releaser", "dana"]) {
        const r = program.registered.find((x) => x.name === name)!;
        const resource = new EngineResource(plugin, r.type, r.name, null);
        const inputs = Object.fromEntries(Object.entries(r.inputs).filter(([, v]) => v !== undefined && v !== null));
        expect(await resource.register(inputs)).toBe("create");
        expect(await resource.register(inputs)).toBe("same");
        expect(JSON.stringify(resource.state)).not.toContain(token);
      }
    } finally {
      await plugin.stop();
      await engine.stop();
      await ws.close();
    }
  });
});
