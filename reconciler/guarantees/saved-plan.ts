import { ConfigError, StalePlanError } from "../../errors.js";
import { assertFresh } from "../apply/fresh.js";
import type { LiveState } from "../live-state.js";
import type { Plan } from "../plan.js";
import { assertSameChanges } from "./still-planned.js";

/**
 * Re-judging a saved plan, pure: a plan saved by `plan -o` (alone, or one of a saved
 * plan set) is applied only when its file, its workspace, its target, the live
 * workspace and its changes are all still the ones it was computed from. Each check
 * throws a typed error saying that nothing was changed.
 */

/** SavedPlanPlace is where a saved plan came from, for the messages: a saved plan file, or a saved plan set. */
export type SavedPlanPlace = { kind: "plan"; path: string } | { kind: "set"; path: string };

/** SavedPlanRef is what the file checks read of a saved plan: its workspace and the digest of the file it was computed from. */
export type SavedPlanRef = Pick<Plan, "workspace"> & { accessFile: { sha256: string } };

/**
 * assertSavedFile refuses a saved plan whose file (`file`, as loaded now: its digest
 * covering its libraries, and the workspace it names) is not the one it was computed
 * from: StalePlanError when the digest moved, ConfigError when it names another workspace.
 */
export function assertSavedFile(saved: SavedPlanRef, now: { file: string; sha256: string; workspace: string }, place: SavedPlanPlace): void {
  if (now.sha256 !== saved.accessFile.sha256) {
    const digests = `(sha256 ${saved.accessFile.sha256.slice(0, 12)}… then, ${now.sha256.slice(0, 12)}… now)`;
    throw new StalePlanError(
      place.kind === "plan"
        ? `${now.file} changed since the saved plan ${place.path} was computed ${digests}; nothing was changed, run plan again`
        : `${now.file} (or a library it imports) changed since the saved plan set ${place.path} was computed ${digests}; nothing was changed in any workspace, run plan again`,
      saved.accessFile.sha256,
      now.sha256,
    );
  }
  if (now.workspace !== saved.workspace) {
    throw new ConfigError(
      place.kind === "plan"
        ? `the saved plan ${place.path} is for workspace ${saved.workspace}, but ${now.file} names ${now.workspace}; nothing was changed`
        : `the saved plan set ${place.path} has a plan for workspace ${saved.workspace}, but ${now.file} names ${now.workspace}; nothing was changed`,
    );
  }
}

/** assertSavedTarget refuses a saved plan computed against another target (API URL or embedded database) than this run's `target`. */
export function assertSavedTarget(saved: Pick<Plan, "target">, target: string, place: SavedPlanPlace): void {
  if (saved.target !== target) {
    throw new ConfigError(`the saved plan ${place.path} was computed against ${saved.target}, but this run targets ${target}; nothing was changed`);
  }
}

/**
 * assertSavedPlanHolds refuses a saved plan that the workspace as read now (`live`) and
 * the plan recomputed from it (`recomputed`: same file, same planId, the applying
 * token) no longer bear out: StalePlanError when the live digest moved (assertFresh) or
 * the recomputed changes differ in any field (assertSameChanges).
 */
export function assertSavedPlanHolds(saved: Plan, now: { live: Pick<LiveState, "digest">; recomputed: Plan }, place: SavedPlanPlace): void {
  assertFresh(saved, now.live);
  if (place.kind === "plan") assertSameChanges(saved, now.recomputed, "the saved plan", place.path);
  else assertSameChanges(saved, now.recomputed, `the plan of ${now.recomputed.workspace} in the saved plan set ${place.path}`);
}
