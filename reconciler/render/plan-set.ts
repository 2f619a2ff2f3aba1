import { createHash } from "node:crypto";
import { CHANGE_KIND_TABLE, type ChangeKindInfo } from "../change-kinds.js";
import { PLAN_FORMAT_VERSION, type ChangeKind, type Plan } from "../plan.js";
import { showInvisible as v } from "./escape.js";
import { renderJson } from "./json.js";
import { renderText, type TextOptions } from "./text.js";

/**
 * A plan set: the plans of several workspaces computed together (`plan -f access/`), as data
 * and as text. Each plan is a full plan exactly as one workspace's; a workspace that could
 * not be planned (its API refused, its token was wrong) is an outcome with an error instead.
 */

/** WorkspaceOutcome is one workspace of a plan set: its plan (and YAML diff for Markdown), or why it has none. */
export type WorkspaceOutcome = { workspace: string; file: string; plan: Plan; yamlDiff?: string } | { workspace: string; file: string; error: string };

/** SetColumn is a column of the plan set's summary table that counts changes (CHANGE_KIND_TABLE's `setColumn`). */
export type SetColumn = ChangeKindInfo<ChangeKind>["setColumn"];

/** SetRow is one workspace's line of the summary table. */
export interface SetRow {
  workspace: string;
  invite: number;
  update: number;
  remove: number;
  roles: number;
  highRisk: number;
  blocked: number;
  error?: string;
}

/** setRow counts one outcome's changes by column. */
export function setRow(o: WorkspaceOutcome): SetRow {
  const row: SetRow = { workspace: o.workspace, invite: 0, update: 0, remove: 0, roles: 0, highRisk: 0, blocked: 0 };
  if (!("plan" in o)) return { ...row, error: o.error };
  for (const c of o.plan.changes) row[CHANGE_KIND_TABLE[c.kind].setColumn] += 1;
  return { ...row, highRisk: o.plan.summary.highRisk, blocked: o.plan.violations.length };
}

/** setSummaryLine is the closing line of a plan set, e.g. `Plan set: 3 workspaces: 1 blocked, 1 with changes, 1 without (4 changes, 1 high risk).` */
export function setSummaryLine(outcomes: readonly WorkspaceOutcome[]): string {
  const rows = outcomes.map(setRow);
  const errors = rows.filter((r) => r.error !== undefined).length;
  const blocked = rows.filter((r) => r.blocked > 0).length;
  const total = (r: SetRow) => r.invite + r.update + r.remove + r.roles;
  const changed = rows.filter((r) => r.error === undefined && r.blocked === 0 && total(r) > 0).length;
  const clean = rows.filter((r) => r.error === undefined && r.blocked === 0 && total(r) === 0).length;
  const parts = [
    ...(errors > 0 ? [`${errors} not planned (error)`] : []),
    ...(blocked > 0 ? [`${blocked} blocked`] : []),
    `${changed} with changes`,
    `${clean} without changes`,
  ];
  const changes = rows.reduce((n, r) => n + total(r), 0);
  const high = rows.reduce((n, r) => n + r.highRisk, 0);
  const n = outcomes.length;
  return `Plan set: ${n} workspace${n === 1 ? "" : "s"}: ${parts.join(", ")} (${changes} change${changes === 1 ? "" : "s"}, ${high} high risk).`;
}

/**
 * renderSetText is a plan set for a terminal: a section per workspace (its header line, then
 * the workspace's plan exactly as renderText prints it alone, or its error), then the set's
 * summary line. Pure.
 */
export function renderSetText(outcomes: readonly WorkspaceOutcome[], options: TextOptions): string {
  const sections = outcomes.map((o) => {
    const head = v(`=== ${o.workspace} (${o.file}) ===`);
    return "plan" in o ? `${head}\n${renderText(o.plan, options)}` : `${head}\nError: ${v(o.error)}\n`;
  });
  return `${sections.join("\n")}\n${v(setSummaryLine(outcomes))}\n`;
}

/**
 * PlanSet is the JSON form of a plan set: `{ formatVersion, workspaces, plans }`, each plan
 * exactly as renderJson writes it alone; `workspaces` binds the set as a whole: each plan's
 * workspace and digest (planJsonDigest), in order, so a set that lost, gained or reordered a
 * plan is refused.
 */
export interface PlanSet {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  workspaces: { workspace: string; digest: string }[];
  plans: Plan[];
}

/** planJsonDigest is `sha256:<hex>` of a plan's JSON as renderJson writes it (a parsed plan's JSON.stringify with two spaces and a newline is the same text). */
export function planJsonDigest(json: string): string {
  return `sha256:${createHash("sha256").update(json).digest("hex")}`;
}

/** renderSetJson is a plan set as pretty JSON (docs/plan-format.md, "Plan sets"); `apply` reads it back. */
export function renderSetJson(plans: readonly Plan[]): string {
  const texts = plans.map((p) => renderJson(p));
  const set = {
    formatVersion: PLAN_FORMAT_VERSION,
    workspaces: plans.map((p, i) => ({ workspace: p.workspace, digest: planJsonDigest(texts[i]!) })),
    plans: texts.map((t) => JSON.parse(t) as unknown),
  };
  return `${JSON.stringify(set, null, 2)}\n`;
}
