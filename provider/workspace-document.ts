import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { ConfigError } from "../errors.js";
import type { Diagnostic } from "../schema/diagnostics.js";
import { loadFile } from "../schema/library/index.js";
import { validateAccessDocument } from "../schema/load.js";
import type { DesiredState } from "../schema/model.js";
import { checkPolicies } from "../schema/policy/check.js";
import { diagnosticReason, errorsOnly, propertyPath, type CheckFailure } from "./check.js";

/**
 * The access document of a WorkspaceAccess: read from `file` or taken from `document`,
 * validated as `antryk-access validate` does, and digested so that a preview shows an
 * edited file as a changed input.
 */

/** WorkspaceAccessInputs are the resource's inputs after check; exactly one of `file` and `document`. */
export interface WorkspaceAccessInputs {
  workspace: string;
  file?: string;
  document?: Record<string, unknown>;
  apiUrl?: string;
  /** tokenConfig names the stack config key of this resource's token (`antryk:<name>Token`); default `antryk:token`. */
  tokenConfig?: string;
  removeOnDelete?: boolean;
  /** adoptExisting lets a new resource with removeOnDelete take over people and roles that already exist (they would be removed on delete). */
  adoptExisting?: boolean;
  /** allowSelfChange lifts the self rail, as the CLI's --allow-self-change: the token's own member may be demoted or removed. */
  allowSelfChange?: boolean;
  /** documentSecret: the program passed `document` as a secret, so outputs derived from it are secret too. */
  documentSecret?: boolean;
  /** contentDigest is `sha256:<hex>` of the resolved document (the file's bytes, with the libraries it imports when it imports any; or the canonical JSON of `document`); set by check. */
  contentDigest?: string;
}

/** DOCUMENT_NAME names a `document` input in diagnostics (it has no file). */
export const DOCUMENT_NAME = "document";

/** documentProperty is the input a finding about the whole document is reported on. */
export function documentProperty(inputs: WorkspaceAccessInputs): string {
  return typeof inputs.file === "string" ? "file" : DOCUMENT_NAME;
}

/** Loaded is a document read and validated: `desired` is null exactly when `failures` is not empty. */
export interface Loaded {
  desired: DesiredState | null;
  diagnostics: Diagnostic[];
  failures: CheckFailure[];
  contentDigest?: string;
  /** unreadable: the file could not be read at all (missing, a directory, …); the reason. */
  unreadable?: string;
}

/** stableJson is JSON with object keys sorted at every depth: equal documents give equal text. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (data: string | Buffer) => `sha256:${createHash("sha256").update(data).digest("hex")}`;

/** loadDesired reads the document (file or object) and maps each error to a CheckFailure on its property. */
export async function loadDesired(inputs: WorkspaceAccessInputs): Promise<Loaded> {
  let result: { desired: DesiredState | null; diagnostics: Diagnostic[] };
  let contentDigest: string | undefined;
  const fromFile = typeof inputs.file === "string";
  if (fromFile) {
    try {
      // Imports are resolved relative to the file; the digest covers the file and every library it imports.
      const loaded = await loadFile(inputs.file as string);
      if (loaded.kind === "library") {
        const reason = `${inputs.file} is a library (kind: library), not a workspace file: point file at a workspace file that imports it`;
        return { desired: null, diagnostics: [], failures: [{ property: "file", reason }] };
      }
      result = loaded;
      if (loaded.sha256 !== undefined) contentDigest = `sha256:${loaded.sha256}`;
      else contentDigest = sha256(await readFile(inputs.file as string));
    } catch (err) {
      if (err instanceof ConfigError) return { desired: null, diagnostics: [], failures: [{ property: "file", reason: err.message }], unreadable: err.message };
      const reason = `cannot read ${inputs.file}: ${err instanceof Error ? err.message : String(err)}`;
      return { desired: null, diagnostics: [], failures: [{ property: "file", reason }], unreadable: reason };
    }
  } else {
    if (inputs.document !== undefined && "imports" in inputs.document) {
      const reason = "imports are resolved relative to the access file: use the file input (a path) for a file that imports libraries";
      return { desired: null, diagnostics: [], failures: [{ property: `${DOCUMENT_NAME}.imports`, reason }] };
    }
    const document = { version: 1, workspace: inputs.workspace, ...inputs.document };
    contentDigest = sha256(stableJson(document));
    result = validateAccessDocument(document, DOCUMENT_NAME);
  }
  const errors = errorsOnly(result.diagnostics);
  const failures: CheckFailure[] = errors.map((d) => ({
    property: fromFile ? "file" : propertyPath(DOCUMENT_NAME, d.path),
    reason: diagnosticReason(d, fromFile),
  }));
  if (result.desired !== null && result.desired.workspace !== inputs.workspace) {
    failures.push({ property: "workspace", reason: `the access document manages workspace "${result.desired.workspace}", not "${inputs.workspace}"` });
  }
  const loaded: Loaded = { desired: failures.length === 0 ? result.desired : null, diagnostics: errors, failures };
  if (contentDigest !== undefined) loaded.contentDigest = contentDigest;
  return loaded;
}

/**
 * policyFailures are the document's error-severity policy findings over the people it
 * declares (validate's policy stage, docs/policies.md), each a failure on the person's entry
 * (or the policy) as rails are: check reports them when it does not plan against the workspace.
 */
export function policyFailures(inputs: WorkspaceAccessInputs, desired: DesiredState, now: Date = new Date()): CheckFailure[] {
  const fromFile = typeof inputs.file === "string";
  return errorsOnly(checkPolicies(desired, now)).map((d) => ({
    property: fromFile ? "file" : propertyPath(DOCUMENT_NAME, d.path),
    reason: diagnosticReason(d, fromFile),
  }));
}

/** requireDesired loads the document or throws the ConfigError `validate` would report (an unreadable file says so). */
export async function requireDesired(inputs: WorkspaceAccessInputs): Promise<DesiredState> {
  const loaded = await loadDesired(inputs);
  if (loaded.desired !== null) return loaded.desired;
  if (loaded.unreadable !== undefined) throw new ConfigError(`${loaded.unreadable}; nothing was changed`);
  const where = typeof inputs.file === "string" ? inputs.file : "the document input";
  const other = loaded.failures.filter((f) => f.property === "workspace").map((f) => f.reason);
  const n = loaded.diagnostics.length;
  throw new ConfigError(other[0] ?? `${where} is invalid (${n} error${n === 1 ? "" : "s"}); nothing was changed`, loaded.diagnostics);
}
