import path from "node:path";
import { diffResultOf, ProviderHost, PROTO, REPO_ROOT, stripAntrykEnv, type CheckResult, type DiffResult, type Props } from "../harness.js";

/**
 * The engine's side of a native plugin, played by the test: the Engine gRPC service the
 * plugin logs to (the engine hides a native plugin's stdout, so its Log service is the
 * only channel a preview's report has), and `startNative`, which starts
 * `pulumi-resource-antryk` the way the engine starts a resource plugin (its address as
 * the argument, after the engine's logging flags), reads its port and returns a
 * ProviderHost driving it with the engine's own protobuf messages.
 */

const { grpc, requireFromPulumi } = PROTO;
const enginerpc = requireFromPulumi("./proto/engine_grpc_pb.js");
const engineproto = requireFromPulumi("./proto/engine_pb.js");
const emptyproto = requireFromPulumi("google-protobuf/google/protobuf/empty_pb.js");

/** PLUGIN_MAIN is the compiled plugin the package's `pulumi-resource-antryk` bin runs. */
export const PLUGIN_MAIN = path.join(REPO_ROOT, "dist/provider/native/main.js");

/** LogEntry is one engine Log call: severity, message and the URN it is about. */
export interface LogEntry {
  severity: "debug" | "info" | "warning" | "error";
  message: string;
  urn: string;
}

/** EngineServer is the engine's Log service, recording every call. */
export class EngineServer {
  readonly entries: LogEntry[] = [];
  private readonly waiters: (() => void)[] = [];

  private constructor(
    private readonly server: any,
    readonly address: string,
  ) {}

  static async start(): Promise<EngineServer> {
    const server = new grpc.Server();
    let self: EngineServer | undefined;
    const severities = ["debug", "info", "warning", "error"] as const;
    server.addService(enginerpc.EngineService, {
      log: (call: any, callback: any) => {
        const r = call.request;
        self!.entries.push({ severity: severities[r.getSeverity() as number] ?? "info", message: r.getMessage(), urn: r.getUrn() });
        for (const w of self!.waiters.splice(0)) w();
        callback(null, new emptyproto.Empty());
      },
      getRootResource: (_call: any, callback: any) => callback(null, new engineproto.GetRootResourceResponse()),
      setRootResource: (_call: any, callback: any) => callback(null, new engineproto.SetRootResourceResponse()),
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err: Error | null, p: number) => (err ? reject(err) : resolve(p))),
    );
    self = new EngineServer(server, `127.0.0.1:${port}`);
    return self;
  }

  /** text is every logged message, one per line, prefixed by the URN's name. */
  text(): string {
    return this.entries.map((e) => `${e.urn.split("::").pop() ?? ""}: ${e.message}`).join("\n");
  }

  /** stop ends the server. */
  stop(): Promise<void> {
    return new Promise((resolve) => this.server.tryShutdown(() => resolve()));
  }
}

/** startNative starts the native plugin in `cwd` with `engine` as its engine and returns a host driving it. */
export async function startNative(engine: EngineServer, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ProviderHost> {
  return ProviderHost.start({
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? stripAntrykEnv(process.env),
    args: [PLUGIN_MAIN, "--logtostderr", "-v=0", engine.address],
  });
}

const { provproto, toStruct } = PROTO;

/** checkConfig is the engine's CheckConfig of a provider resource (its inputs: `apiUrl`, `token`). */
export async function checkConfig(host: ProviderHost, urn: string, olds: Props, news: Props): Promise<CheckResult> {
  const req = new provproto.CheckRequest();
  req.setUrn(urn);
  req.setOlds(toStruct(olds));
  req.setNews(toStruct(news));
  const resp = await host.rpc<any>("checkConfig", req);
  return {
    inputs: resp.getInputs()?.toJavaScript() ?? {},
    failures: resp.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
  };
}

/** diffConfig is the engine's DiffConfig of a provider resource: old outputs and inputs against the checked new inputs. */
export async function diffConfig(host: ProviderHost, urn: string, olds: Props, news: Props): Promise<DiffResult> {
  const req = new provproto.DiffRequest();
  req.setUrn(urn);
  req.setOlds(toStruct(olds));
  req.setOldInputs(toStruct(olds));
  req.setNews(toStruct(news));
  return diffResultOf(await host.rpc<any>("diffConfig", req));
}

/** configureProvider sends Configure as the engine does for a provider resource: its inputs in `args`, secrets wrapped. */
export async function configureProvider(host: ProviderHost, args: Props): Promise<{ acceptSecrets: boolean; supportsPreview: boolean }> {
  const req = new provproto.ConfigureRequest();
  req.setArgs(toStruct(args));
  req.setAcceptsecrets(true);
  req.setAcceptresources(true);
  const resp = await host.rpc<any>("configure", req);
  return { acceptSecrets: resp.getAcceptsecrets(), supportsPreview: resp.getSupportspreview() };
}
