import { readFile } from "node:fs/promises";
import { ConfigError } from "../errors.js";
import type { AccessFileRef, Plan } from "../reconciler/plan.js";
import { parsePlan } from "../reconciler/plan-schema.js";
import { PLAN_FORMAT_VERSION } from "../reconciler/plan.js";
import { planJsonDigest } from "../reconciler/render/plan-set.js";

/**
 * Reading a saved plan (`plan --out plan.json`, then `apply plan.json`). The file is
 * checked against the Plan shape before anything is fetched, so a truncated file is
 * refused with the field at fault. Passing this check proves nothing about the content:
 * apply then recomputes the plan from the access file it names and refuses unless the
 * changes are the same (run-apply.ts). `violations`, `warnings` and `summary` are never
 * trusted from the file.
 */

/** SavedPlan is a plan read back from a file: always bound to the access file it was computed from. */
export type SavedPlan = Plan & { accessFile: AccessFileRef };

/** readSavedPlan reads and checks a saved plan; a file that is not a plan is a ConfigError naming the first wrong field. */
export async function readSavedPlan(path: string): Promise<SavedPlan> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read the saved plan ${path} (${(err as NodeJS.ErrnoException).code ?? "unreadable"})`, [], {
      cause: err,
    });
  }
  return parseSavedPlan(text, path);
}

/** parseSavedPlan checks a saved plan's text (parsePlan) and that it names the access file it was computed from. */
export function parseSavedPlan(text: string, path: string): SavedPlan {
  const plan = parsePlan(text, path);
  if (plan.accessFile === null) {
    throw new ConfigError(`${path} is not a saved plan: accessFile: it names no access file (only plans of a file can be saved and applied)`);
  }
  return { ...plan, accessFile: plan.accessFile };
}

/** SavedPlans is what `apply PLAN.json` read: one plan (`plan --out` of one workspace) or a plan set (`{ formatVersion, plans }`). */
export type SavedPlans = { kind: "plan"; plan: SavedPlan } | { kind: "set"; plans: SavedPlan[] };

/**
 * assertBound refuses a plan set whose plans are not the ones it was written with, in the
 * same order: `workspaces` (each plan's workspace and digest, written by renderSetJson) must
 * match the plans one for one. Deleting, adding or reordering a plan (with jq, say) is
 * refused naming what differs.
 */
function assertBound(path: string, recorded: unknown, plans: readonly unknown[]): void {
  const refuse = (why: string) => new ConfigError(`${path} is not the plan set that was saved: ${why}; nothing was changed in any workspace, run plan again`);
  if (!Array.isArray(recorded) || recorded.some((r) => typeof r !== "object" || r === null || typeof (r as { workspace?: unknown }).workspace !== "string" || typeof (r as { digest?: unknown }).digest !== "string")) {
    throw refuse("workspaces: the list of its workspaces and their digests is missing or malformed");
  }
  const want = recorded as { workspace: string; digest: string }[];
  const have = plans.map((p) => ({
    workspace: typeof p === "object" && p !== null && typeof (p as { workspace?: unknown }).workspace === "string" ? (p as { workspace: string }).workspace : "?",
    digest: planJsonDigest(`${JSON.stringify(p, null, 2)}\n`),
  }));
  const names = (list: readonly { workspace: string }[]) => list.map((x) => x.workspace).join(", ");
  const lost = want.filter((w) => !have.some((h) => h.workspace === w.workspace));
  const gained = have.filter((h) => !want.some((w) => w.workspace === h.workspace));
  if (lost.length > 0) throw refuse(`it was saved with a plan for ${names(lost)}, which is missing`);
  if (gained.length > 0) throw refuse(`it holds a plan for ${names(gained)}, which it was not saved with`);
  if (names(want) !== names(have)) throw refuse(`its plans are in another order (${names(have)}) than saved (${names(want)})`);
  const edited = have.filter((h, i) => h.digest !== want[i]!.digest);
  if (edited.length > 0) throw refuse(`the plan for ${names(edited)} differs from the one saved (digest)`);
}

/**
 * readSavedPlans reads a saved plan or plan set. Each plan of a set is checked as a saved
 * plan on its own (named `PATH plans[i]` in messages); a set naming one workspace twice,
 * of another formatVersion, or with no plan, is refused.
 */
export async function readSavedPlans(path: string): Promise<SavedPlans> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read the saved plan ${path} (${(err as NodeJS.ErrnoException).code ?? "unreadable"})`, [], { cause: err });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: "plan", plan: parseSavedPlan(text, path) };
  }
  if (typeof value !== "object" || value === null || !("plans" in value)) return { kind: "plan", plan: parseSavedPlan(text, path) };
  const set = value as { formatVersion?: unknown; plans: unknown };
  if (set.formatVersion !== PLAN_FORMAT_VERSION) {
    throw new ConfigError(`${path} is a plan set of formatVersion ${JSON.stringify(set.formatVersion)}; this antryk-access reads formatVersion ${PLAN_FORMAT_VERSION}: run plan again`);
  }
  if (!Array.isArray(set.plans) || set.plans.length === 0) throw new ConfigError(`${path} is not a saved plan set: plans: must be a list of at least one plan`);
  assertBound(path, (value as { workspaces?: unknown }).workspaces, set.plans);
  const plans = set.plans.map((p, i) => parseSavedPlan(JSON.stringify(p), `${path} plans[${i}]`));
  const seen = new Set<string>();
  for (const p of plans) {
    if (seen.has(p.workspace)) throw new ConfigError(`${path} is not a saved plan set: workspace ${p.workspace} appears twice`);
    seen.add(p.workspace);
  }
  return { kind: "set", plans };
}
