import { relative, resolve, sep } from "node:path";
import { AccessError, ConfigError } from "../errors.js";
import { computePlan } from "../reconciler/compute/index.js";
import { fetchWorkspaceState } from "../reconciler/fetch.js";
import { attributeChanges } from "../reconciler/history.js";
import type { LiveState } from "../reconciler/live-state.js";
import type { AccessFileRef, Plan } from "../reconciler/plan.js";
import { ADMIN_PERMISSION } from "../schema/catalog.js";
import { formatDiagnostic, type Diagnostic } from "../schema/diagnostics.js";
import { githubAnnotation, type DiagnosticFormat } from "./annotations.js";
import { InvalidArgumentError } from "commander";
import { loadFile } from "../schema/library/index.js";
import { checkManagerId, fileManager } from "../schema/manager.js";
import type { DesiredState } from "../schema/model.js";
import type { Session } from "./session.js";

/**
 * The steps plan and apply share, between commander and the engine: load the file
 * (diagnostics as `validate` prints them), fetch, compute, and the checks that decide
 * whether a plan may be applied. No rendering and no exit codes here.
 */


/**
 * loadDesired loads and validates an access file. Its warnings come back for the caller to
 * print with printWarnings (on stderr, after the embedded workspace's announcement, which must be
 * the first line); any error throws a ConfigError carrying every diagnostic, which the
 * CLI prints like `validate` does. `accessFile` is what a plan records of the file: its
 * path relative to `cwd` and the SHA-256 of the bytes that were validated (with the
 * libraries it imports, when it imports any: schema/library/). `now` is the
 * clock `expires` is resolved against (review --as-of).
 */
export async function loadDesired(
  file: string,
  cwd: string = process.cwd(),
  now?: Date,
): Promise<{ desired: DesiredState; warnings: Diagnostic[]; accessFile: AccessFileRef }> {
  const loaded = await loadFile(file, now === undefined ? {} : { now });
  if (loaded.kind === "library") {
    throw new ConfigError(`${file} is a library (kind: library), not a workspace file: plan and apply take workspace files that import it (validate checks libraries)`, loaded.diagnostics);
  }
  const { desired, diagnostics, sha256 } = loaded;
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (desired === null || errors.length > 0 || sha256 === undefined) {
    const n = errors.length;
    throw new ConfigError(`${file} is not valid: ${n} error${n === 1 ? "" : "s"}; nothing was changed`, diagnostics);
  }
  const path = relative(cwd, resolve(cwd, file)).split(sep).join("/") || file;
  return { desired, warnings: diagnostics, accessFile: { path, sha256 } };
}

/**
 * planAgainst fetches the live workspace and computes the plan for `desired` (pure once
 * fetched), bound to `accessFile`; `planId` recomputes a saved plan under its own id.
 * `attribute` then reads the access history behind each change (attributeChanges): the
 * plans people read do, the rechecks that only compare changes do not.
 */
export async function planAgainst(
  session: Session,
  desired: DesiredState,
  options: { allowSelfChange: boolean; accessFile: AccessFileRef | null; planId?: string; attribute?: boolean },
): Promise<{ live: LiveState; plan: Plan }> {
  const live = await fetchWorkspaceState(session.client, desired.workspace);
  const plan = computePlan(desired, live, {
    target: session.target,
    allowSelfChange: options.allowSelfChange,
    accessFile: options.accessFile,
    ...(options.planId !== undefined ? { planId: options.planId } : {}),
  });
  return { live, plan: options.attribute === true ? await attributeChanges(plan, session.client, { manager: fileManager(desired) }) : plan };
}

/**
 * takingOver is `desired` with the managers of `--take-over` added to its safety.takeOver:
 * the flag and the file key are one switch of the managedElsewhere rail, so every plan of
 * the run (the one shown, the recheck before apply, the verification) judges alike.
 */
export function takingOver(desired: DesiredState, managers: readonly string[] | undefined): DesiredState {
  if (managers === undefined || managers.length === 0) return desired;
  const takeOver = [...new Set([...(desired.safety.takeOver ?? []), ...managers])];
  return { ...desired, safety: { ...desired.safety, takeOver } };
}

/** collectManager is commander's parser of a repeatable `--take-over <manager>`: each a manager id (schema/manager.ts). */
export function collectManager(value: string, previous: string[] | undefined): string[] {
  const id = value.trim();
  const problem = checkManagerId(id);
  if (problem !== undefined) throw new InvalidArgumentError(`the manager id ${problem}`);
  return [...(previous ?? []), id];
}

/**
 * assertCanWrite refuses before any change call when the caller's token lacks
 * access:manage: the API would answer 403 to every change, so say it once.
 */
export function assertCanWrite(live: LiveState): void {
  if (!live.caller.effectivePermissions.includes(ADMIN_PERMISSION)) {
    throw new AccessError(
      `403 forbidden: the token of ${live.caller.email} lacks ${ADMIN_PERMISSION}, which apply needs (plan needs only membership); nothing was changed`,
    );
  }
}

/** printWarnings writes the file's warnings on stderr, one line each: as `validate` prints them, or as GitHub workflow commands (`--diagnostics github`). */
export function printWarnings(warnings: readonly Diagnostic[], format: DiagnosticFormat = "text"): void {
  const render = format === "github" ? (d: Diagnostic) => githubAnnotation(d) : formatDiagnostic;
  for (const d of warnings) process.stderr.write(`${render(d)}\n`);
}
