import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { ConfigError } from "../errors.js";
import { sortPermissions } from "./order.js";
import { checkSchema } from "./check/schema-check.js";
import { compareDiagnostics, type Diagnostic } from "./diagnostics.js";
import { escapeInvisible } from "./identity.js";
import type { DesiredMember, DesiredState } from "./model.js";
import { normalize, type Draft, type DraftMember } from "./normalize.js";
import { toPolicies } from "./policy/build.js";
import { RULES, type Finding, type Rule, type RuleContext } from "./rules/index.js";
import { NULL_LOCATOR, type SourceLocator, type YamlPath } from "./source/locator.js";
import { MAX_FILE_BYTES, parseYamlText } from "./source/parse-text.js";

/**
 * Loading and validation of access.yaml: text → YAML (with positions) → JSON Schema check →
 * normalization → named rules → DesiredState. Every stage reports instead of throwing, so
 * one run lists every problem, sorted by position.
 */

/**
 * LoadResult: `desired` is null exactly when a diagnostic is an error; diagnostics are
 * sorted by position. `sha256` (hex) is the digest of the exact bytes validated, set by
 * loadAccessFile when it read the file whole: a plan records it, and applying a saved
 * plan refuses a file whose bytes changed since.
 */
export interface LoadResult {
  desired: DesiredState | null;
  diagnostics: Diagnostic[];
  sha256?: string;
}

/** LoadOptions: `now` is the clock `expires` is resolved against (default: the current time). */
export interface LoadOptions {
  now?: Date;
}

/**
 * loadAccessFile reads and validates an access file. A file that cannot be read (missing,
 * a directory, no permission) throws ConfigError with a one-line message; everything about
 * its content — including binary or oversized content — comes back as diagnostics.
 */
export async function loadAccessFile(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  const source = await readAccessSource(path);
  if (source.kind === "problem") return source.result;
  return { ...parseAccessText(source.text, path, options), sha256: source.sha256 };
}

/**
 * AccessSource is an access file read whole: its text and the SHA-256 of its bytes, or
 * the LoadResult that says why its content cannot be text (binary, oversized).
 */
export type AccessSource = { kind: "text"; text: string; sha256: string } | { kind: "problem"; result: LoadResult };

/** readAccessSource reads a file as loadAccessFile does: an unreadable file throws ConfigError, unusable content is a problem result. */
export async function readAccessSource(path: string): Promise<AccessSource> {
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    // A device or FIFO (/dev/zero, a pipe) could stream forever: only regular files are read.
    if (!info.isFile()) throw Object.assign(new Error("not a regular file"), { code: "ENOTREG" });
    if (info.size > MAX_FILE_BYTES) return { kind: "problem", result: tooLarge(path, info.size) };
    bytes = await readFile(path);
  } catch (err) {
    throw new ConfigError(`cannot read ${path}: ${reason(err)}`, [], { cause: err });
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { kind: "problem", result: fileProblem(path, "not-text", "the file is not UTF-8 text; is it binary?") };
  }
  return { kind: "text", text, sha256: createHash("sha256").update(bytes).digest("hex") };
}

/** parseAccessText validates access-file text; `file` names it in diagnostics. Never throws for bad content. */
export function parseAccessText(text: string, file: string, options: LoadOptions = {}): LoadResult {
  const parsed = parseYamlText(text, file);
  if (!parsed.ok) return { desired: null, diagnostics: parsed.diagnostics.sort(compareDiagnostics) };
  return validateWithLocator(parsed.value, file, parsed.locator, options.now ?? new Date());
}

/**
 * validateAccessDocument validates an access document that is already a plain value (e.g.
 * the Pulumi provider's `document` input). Positions are 1:1; each diagnostic's `path`
 * names the offending property.
 */
export function validateAccessDocument(doc: unknown, file: string, options: LoadOptions = {}): LoadResult {
  return validateWithLocator(doc, file, NULL_LOCATOR, options.now ?? new Date());
}

/**
 * ComposedSource is a document assembled from several files (a workspace file and the
 * libraries it imports, schema/library/): `fileOf` names the file a path's node came from,
 * and `locator` finds it in that file.
 */
export interface ComposedSource {
  file: string;
  locator: SourceLocator;
  fileOf(path: YamlPath): string;
}

/** validateComposed validates a composed document: like parseAccessText, with each diagnostic and source naming the file its node came from. */
export function validateComposed(doc: unknown, source: ComposedSource, options: LoadOptions & { rules?: readonly Rule[] } = {}): LoadResult {
  return validateWithLocator(doc, source.file, source.locator, options.now ?? new Date(), source.fileOf, options.rules);
}

function validateWithLocator(
  doc: unknown,
  file: string,
  locator: SourceLocator,
  now: Date,
  fileOf: (path: YamlPath) => string = () => file,
  rules: readonly Rule[] = Object.values(RULES),
): LoadResult {
  // Messages quote values from the file: their invisible characters are shown escaped, never emitted raw.
  const toDiagnostic = (f: Finding): Diagnostic => {
    const { line, column } = locator.locate(f.path, f.atKey);
    return { severity: f.severity, code: f.code, message: escapeInvisible(f.message), file: fileOf(f.path), line, column, path: f.path };
  };
  const schema = checkSchema(doc);
  const findings: Finding[] = schema.findings.map((f) => ({ ...f, severity: "error" as const }));
  const isDocument = typeof doc === "object" && doc !== null && !Array.isArray(doc);
  let draft: Draft | undefined;
  if (isDocument) {
    const normalized = normalize(doc, now);
    draft = normalized.draft;
    findings.push(...normalized.findings.map((f) => ({ ...f, severity: "error" as const })));
    const ctx: RuleContext = {
      now,
      locate: (path) => locator.locate(path),
      where: (path) => {
        const p = locator.locate(path);
        return `${fileOf(path)}:${p.line}:${p.column}`;
      },
    };
    for (const rule of rules) findings.push(...rule(draft, ctx));
  }
  if (schema.rejected && !findings.some((f) => f.severity === "error")) {
    // Every schema error was left to a rule that did not fire: the schema and the rules disagree.
    // Fail closed rather than accept a document the schema rejects.
    findings.push({ severity: "error", code: "invalid-value", message: "the document does not match access.schema.json", path: [] });
  }
  const diagnostics = findings.map(toDiagnostic).sort(compareDiagnostics);
  const valid = !diagnostics.some((d) => d.severity === "error");
  return { desired: valid && draft ? toDesiredState(draft, file, locator, fileOf) : null, diagnostics };
}

/** toDesiredState builds the engine's model from a draft the rules found no error in. */
function toDesiredState(draft: Draft, file: string, locator: SourceLocator, fileOf: (path: YamlPath) => string): DesiredState {
  const source = (path: YamlPath, key = false) => ({ file: fileOf(path), ...locator.locate(path, key), path });
  const member = (m: DraftMember): DesiredMember => {
    const out: DesiredMember = {
      email: m.email,
      role: m.role ?? "",
      permissions: catalogOrder(m.grants.items),
      source: source(m.entryPath),
    };
    if (m.expires !== undefined) out.expires = m.expires;
    if (m.group !== undefined) out.group = m.group;
    return out;
  };
  const desired: DesiredState = {
    file,
    version: 1,
    workspace: draft.workspace,
    mode: draft.mode,
    safety: {
      maxRemovals: draft.maxRemovals,
      minAdmins: draft.minAdmins,
      requiredAdmins: [...new Set(draft.requiredAdmins.map((e) => e.value))],
      preserve: [...new Set(draft.preserve.map((e) => e.value))],
      ...(draft.takeOver.length > 0 ? { takeOver: [...new Set(draft.takeOver)] } : {}),
      ...(draft.warnInactiveAfter !== undefined ? { warnInactiveAfter: draft.warnInactiveAfter } : {}),
    },
    invitations: { resendExpired: draft.resendExpired, maxResends: draft.maxResends },
    roles: draft.roles.map((r) => ({
      name: r.name,
      description: r.description,
      permissions: catalogOrder(r.permissions.items),
      source: source(r.path, true),
    })),
    members: draft.members.filter((m) => !m.expired).map(member),
    expiredMembers: draft.members.filter((m) => m.expired).map(member),
  };
  if (draft.owner) {
    desired.owner = draft.owner.value;
    desired.ownerSource = source(draft.owner.path);
  }
  if (draft.manager !== undefined) desired.manager = draft.manager;
  const policies = toPolicies(draft.policies, source);
  if (policies.length > 0) desired.policies = policies;
  return desired;
}

/** catalogOrder is the distinct permissions of a list, in catalog order. */
function catalogOrder(items: (string | null)[]): string[] {
  return items.length === 0 ? [] : sortPermissions(items.filter((p): p is string => p !== null));
}

function tooLarge(file: string, size: number): LoadResult {
  return fileProblem(file, "file-too-large", `the file is ${(size / 2 ** 20).toFixed(1)} MiB; access files are limited to ${MAX_FILE_BYTES / 2 ** 20} MiB`);
}

function fileProblem(file: string, code: string, message: string): LoadResult {
  return { desired: null, diagnostics: [{ severity: "error", code, message, file, line: 1, column: 1, path: [] }] };
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? "";
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "it is a directory, not a file";
    case "ENOTREG":
      return "not a regular file";
    default:
      return (err instanceof Error ? err.message : String(err)).split("\n", 1)[0]!;
  }
}
