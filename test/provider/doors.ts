import { rm } from "node:fs/promises";
import { initWorkspace } from "../../server/index.js";
import { EngineResource, ProviderHost, secret, stripAntrykEnv, type Props } from "./harness.js";
import { makeProgramDir, providerTexts, RESOURCE_TYPES, startWorkspace, type ProviderTexts, type Workspace } from "./fixtures.js";
import { configureProvider, EngineServer, startNative } from "./native/engine.js";

/**
 * The two Pulumi front doors behind one interface, so that one lifecycle suite runs
 * against both (test/provider/lifecycle.test.ts): the dynamic resources, driven through
 * the real dynamic-provider host with their `__provider` texts, and the native plugin
 * `pulumi-resource-antryk`, driven as the engine drives a resource plugin, with its Log
 * service played by the test. Each door has a default provider for `acme-prod` and, on
 * request, a second credential for `acme-sandbox`: `tokenConfig` for the dynamic
 * resources, a second provider instance (another plugin process) for the native ones.
 * Both write as the resource's manager id (provider/manager.ts managerOfUrn): the dynamic
 * resources get it as the hidden input `manager` their classes add in the program, the
 * native plugin derives it from the URN of each call.
 */

/** Kind is a resource of both doors. */
export type Kind = keyof ProviderTexts;

/** Instance picks the credential: the default provider or the sandbox workspace's. */
export type Instance = "default" | "sandbox";

/** SANDBOX is the second workspace, in the same server, with its own owner and token. */
export const SANDBOX = { workspace: "acme-sandbox", owner: "lab@acme.io" };

/** Door is one front door with its world: a workspace server, a program folder, the plugin(s) and their diagnostics. */
export interface Door {
  name: "dynamic" | "native";
  ws: Workspace;
  programDir: string;
  /** resource is a resource of `kind` under the given provider instance. */
  resource(kind: Kind, name: string, instance?: Instance): EngineResource;
  /** inputs adapts a resource's inputs to the instance (the dynamic door names the sandbox credential with tokenConfig). */
  inputs(instance: Instance, inputs: Props): Props;
  /** adopt brings an existing person or role under management the door's way: `pulumi import` (native) or `adoptExisting` (dynamic, which the engine cannot import). */
  adopt(resource: EngineResource, id: string, inputs: Props): Promise<void>;
  /** sandbox is the second workspace's token (created with the door) and starts its provider instance where the door needs one. */
  sandbox(): Promise<string>;
  /** log is what the user sees as the operation's diagnostics: the host's stdout (dynamic) or the engine's Log (native). */
  log(): string;
  /** logAfter waits, event-driven, until the log after offset `from` contains `text` (the host's stdout can trail its answer; the plugin logs before answering), and returns that part. */
  logAfter(from: number, text: string): Promise<string>;
  close(): Promise<void>;
}

const NATIVE_TYPES: Record<Kind, string> = { WorkspaceAccess: "antryk:index:WorkspaceAccess", Member: "antryk:index:Member", CustomRole: "antryk:index:CustomRole" };

/** dynamicDoor starts a workspace and the dynamic-provider host, configured with `antryk:apiUrl` and `antryk:token`. */
export async function dynamicDoor(): Promise<Door> {
  const texts = await providerTexts();
  const ws = await startWorkspace();
  const programDir = await makeProgramDir();
  const host = await ProviderHost.start({ cwd: programDir, env: stripAntrykEnv(process.env) });
  const config: Props = { "antryk:apiUrl": ws.url, "antryk:token": secret(ws.ownerToken) };
  // The dynamic host configures each provider once, when it first loads its text: the sandbox credential is configured from the start.
  const sandboxToken = initWorkspace(ws.dbPath, SANDBOX);
  await host.configure({ ...config, "antryk:sandboxToken": secret(sandboxToken) });
  return {
    name: "dynamic",
    ws,
    programDir,
    resource: (kind, name) => new EngineResource(host, RESOURCE_TYPES[kind], name, texts[kind], { programManager: true }),
    inputs: (instance, inputs) => (instance === "sandbox" ? { ...inputs, tokenConfig: "antryk:sandboxToken" } : inputs),
    async adopt(resource, _id, inputs) {
      if ((await resource.register({ ...inputs, adoptExisting: true })) !== "create") throw new Error("adoption did not create");
    },
    sandbox: async () => sandboxToken,
    log: () => host.output(),
    logAfter: (from, text) => host.outputAfter(from, text),
    async close() {
      await host.stop();
      await ws.close();
      await rm(programDir, { recursive: true, force: true });
    },
  };
}

/**
 * nativeDoor starts a workspace and the native plugin as the default provider
 * (configured from the stack config `antryk:apiUrl` / `antryk:token`, which the engine
 * passes as the provider's inputs), with the engine's Log service.
 */
export async function nativeDoor(): Promise<Door> {
  const ws = await startWorkspace();
  const programDir = await makeProgramDir();
  const engine = await EngineServer.start();
  const hosts: Partial<Record<Instance, ProviderHost>> = {};
  const start = async (instance: Instance, token: string) => {
    const host = await startNative(engine, { cwd: programDir });
    await configureProvider(host, { apiUrl: ws.url, token: secret(token) });
    hosts[instance] = host;
  };
  const sandboxToken = initWorkspace(ws.dbPath, SANDBOX);
  await start("default", ws.ownerToken);
  return {
    name: "native",
    ws,
    programDir,
    resource(kind, name, instance = "default") {
      const host = hosts[instance];
      if (host === undefined) throw new Error(`no ${instance} provider: call sandbox() first`);
      return new EngineResource(host, NATIVE_TYPES[kind], name, null);
    },
    inputs: (_instance, inputs) => inputs,
    async adopt(resource, id, inputs) {
      const failures = await resource.import(id);
      if (failures.length > 0) throw new Error(`import check failed: ${JSON.stringify(failures)}`);
      // The program then declares the resource with the inputs the import generated code for.
      if ((await resource.register(inputs)) !== "same") throw new Error("the first up after an import changed something");
    },
    async sandbox() {
      if (hosts.sandbox === undefined) await start("sandbox", sandboxToken);
      return sandboxToken;
    },
    log: () => engine.text(),
    logAfter: async (from) => engine.text().slice(from),
    async close() {
      for (const host of Object.values(hosts)) await host.stop();
      await engine.stop();
      await ws.close();
      await rm(programDir, { recursive: true, force: true });
    },
  };
}
