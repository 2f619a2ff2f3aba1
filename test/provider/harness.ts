import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";

/**
 * The engine-sequence harness: it plays the part of the Pulumi engine for the real
 * dynamic-provider host that ships in @pulumi/pulumi (`cmd/dynamic-provider`). The
 * host is started as a child process exactly as the engine starts it (one argument:
 * an engine address, which this version of the host never dials), prints the port it
 * serves, and is driven over gRPC with the SDK's own generated stubs: Configure,
 * Check, Diff, Create, Read, Update, Delete, each carrying `__provider`, the text
 * that `pulumi.runtime.serializeFunction` produced from our provider object.
 *
 * `EngineResource` then strings those calls together the way `pulumi up`, `pulumi
 * refresh` and `pulumi destroy` do for one resource (check → create, or check → diff
 * → update / replace; read; delete), keeping the state (inputs and outputs) between
 * steps as the engine's checkpoint does.
 */

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

const requireFromPulumi = createRequire(path.join(REPO_ROOT, "node_modules/@pulumi/pulumi/package.json"));
// The stubs, Struct and grpc-js instance the host itself uses, so messages match byte for byte.
const grpc = requireFromPulumi("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const provrpc = requireFromPulumi("./proto/provider_grpc_pb.js");
const provproto = requireFromPulumi("./proto/provider_pb.js");
const structproto = requireFromPulumi("google-protobuf/google/protobuf/struct_pb.js");
const statusproto = requireFromPulumi("./proto/status_pb.js");

/** HOST_SCRIPT is the dynamic-provider host the engine runs for `pulumi-nodejs:dynamic:*` resources. */
export const HOST_SCRIPT = path.join(REPO_ROOT, "node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js");

/** SECRET_SIG is the signature key the engine uses to mark a secret value inside a Struct. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/** isSecretValue tells whether a value is the engine's secret envelope. */
export function isSecretValue(value: unknown): value is { value: unknown } {
  return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE;
}

/**
 * plain strips secret envelopes at any depth, as the engine does before sending
 * properties to a provider that did not accept secrets (the dynamic-provider host answers
 * Configure with acceptSecrets false); the checkpoint keeps them.
 */
export function plain(value: unknown): any {
  if (isSecretValue(value)) return plain(value.value);
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** secret wraps a value the way the engine sends a `pulumi config set --secret` value. */
export function secret(value: unknown): Record<string, unknown> {
  return { [SECRET_SIG]: SECRET_VALUE, value };
}

export type Props = Record<string, unknown>;
export interface CheckFailure {
  property: string;
  reason: string;
}
export interface CheckResult {
  inputs: Props;
  failures: CheckFailure[];
}
export type DiffChanges = "none" | "some" | "unknown";
export interface DiffResult {
  changes: DiffChanges;
  replaces: string[];
  deleteBeforeReplace: boolean;
  /** detailed: the provider's detailed diff, property → kind (the native plugin sends one; the dynamic host never does). */
  detailed?: Record<string, string>;
}

/** InitFailed is the detail a Create/Update error carries when the resource exists but is not fully applied. */
export interface InitFailed {
  id: string;
  properties: Props;
  reasons: string[];
}

/** HostError is a gRPC failure answered by the host; `message` is what the engine would print. */
export class HostError extends Error {
  constructor(
    readonly method: string,
    message: string,
    readonly code: number,
    readonly initFailed?: InitFailed,
  ) {
    super(message);
    this.name = "HostError";
  }
}

/** initFailedOf decodes `grpc-status-details-bin` into the ErrorResourceInitFailed detail, as the engine does. */
function initFailedOf(metadata: { get(key: string): unknown[] } | undefined): InitFailed | undefined {
  const raw = metadata?.get("grpc-status-details-bin")[0];
  if (!(raw instanceof Uint8Array)) return undefined;
  const status = statusproto.Status.deserializeBinary(raw);
  for (const any of status.getDetailsList()) {
    if (any.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
    const detail = any.unpack(provproto.ErrorResourceInitFailed.deserializeBinary, "pulumirpc.ErrorResourceInitFailed");
    return { id: detail.getId(), properties: detail.getProperties()?.toJavaScript() ?? {}, reasons: detail.getReasonsList() };
  }
  return undefined;
}

const toStruct = (value: Props) => structproto.Struct.fromJavaScript(value);

/** PROTO are the engine's generated message classes, for tests that build other requests. */
export const PROTO = { provproto, grpc, structproto, requireFromPulumi, toStruct };

const DETAILED_KINDS = ["add", "add-replace", "delete", "delete-replace", "update", "update-replace"] as const;

/** diffResultOf decodes a DiffResponse; `detailed` (property → kind) only when the provider sent a detailed diff. */
export function diffResultOf(resp: any): DiffResult {
  const kinds = provproto.DiffResponse.DiffChanges;
  const changes: DiffChanges = resp.getChanges() === kinds.DIFF_SOME ? "some" : resp.getChanges() === kinds.DIFF_NONE ? "none" : "unknown";
  const result: DiffResult = { changes, replaces: resp.getReplacesList(), deleteBeforeReplace: resp.getDeletebeforereplace() };
  if (resp.getHasdetaileddiff()) {
    const detailed: Record<string, string> = {};
    resp.getDetaileddiffMap().forEach((v: any, k: string) => (detailed[k] = DETAILED_KINDS[v.getKind() as number] ?? "unknown"));
    result.detailed = detailed;
  }
  return result;
}

/** ProviderHost is one running dynamic-provider host process and a gRPC client to it. */
export class ProviderHost {
  private stderrText = "";
  private stdoutText = "";
  private readonly answers: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    private readonly client: any,
  ) {
    child.stderr?.on("data", (d: Buffer) => (this.stderrText += d.toString("utf8")));
  }

  /**
   * start launches the host in `cwd` (the engine runs it in the program's folder, which
   * is where the serialized provider resolves `antryk-access` from) and waits for the
   * port line on stdout.
   */
  static async start(options: { cwd?: string; env?: NodeJS.ProcessEnv; args?: string[] } = {}): Promise<ProviderHost> {
    // `args` starts another plugin the same way (test/provider/native/engine.ts: the native plugin and the engine address it logs to).
    const child = spawn(process.execPath, options.args ?? [HOST_SCRIPT, "127.0.0.1:1"], {
      cwd: options.cwd ?? REPO_ROOT,
      env: options.env ?? stripAntrykEnv(process.env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    const port = await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`dynamic-provider host exited with ${code} before serving: ${stderr}`)));
      child.stdout?.on("data", (d: Buffer) => {
        stdout += d.toString("utf8");
        const line = stdout.split("\n")[0];
        if (stdout.includes("\n") && line) {
          const n = Number(line.trim());
          if (Number.isInteger(n) && n > 0) resolve(n);
          else reject(new Error(`unexpected first line from the host: ${line}`));
        }
      });
    });
    child.removeAllListeners("exit");
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const host = new ProviderHost(child, client);
    host.stderrText = stderr;
    child.stdout?.on("data", (d: Buffer) => (host.stdoutText += d.toString("utf8")));
    return host;
  }

  /** output is everything the host printed (stdout after the port line, and stderr): the engine shows it to the user. */
  output(): string {
    return this.stdoutText + this.stderrText;
  }

  /**
   * outputAfter waits, event-driven, until what the host printed after offset `from`
   * contains `text` (its stderr can arrive after its gRPC answer), and returns that part.
   */
  async outputAfter(from: number, text: string): Promise<string> {
    const seen = () => this.output().slice(from);
    if (seen().includes(text)) return seen();
    return new Promise((resolve) => {
      const listener = () => {
        if (!seen().includes(text)) return;
        this.child.stderr?.off("data", listener);
        this.child.stdout?.off("data", listener);
        resolve(seen());
      };
      this.child.stderr?.on("data", listener);
      this.child.stdout?.on("data", listener);
    });
  }

  /** transcript is every answer the host gave (responses as JSON, error messages): what the engine would see, log or store. */
  transcript(): string {
    return this.answers.join("\n");
  }

  private call<T>(method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      this.client[method](request, (err: { code: number; details?: string; message: string; metadata?: any } | null, resp: T) => {
        if (err) {
          const initFailed = initFailedOf(err.metadata);
          this.answers.push(`${method} error: ${err.details ?? err.message}${initFailed ? ` ${JSON.stringify(initFailed)}` : ""}`);
          reject(new HostError(method, err.details ?? err.message, err.code, initFailed));
        } else {
          this.answers.push(`${method}: ${JSON.stringify((resp as { toObject?: () => unknown }).toObject?.() ?? null)}`);
          resolve(resp);
        }
      });
    });
  }

  /** configure sends the stack configuration (namespaced keys, secrets wrapped) as the engine does since Pulumi 3.140. */
  async configure(config: Props): Promise<void> {
    const req = new provproto.ConfigureRequest();
    req.setArgs(toStruct(config));
    const vars = req.getVariablesMap();
    for (const [k, v] of Object.entries(config)) {
      const plain = v && typeof v === "object" && SECRET_SIG in v ? (v as unknown as { value: unknown }).value : v;
      vars.set(k, typeof plain === "string" ? plain : JSON.stringify(plain));
    }
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    await this.call("configure", req);
  }

  async check(urn: string, olds: Props, news: Props): Promise<CheckResult> {
    const req = new provproto.CheckRequest();
    req.setUrn(urn);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    const resp = await this.call<any>("check", req);
    return {
      inputs: resp.getInputs()?.toJavaScript() ?? {},
      failures: resp.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(id: string, urn: string, olds: Props, news: Props, oldInputs?: Props): Promise<DiffResult> {
    const req = new provproto.DiffRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(toStruct(plain(olds)));
    req.setNews(toStruct(plain(news)));
    if (oldInputs) req.setOldInputs(toStruct(plain(oldInputs)));
    const resp = await this.call<any>("diff", req);
    return diffResultOf(resp);
  }

  /** rpc calls any other method with a request the caller built (CheckConfig, DiffConfig, GetSchema, Cancel: test/provider/native/engine.ts). */
  rpc<T>(method: string, request: unknown): Promise<T> {
    return this.call<T>(method, request);
  }

  async create(urn: string, properties: Props): Promise<{ id: string; properties: Props }> {
    const req = new provproto.CreateRequest();
    req.setUrn(urn);
    req.setProperties(toStruct(properties));
    const resp = await this.call<any>("create", req);
    return { id: resp.getId(), properties: resp.getProperties()?.toJavaScript() ?? {} };
  }

  async read(id: string, urn: string, properties: Props, inputs?: Props): Promise<{ id: string; properties: Props; inputs?: Props }> {
    const req = new provproto.ReadRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(toStruct(plain(properties)));
    if (inputs) req.setInputs(toStruct(plain(inputs)));
    const resp = await this.call<any>("read", req);
    const result: { id: string; properties: Props; inputs?: Props } = {
      id: resp.getId(),
      properties: resp.getProperties()?.toJavaScript() ?? {},
    };
    const newInputs = resp.getInputs()?.toJavaScript();
    if (newInputs) result.inputs = newInputs;
    return result;
  }

  async update(id: string, urn: string, olds: Props, news: Props, oldInputs?: Props): Promise<{ properties: Props }> {
    const req = new provproto.UpdateRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(toStruct(plain(olds)));
    req.setNews(toStruct(plain(news)));
    if (oldInputs) req.setOldInputs(toStruct(plain(oldInputs)));
    const resp = await this.call<any>("update", req);
    return { properties: resp.getProperties()?.toJavaScript() ?? {} };
  }

  async delete(id: string, urn: string, properties: Props, oldInputs?: Props): Promise<void> {
    const req = new provproto.DeleteRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(toStruct(plain(properties)));
    if (oldInputs) req.setOldInputs(toStruct(plain(oldInputs)));
    await this.call("delete", req);
  }

  /** stop closes the client and ends the host process (the engine kills provider plugins at the end of an operation). */
  async stop(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.kill("SIGTERM");
    });
  }
}

/** stripAntrykEnv removes ANTRYK_* so a test decides explicitly where credentials come from. */
export function stripAntrykEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith("ANTRYK_")));
}

export { CheckFailedError, EngineResource, type ResourceState, type UpStep } from "./engine-resource.js";
