import { z } from "zod";
import { ConfigError } from "../errors.js";
import { AUDIT_ACTIONS, AUDIT_CLIENTS } from "../schema/api.js";
import type { Equals } from "./equals.js";
import { CHANGE_KINDS, PHASES, PLAN_FORMAT_VERSION, PLAN_WARNING_CODES, RAIL_NAMES, type Change, type ChangeKind, type Plan } from "./plan.js";

/**
 * The zod schema of a Plan, the one runtime definition of its shape: `parsePlan` checks a
 * plan read back from JSON with it, and the compiler proves below that it describes
 * exactly the `Plan` and `Change` types of plan.ts (change one without the other and the
 * build fails). Passing it proves the shape, not the content: apply re-judges a saved plan.
 */

const access = z.object({ role: z.string().min(1), permissions: z.array(z.string()) });
const roleBody = z.object({ description: z.string(), permissions: z.array(z.string()) });
const email = z.string().min(3);
const id = z.string().min(1);
const name = z.string().min(1);
const version = z.number().int().nonnegative();
/** LiveSinceSchema is a change's `liveSince` (who made the live value it undoes). */
export const LiveSinceSchema = z.object({
  eventId: z.string().min(1),
  action: z.enum(AUDIT_ACTIONS),
  actor: z.string(),
  at: z.string().min(1),
  requestId: z.string(),
  client: z.enum(AUDIT_CLIENTS),
  clientVersion: z.string().optional(),
  manager: z.string().optional(),
  otherManager: z.boolean().optional(),
});
const holder = z.object({ email, state: z.enum(["active", "pending"]), before: z.array(z.string()), after: z.array(z.string()) });
const sponsored = z
  .array(z.object({ email, invitationId: id, sponsor: email, decision: z.enum(["revoke", "transfer"]), reason: z.string() }))
  .optional();
const instant = z.string().min(1).nullable();
const accessExpiresAt = z.object({ before: instant, after: instant }).optional();
const common = {
  key: z.string().min(1),
  phase: z.enum(PHASES),
  risk: z.enum(["high", "normal"]),
  gained: z.array(z.string()),
  lost: z.array(z.string()),
  reason: z.string(),
  liveSince: LiveSinceSchema.nullable().optional(),
};

/** ChangeSchema is the closed union of changes, discriminated by `kind`. */
export const ChangeSchema = z.discriminatedUnion("kind", [
  z.object({ ...common, kind: z.literal("inviteMember"), email, before: z.null(), after: access, accessExpiresAt }),
  z.object({ ...common, kind: z.literal("updateInvitation"), email, invitationId: id, version, before: access, after: access, accessExpiresAt }),
  z.object({ ...common, kind: z.literal("resendInvitation"), email, invitationId: id, version, sendCount: version, before: access, after: access }),
  z.object({ ...common, kind: z.literal("revokeInvitation"), email, invitationId: id, version, before: access, after: z.null(), cause: z.string().min(1).optional() }),
  z.object({ ...common, kind: z.literal("updateMember"), email, memberId: id, version, before: access, after: access, sponsored, accessExpiresAt }),
  z.object({ ...common, kind: z.literal("removeMember"), email, memberId: id, version, before: access, after: z.null(), sponsored }),
  z.object({ ...common, kind: z.literal("createRole"), name, before: z.null(), after: roleBody }),
  z.object({ ...common, kind: z.literal("updateRole"), name, version, before: roleBody, after: roleBody, holders: z.array(holder).optional(), sponsored }),
  z.object({ ...common, kind: z.literal("deleteRole"), name, version, before: roleBody, after: z.null() }),
]);

const count = z.number().int().nonnegative();
// One count per kind, spelled out as properties so that the JSON Schema names them (a record
// of an enum intersected with an object would not translate).
const kindCounts = Object.fromEntries(CHANGE_KINDS.map((kind) => [kind, count])) as Record<ChangeKind, typeof count>;

/** PlanSchema is a whole plan of the current formatVersion. */
export const PlanSchema = z.object({
  formatVersion: z.literal(PLAN_FORMAT_VERSION),
  planId: z.string().min(1),
  workspace: z.string().min(1),
  target: z.string(),
  accessFile: z.object({ path: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).nullable(),
  mode: z.enum(["authoritative", "additive"]),
  liveDigest: z.string().min(1),
  liveRevision: z.number().int().nonnegative(),
  caller: z.string(),
  changes: z.array(ChangeSchema),
  warnings: z.array(z.object({ code: z.enum(PLAN_WARNING_CODES), message: z.string(), email: z.string().optional() })),
  violations: z.array(z.object({ rail: z.union([z.enum(RAIL_NAMES), z.templateLiteral(["policy:", z.string()])]), message: z.string(), override: z.string().optional() })),
  policies: z
    .object({
      checked: z.number().int().nonnegative(),
      findings: z.array(
        z.object({ policy: z.string().min(1), severity: z.enum(["error", "warning"]), subject: z.string(), message: z.string(), status: z.enum(["new", "unfixed", "worse", "fixed"]) }),
      ),
    })
    .optional(),
  summary: z.object({ ...kindCounts, total: count, highRisk: count }),
});

// The compiler's proof that the schema and the types are one contract: strict equality, so
// a field (even an optional one) or a literal added to one side only fails the build.
const changeMatches: Equals<z.infer<typeof ChangeSchema>, Change> = true;
const planMatches: Equals<z.infer<typeof PlanSchema>, Plan> = true;
void changeMatches;
void planMatches;

/**
 * parsePlan reads a plan back from its JSON text (`name` names it in messages): a
 * ConfigError names the first field at fault, another formatVersion, or a change key
 * listed twice. It never fetches or trusts anything: see docs/apply.md for what apply
 * checks next.
 */
export function parsePlan(text: string, name: string): Plan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${name} is not a saved plan: not valid JSON (${(err as Error).message})`, [], { cause: err });
  }
  const formatVersion = (value as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof value === "object" && value !== null && formatVersion !== undefined && formatVersion !== PLAN_FORMAT_VERSION) {
    throw new ConfigError(
      `${name} is a plan of formatVersion ${JSON.stringify(formatVersion)}; this antryk-access reads formatVersion ${PLAN_FORMAT_VERSION}: run plan again`,
    );
  }
  const parsed = PlanSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join(".") : "(top level)";
    throw new ConfigError(`${name} is not a saved plan: ${where}: ${issue?.message ?? "invalid"}`);
  }
  const keys = new Set<string>();
  for (const change of parsed.data.changes) {
    if (keys.has(change.key)) throw new ConfigError(`${name} is not a saved plan: the change key "${change.key}" appears twice`);
    keys.add(change.key);
  }
  return parsed.data;
}

/**
 * planJsonSchema is PlanSchema as JSON Schema (draft 2020-12), zod's own output: the text of
 * the checked-in schema/plan.schema.json, for readers of plan.json outside TypeScript.
 * test/reconciler/plan-schema.test.ts fails when the file and the schema differ.
 */
export function planJsonSchema(): string {
  const { $schema, ...body } = z.toJSONSchema(PlanSchema, { target: "draft-2020-12", io: "input" });
  const head = {
    $schema,
    $id: `urn:antryk-access:plan.schema.json:v${PLAN_FORMAT_VERSION}`,
    title: `antryk-access saved plan (formatVersion ${PLAN_FORMAT_VERSION})`,
    description: "A plan as `plan --out` writes it, generated from reconciler/plan-schema.ts (PlanSchema). See docs/plan-format.md.",
  };
  return `${JSON.stringify({ ...head, ...body }, null, 2)}\n`;
}
