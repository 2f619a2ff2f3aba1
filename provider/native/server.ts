import { createRequire } from "node:module";
import { PACKAGE_VERSION } from "../../client/version.js";
import { providerError } from "../errors.js";
import { managerOfUrn } from "../manager.js";
import { logSink } from "../report.js";
import * as calls from "./calls.js";
import { pulumiSchema } from "./schema.js";
import { kindOfType, PACKAGE, type ResourceKindName } from "./spec.js";

/**
 * The gRPC shell of `pulumi-resource-antryk`: the ResourceProvider service, served with
 * the generated stubs and grpc-js that ship in @pulumi/pulumi (the same the engine's own
 * Node SDK uses), implemented here rather than through the SDK's `provider.main`, which
 * drops Configure's arguments, leaves CheckConfig and DiffConfig unimplemented and has no
 * detailed diff. Each call decodes the engine's message, runs one call of calls.ts, and
 * encodes the answer; diagnostic lines go to the engine's Log service with the resource's
 * URN (the engine hides a native plugin's stdout).
 */

// The generated stubs are CommonJS without usable types for this import style: they are used as `any`.
const fromPulumi = createRequire(createRequire(import.meta.url).resolve("@pulumi/pulumi/package.json"));
const grpc = fromPulumi("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const provrpc = fromPulumi("./proto/provider_grpc_pb.js");
const provproto = fromPulumi("./proto/provider_pb.js");
const plugproto = fromPulumi("./proto/plugin_pb.js");
const enginerpc = fromPulumi("./proto/engine_grpc_pb.js");
const engineproto = fromPulumi("./proto/engine_pb.js");
const structproto = fromPulumi("google-protobuf/google/protobuf/struct_pb.js");
const emptyproto = fromPulumi("google-protobuf/google/protobuf/empty_pb.js");
const anyproto = fromPulumi("google-protobuf/google/protobuf/any_pb.js");
const statusproto = fromPulumi("./proto/status_pb.js");

type Props = Record<string, unknown>;
type Callback = (err: any, value?: any, trailer?: any) => void;
type Call = { request: any };

const toJs = (s: any): Props => (s ? (s.toJavaScript() as Props) : {});
const toStruct = (value: Props) => structproto.Struct.fromJavaScript(value);

const DETAILED_KIND: Record<calls.DetailedKind, number> = {
  add: provproto.PropertyDiff.Kind.ADD,
  addReplace: provproto.PropertyDiff.Kind.ADD_REPLACE,
  delete: provproto.PropertyDiff.Kind.DELETE,
  deleteReplace: provproto.PropertyDiff.Kind.DELETE_REPLACE,
  update: provproto.PropertyDiff.Kind.UPDATE,
  updateReplace: provproto.PropertyDiff.Kind.UPDATE_REPLACE,
};

/** EngineLog sends diagnostic lines to the engine's Log service; without an engine address it writes to stderr. */
export type EngineLog = (urn: string, lines: readonly string[], severity?: "info" | "warning") => Promise<void>;

function engineLog(engineAddress: string | undefined): { log: EngineLog; close(): void } {
  if (engineAddress === undefined) {
    return { log: async (_urn, lines) => void process.stderr.write(`${lines.join("\n")}\n`), close: () => undefined };
  }
  const client = new enginerpc.EngineClient(engineAddress, grpc.credentials.createInsecure());
  const log: EngineLog = (urn, lines, severity = "info") =>
    new Promise((resolve) => {
      const req = new engineproto.LogRequest();
      req.setSeverity(severity === "warning" ? engineproto.LogSeverity.WARNING : engineproto.LogSeverity.INFO);
      req.setMessage(lines.join("\n"));
      req.setUrn(urn);
      // A lost log line must not fail the resource operation: the engine may already be gone.
      client.log(req, () => resolve());
    });
  return { log, close: () => client.close() };
}

/** errorOf renders a thrown value for the engine once, with the ErrorResourceInitFailed detail when the resource exists but is not fully applied. */
function errorOf(err: unknown): { code: number; details: string; metadata: any } {
  const message = providerError(err).message;
  const metadata = new grpc.Metadata();
  const partial = err as { id?: unknown; properties?: unknown; reasons?: unknown };
  if (typeof partial.id === "string" && partial.id !== "") {
    const status = new statusproto.Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(message);
    const detail = new provproto.ErrorResourceInitFailed();
    detail.setId(partial.id);
    detail.setProperties(toStruct((partial.properties ?? {}) as Props));
    detail.setReasonsList(Array.isArray(partial.reasons) ? partial.reasons.map(String) : []);
    const any = new anyproto.Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    status.addDetails(any);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return { code: grpc.status.UNKNOWN, details: message, metadata };
}

/** kindOfUrn finds the resource kind from a URN's type (`urn:pulumi:stack::project::antryk:index:Member::name`). */
function kindOfUrn(urn: string): ResourceKindName {
  const type = urn.split("::")[2]?.split("$").pop() ?? "";
  const kind = kindOfType(type);
  if (kind === null) throw new Error(`unknown resource type ${type}: the ${PACKAGE} provider manages antryk:index:WorkspaceAccess, Member and CustomRole`);
  return kind;
}

/** ProviderService is the ResourceProvider implementation: one per plugin process, i.e. per provider instance. */
export function providerService(engine: EngineLog): Record<string, (call: Call, callback: Callback) => void> {
  let config: calls.NativeConfig = {};
  let cancelled = false;

  /** answer runs `body` for a call on `urn`, its diagnostic lines routed to the engine with that URN, and answers once. */
  const answer = (callback: Callback, urn: string, body: () => Promise<unknown>) => {
    const pending: Promise<void>[] = [];
    logSink
      .run((lines) => void pending.push(engine(urn, lines)), body)
      .then(
        async (value) => {
          await Promise.all(pending);
          callback(null, value);
        },
        async (err: unknown) => {
          await Promise.all(pending);
          const e = errorOf(err);
          callback(e, null, e.metadata);
        },
      );
  };
  const refuseIfCancelled = () => {
    if (cancelled) throw new Error("the operation was cancelled; nothing more was changed");
  };

  return {
    getPluginInfo: (_call, cb) => cb(null, new plugproto.PluginInfo().setVersion(PACKAGE_VERSION)),
    getSchema: (call, cb) => {
      if (call.request.getVersion() !== 0) return cb({ code: grpc.status.INVALID_ARGUMENT, details: `unsupported schema version ${call.request.getVersion()}` });
      cb(null, new provproto.GetSchemaResponse().setSchema(JSON.stringify(pulumiSchema(PACKAGE_VERSION))));
    },
    checkConfig: (call, cb) =>
      answer(cb, call.request.getUrn(), async () => checkResponse(calls.checkConfig(toJs(call.request.getNews())))),
    diffConfig: (call, cb) =>
      answer(cb, call.request.getUrn(), async () => diffResponse(calls.diffConfig(toJs(call.request.getOldInputs() ?? call.request.getOlds()), toJs(call.request.getNews())))),
    configure: (call, cb) =>
      answer(cb, "", async () => {
        const variables = Object.fromEntries(call.request.getVariablesMap().entries()) as Record<string, string>;
        config = calls.configOf(toJs(call.request.getArgs()), variables);
        // Secrets come wrapped and go back wrapped; the engine does not call Create or Update during a preview.
        return new provproto.ConfigureResponse().setAcceptsecrets(true).setSupportspreview(false).setAcceptresources(false);
      }),
    check: (call, cb) => {
      const urn = call.request.getUrn();
      answer(cb, urn, async () => checkResponse(await calls.check(kindOfUrn(urn), config, toJs(call.request.getOlds()), toJs(call.request.getNews()), managerOfUrn(urn))));
    },
    diff: (call, cb) => {
      const urn = call.request.getUrn();
      answer(cb, urn, async () => diffResponse(await calls.diff(kindOfUrn(urn), config, toJs(call.request.getOlds()), toJs(call.request.getNews()), managerOfUrn(urn))));
    },
    create: (call, cb) => {
      const urn = call.request.getUrn();
      answer(cb, urn, async () => {
        refuseIfCancelled();
        const created = await calls.create(kindOfUrn(urn), config, toJs(call.request.getProperties()), managerOfUrn(urn));
        return new provproto.CreateResponse().setId(created.id).setProperties(toStruct(created.outputs));
      });
    },
    read: (call, cb) => {
      const urn = call.request.getUrn();
      answer(cb, urn, async () => {
        const read = await calls.read(kindOfUrn(urn), config, call.request.getId(), toJs(call.request.getProperties()), toJs(call.request.getInputs()), managerOfUrn(urn));
        const resp = new provproto.ReadResponse().setId(read.id);
        if (read.id !== "") resp.setProperties(toStruct(read.outputs)).setInputs(toStruct(read.inputs));
        return resp;
      });
    },
    update: (call, cb) => {
      const urn = call.request.getUrn();
      answer(cb, urn, async () => {
        refuseIfCancelled();
        const outputs = await calls.update(kindOfUrn(urn), config, toJs(call.request.getOlds()), toJs(call.request.getNews()), managerOfUrn(urn));
        return new provproto.UpdateResponse().setProperties(toStruct(outputs));
      });
    },
    delete: (call, cb) => {
      const urn = call.request.getUrn();
      answer(cb, urn, async () => {
        refuseIfCancelled();
        await calls.remove(kindOfUrn(urn), config, toJs(call.request.getProperties()), managerOfUrn(urn));
        return new emptyproto.Empty();
      });
    },
    cancel: (_call, cb) => {
      cancelled = true;
      cb(null, new emptyproto.Empty());
    },
  };
}

function checkResponse(result: { inputs: Props; failures: { property: string; reason: string }[] }): any {
  const resp = new provproto.CheckResponse().setInputs(toStruct(result.inputs));
  resp.setFailuresList(result.failures.map((f) => new provproto.CheckFailure().setProperty(f.property).setReason(f.reason)));
  return resp;
}

function diffResponse(diff: calls.DiffAnswer): any {
  const kinds = provproto.DiffResponse.DiffChanges;
  const resp = new provproto.DiffResponse()
    .setChanges(diff.changes ? kinds.DIFF_SOME : kinds.DIFF_NONE)
    .setReplacesList(diff.replaces)
    .setDeletebeforereplace(diff.deleteBeforeReplace)
    .setHasdetaileddiff(true)
    .setDiffsList(Object.keys(diff.detailed));
  const map = resp.getDetaileddiffMap();
  for (const [key, d] of Object.entries(diff.detailed)) map.set(key, new provproto.PropertyDiff().setKind(DETAILED_KIND[d.kind]).setInputdiff(d.inputDiff));
  return resp;
}

/** engineAddressOf is the engine's address among the plugin's arguments (the engine may put flags such as `--logtostderr` or `-v=9` first). */
export function engineAddressOf(args: readonly string[]): string | undefined {
  return args.filter((a) => !a.startsWith("-")).at(0);
}

/** serve starts the plugin's gRPC server on 127.0.0.1 (a free port) and returns the port, which the engine reads from the first line of stdout. */
export async function serve(args: readonly string[]): Promise<{ port: number; stop(): Promise<void> }> {
  const engine = engineLog(engineAddressOf(args));
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(provrpc.ResourceProviderService, providerService(engine.log) as any);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    port,
    stop: () =>
      new Promise((resolve) => {
        engine.close();
        server.tryShutdown(() => resolve());
      }),
  };
}
