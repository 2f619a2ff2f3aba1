import { readFile } from "node:fs/promises";
import { z } from "zod";
import { ConfigError } from "../errors.js";
import { PLAN_FORMAT_VERSION, PHASES, type AccessFileRef, type Plan } from "../reconciler/plan.js";

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

const email = z.string().min(3);
const access = z.object({ role: z.string().min(1), permissions: z.array(z.string()) });
const roleBody = z.object({ description: z.string(), permissions: z.array(z.string()) });
const common = {
  key: z.string().min(1),
  phase: z.enum(PHASES as [string, ...string[]]),
  risk: z.enum(["high", "normal"]),
  gained: z.array(z.string()),
  lost: z.array(z.string()),
  reason: z.string(),
};
const version = z.number().int().nonnegative();
const id = z.string().min(1);

const ChangeSchema = z.discriminatedUnion("kind", [
  z.object({ ...common, kind: z.literal("inviteMember"), email, before: z.null(), after: access }),
  z.object({ ...common, kind: z.literal("updateInvitation"), email, invitationId: id, version, before: access, after: access }),
  z.object({
    ...common,
    kind: z.literal("resendInvitation"),
    email,
    invitationId: id,
    version,
    sendCount: z.number().int().nonnegative(),
    before: access,
    after: access,
  }),
  z.object({ ...common, kind: z.literal("revokeInvitation"), email, invitationId: id, version, before: access, after: z.null() }),
  z.object({ ...common, kind: z.literal("updateMember"), email, memberId: id, version, before: access, after: access }),
  z.object({ ...common, kind: z.literal("removeMember"), email, memberId: id, version, before: access, after: z.null() }),
  z.object({ ...common, kind: z.literal("createRole"), name: z.string().min(1), before: z.null(), after: roleBody }),
  z.object({ ...common, kind: z.literal("updateRole"), name: z.string().min(1), version, before: roleBody, after: roleBody }),
  z.object({ ...common, kind: z.literal("deleteRole"), name: z.string().min(1), version, before: roleBody, after: z.null() }),
]);

const PlanSchema = z.looseObject({
  formatVersion: z.literal(PLAN_FORMAT_VERSION),
  planId: z.string().min(1),
  workspace: z.string().min(1),
  target: z.string(),
  accessFile: z.object({ path: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  mode: z.enum(["authoritative", "additive"]),
  liveDigest: z.string().min(1),
  liveRevision: z.number().int().nonnegative(),
  caller: z.string(),
  changes: z.array(ChangeSchema),
  warnings: z.array(z.looseObject({ code: z.string(), message: z.string() })),
  violations: z.array(z.looseObject({ rail: z.string(), message: z.string() })),
  summary: z.looseObject({ total: z.number().int().nonnegative() }),
});

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

/** parseSavedPlan checks a saved plan's text (see readSavedPlan). */
export function parseSavedPlan(text: string, path: string): SavedPlan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${path} is not a saved plan: not valid JSON (${(err as Error).message})`, [], { cause: err });
  }
  const version = (value as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof value === "object" && value !== null && version !== undefined && version !== PLAN_FORMAT_VERSION) {
    throw new ConfigError(
      `${path} is a plan of formatVersion ${JSON.stringify(version)}; this antryk-access reads formatVersion ${PLAN_FORMAT_VERSION}`,
    );
  }
  const parsed = PlanSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join(".") : "(top level)";
    throw new ConfigError(`${path} is not a saved plan: ${where}: ${issue?.message ?? "invalid"}`);
  }
  const keys = new Set<string>();
  for (const change of parsed.data.changes) {
    if (keys.has(change.key)) throw new ConfigError(`${path} is not a saved plan: the change key "${change.key}" appears twice`);
    keys.add(change.key);
  }
  return parsed.data as unknown as SavedPlan;
}
