import { ConfigError } from "../../errors.js";
import { normalizeEmail } from "../../schema/catalog.js";
import { containsUnknown, type CheckFailure } from "../check.js";
import { guard } from "../errors.js";
import { operations } from "../operations.js";
import type { ProviderConfig } from "../session.js";
import { RESOURCES, type ResourceKindName } from "./spec.js";

/**
 * The native door's calls, on plain property maps: a thin shell over the same operations
 * the dynamic providers run (provider/operations.ts), adding what the native protocol
 * needs and the dynamic host never did: secrets (the engine sends them wrapped; the
 * operations take plain values and wrap what they derive from a secret document),
 * provider configuration checks and diffs, detailed diffs, and Read with only an id
 * (`pulumi import`). server.ts turns gRPC messages into these calls and back.
 *
 * `manager` is the resource's manager id, derived from the URN the engine sends with each
 * call (provider/manager.ts managerOfUrn): the operations write as it, like the dynamic
 * door's hidden input, and the outputs record it; it is never one of the inputs the engine
 * keeps or `pulumi import` generates code from.
 */

type Props = Record<string, unknown>;

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/** isSecret tells whether a value is the engine's secret envelope. */
export function isSecret(value: unknown): value is { value: unknown } {
  return value !== null && typeof value === "object" && (value as Props)[SECRET_SIG] === SECRET_VALUE;
}

/** secret wraps a value in the engine's secret envelope (once). */
export function secret(value: unknown): unknown {
  return isSecret(value) ? value : { [SECRET_SIG]: SECRET_VALUE, value };
}

/** reveal strips secret envelopes at any depth: the operations take plain values. */
export function reveal(value: unknown): unknown {
  if (isSecret(value)) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
  return value;
}

const revealProps = (props: Props): Props => reveal(props) as Props;

/** secretKeys are the top-level properties that hold a secret (anywhere inside them). */
function secretKeys(props: Props): Set<string> {
  const holds = (v: unknown): boolean =>
    isSecret(v) || (Array.isArray(v) ? v.some(holds) : v !== null && typeof v === "object" && Object.values(v).some(holds));
  return new Set(Object.entries(props).filter(([, v]) => holds(v)).map(([k]) => k));
}

/** keepSecret wraps each of `keys` in `props` (what the program passed as a secret stays one in inputs and outputs). */
function keepSecret(props: Props, keys: Set<string>): Props {
  return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, keys.has(k) ? secret(v) : v]));
}

/** NativeConfig is the provider's configuration after Configure: `apiUrl` and `token`, plain. */
export type NativeConfig = Pick<ProviderConfig, "apiUrl" | "token">;

/** configOf reads the provider's configuration from Configure's args (`apiUrl`, `token`) or, from an older engine, its namespaced variables. */
export function configOf(args: Props, variables: Record<string, string>): NativeConfig {
  const plain = revealProps(args);
  const pick = (key: "apiUrl" | "token"): string | undefined => {
    const v = plain[key] ?? variables[`antryk:${key}`] ?? variables[`antryk:config:${key}`];
    return typeof v === "string" && v.trim() !== "" ? v : undefined;
  };
  return { apiUrl: pick("apiUrl"), token: pick("token") };
}

/** checkConfig validates the provider's inputs (an `http(s)` apiUrl, a string token) and marks the token secret. */
export function checkConfig(news: Props): { inputs: Props; failures: CheckFailure[] } {
  const failures: CheckFailure[] = [];
  const plain = revealProps(news);
  if (plain.apiUrl !== undefined && !containsUnknown(plain.apiUrl)) {
    const ok = typeof plain.apiUrl === "string" && /^https?:\/\/[^\s/]+/.test(plain.apiUrl) && URL.canParse(plain.apiUrl);
    if (!ok) failures.push({ property: "apiUrl", reason: "apiUrl must be the http(s) URL of the Antryk Access API, like https://api.antryk.com" });
  }
  if (plain.token !== undefined && !containsUnknown(plain.token) && (typeof plain.token !== "string" || plain.token.trim() === "")) {
    failures.push({ property: "token", reason: "token must be a non-empty string (set it with `pulumi config set --secret antryk:token …`)" });
  }
  const inputs = news.token === undefined ? news : { ...news, token: secret(news.token) };
  return { inputs, failures };
}

/** DetailedKind is a property's change in a detailed diff (Pulumi's PropertyDiff.Kind). */
export type DetailedKind = "add" | "addReplace" | "delete" | "deleteReplace" | "update" | "updateReplace";

/** DiffAnswer is a diff for the engine: whether anything changes, what replaces, and per property how. */
export interface DiffAnswer {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  detailed: Record<string, { kind: DetailedKind; inputDiff: boolean }>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function kindOf(old: unknown, now: unknown, replace: boolean): DetailedKind {
  if (old === undefined || old === null) return replace ? "addReplace" : "add";
  if (now === undefined || now === null) return replace ? "deleteReplace" : "delete";
  return replace ? "updateReplace" : "update";
}

/** diffConfig: a token rotation is an update of the provider; an apiUrl change replaces it (and so what it manages). */
export function diffConfig(olds: Props, news: Props): DiffAnswer {
  const o = revealProps(olds);
  const n = revealProps(news);
  const detailed: DiffAnswer["detailed"] = {};
  if (!same(o.apiUrl, n.apiUrl)) detailed.apiUrl = { kind: kindOf(o.apiUrl, n.apiUrl, true), inputDiff: true };
  if (!same(o.token, n.token)) detailed.token = { kind: kindOf(o.token, n.token, false), inputDiff: true };
  const replaces = "apiUrl" in detailed ? ["apiUrl"] : [];
  return { changes: Object.keys(detailed).length > 0, replaces, deleteBeforeReplace: false, detailed };
}

const NATIVE_ONLY_FAILURE: CheckFailure = {
  property: "tokenConfig",
  reason: "tokenConfig belongs to the dynamic resources; with the antryk provider, give the workspace its own provider instance (new antryk.Provider(…)) and pass it as the `provider` option",
};

/** withoutManager drops the manager id from inputs the engine keeps. */
function withoutManager(props: Props): Props {
  const { manager: _manager, ...rest } = props;
  return rest;
}

/** check runs the operations' check on plain inputs; a secret `document` sets documentSecret, and what was secret stays secret. */
export function check(kind: ResourceKindName, config: NativeConfig, olds: Props, news: Props, manager: string): Promise<{ inputs: Props; failures: CheckFailure[] }> {
  return guard(async () => {
    const secrets = secretKeys(news);
    const plainNews: Props = { ...withoutManager(revealProps(news)), manager };
    if (kind === "WorkspaceAccess" && plainNews.document !== undefined) plainNews.documentSecret = secrets.has("document");
    const result = await operations[RESOURCES[kind].operations].check(withoutManager(revealProps(olds)), plainNews, config);
    const failures = plainNews.tokenConfig === undefined ? result.failures : [...result.failures, NATIVE_ONLY_FAILURE];
    return { inputs: keepSecret(withoutManager(result.inputs), secrets), failures };
  });
}

/** diff runs the operations' diff and details it per input: what changed, and which of those replace. */
export async function diff(kind: ResourceKindName, config: NativeConfig, olds: Props, news: Props, manager: string): Promise<DiffAnswer> {
  const spec = RESOURCES[kind];
  const o = revealProps(olds);
  const n: Props = { ...revealProps(news), manager };
  const result = await operations[spec.operations].diff(config, o, n);
  const replaces = result.replaces ?? [];
  const detailed: DiffAnswer["detailed"] = {};
  for (const key of Object.keys(spec.inputs)) {
    // The state keeps the document's digest, never the document: an edited document shows as a changed `document`.
    const [was, now] = key === "document" ? [o.contentDigest, n.document === undefined ? undefined : n.contentDigest] : [o[key], n[key]];
    if (!same(was, now)) detailed[key] = { kind: kindOf(was, now, replaces.includes(key)), inputDiff: true };
  }
  if (kind === "WorkspaceAccess" && n.file !== undefined && !same(o.contentDigest, n.contentDigest)) detailed.file = { kind: "update", inputDiff: true };
  // A new URN (a rename with `aliases`) is a new manager id: the update moves the marker.
  if (!same(o.manager, n.manager)) detailed.manager = { kind: kindOf(o.manager, n.manager, false), inputDiff: false };
  const changes = result.changes !== false;
  // Never delete before replacing: every replacing input (workspace, email, roleName) changes the id, so the new one can exist beside the old, and a failed create removes nobody.
  // A change the inputs do not show: the live workspace differs from the document (WorkspaceAccess), or an expired invitation is resent (Member).
  if (changes && Object.keys(detailed).length === 0) detailed[kind === "WorkspaceAccess" ? "drift" : "status"] = { kind: "update", inputDiff: false };
  return { changes, replaces, deleteBeforeReplace: false, detailed: changes ? detailed : {} };
}

/** Created is a create's answer: the id and the outputs. */
export interface Created {
  id: string;
  outputs: Props;
}

/** create runs the operations' create on plain inputs; outputs echo the secrecy of their inputs. */
export async function create(kind: ResourceKindName, config: NativeConfig, news: Props, manager: string): Promise<Created> {
  const secrets = secretKeys(news);
  const created = await operations[RESOURCES[kind].operations].create(config, { ...revealProps(news), manager });
  return { id: created.id, outputs: keepSecret(created.outs, secrets) };
}

/** update runs the operations' update (the old outputs carry what create recorded, the manager id it wrote as among them). */
export async function update(kind: ResourceKindName, config: NativeConfig, olds: Props, news: Props, manager: string): Promise<Props> {
  const secrets = secretKeys(news);
  const updated = await operations[RESOURCES[kind].operations].update(config, { ...revealProps(news), manager }, revealProps(olds));
  return keepSecret(updated.outs, secrets);
}

/** remove runs the operations' delete with the state's outputs (and, for a state written before markers, the manager id of the URN). */
export async function remove(kind: ResourceKindName, config: NativeConfig, outputs: Props, manager: string): Promise<void> {
  await operations[RESOURCES[kind].operations].remove(config, { manager, ...revealProps(outputs) });
}

/**
 * importProps are the properties an import id stands for (`pulumi import` calls Read
 * with only the id): `<workspace>` for a WorkspaceAccess, `<workspace>/<email>` for a
 * Member, `<workspace>/<roleName>` for a CustomRole.
 */
export function importProps(kind: ResourceKindName, id: string): Props {
  if (kind === "WorkspaceAccess") return { workspace: id };
  const slash = id.indexOf("/");
  if (slash <= 0 || slash === id.length - 1) {
    throw new ConfigError(`the import id of an antryk:index:${kind} is ${RESOURCES[kind].importId.format} (for example ${RESOURCES[kind].importId.example}), not "${id}"`);
  }
  const workspace = id.slice(0, slash);
  const rest = id.slice(slash + 1);
  return kind === "Member" ? { workspace, email: normalizeEmail(rest) } : { workspace, roleName: rest };
}

/** ReadAnswer is a read's answer: an empty id when the resource is gone. */
export interface ReadAnswer {
  id: string;
  outputs: Props;
  inputs: Props;
}

/**
 * read refreshes a resource, or reads it from only its id for an import. The inputs
 * given are passed along for what outputs do not keep (a WorkspaceAccess's `document`,
 * so its drift is computed, not kept), and returned when the operation returns none.
 */
export function read(kind: ResourceKindName, config: NativeConfig, id: string, outputs: Props, inputs: Props, manager: string): Promise<ReadAnswer> {
  return guard(async () => {
    const importing = Object.keys(outputs).length === 0;
    const o: Props = { manager, ...(importing ? importProps(kind, id) : revealProps(outputs)) };
    const i = revealProps(inputs);
    if (kind === "WorkspaceAccess" && i.document !== undefined) {
      o.document = i.document;
      o.documentSecret = secretKeys(inputs).has("document");
    }
    const result = await operations[RESOURCES[kind].operations].read(config, id, o);
    if (result.id === "") return { id: "", outputs: {}, inputs: {} };
    const secrets = new Set([...secretKeys(inputs), ...secretKeys(outputs)]);
    const returned = (result as { inputs?: Props }).inputs;
    const readInputs = withoutManager(returned ?? (importing ? o : inputs));
    const props = { ...result.props };
    delete props.document;
    return { id: result.id, outputs: keepSecret(props, secrets), inputs: keepSecret(readInputs, secrets) };
  });
}
