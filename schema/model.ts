import { z } from "zod";
import { PolicySchema } from "./policy/model.js";

/**
 * The normalized access model (DesiredState): what access.yaml says after schema
 * checks, normalization (trimmed lower-case emails, groups expanded, defaults applied,
 * `expires` resolved against a clock) and the named rules. The engine consumes only this.
 */

/** SourceRefSchema points at the YAML node a value came from (1-based line and column). */
export const SourceRefSchema = z.object({
  file: z.string(),
  line: z.number().int().positive(),
  column: z.number().int().positive(),
  path: z.array(z.union([z.string(), z.number()])),
});
export type SourceRef = z.infer<typeof SourceRefSchema>;

/** RemovalLimitSchema is safety.maxRemovals: an absolute count or a percentage of current members. */
export const RemovalLimitSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("count"), value: z.number().int().nonnegative() }),
  z.object({ kind: z.literal("percent"), value: z.number().nonnegative().max(100) }),
]);
export type RemovalLimit = z.infer<typeof RemovalLimitSchema>;

/** SafetySchema holds the rails the file asks for; defaults: 25%, 1 admin, none required, none preserved. */
export const SafetySchema = z.object({
  maxRemovals: RemovalLimitSchema,
  minAdmins: z.number().int().nonnegative(),
  requiredAdmins: z.array(z.string()),
  preserve: z.array(z.string()),
  /** Managers whose objects the file may change or remove (the managedElsewhere rail); absent: none. */
  takeOver: z.array(z.string()).optional(),
  /** warnInactiveAfter: days; the plan warns `inactive-member` about each member it keeps who has been inactive longer (absent: off). */
  warnInactiveAfter: z.number().int().positive().optional(),
});
export type Safety = z.infer<typeof SafetySchema>;

/** InvitationPolicySchema: resend expired invitations (default true) at most maxResends times (default 3). */
export const InvitationPolicySchema = z.object({
  resendExpired: z.boolean(),
  maxResends: z.number().int().nonnegative(),
});
export type InvitationPolicy = z.infer<typeof InvitationPolicySchema>;

/** DesiredRoleSchema is a custom role the file defines. */
export const DesiredRoleSchema = z.object({
  name: z.string(),
  description: z.string(),
  permissions: z.array(z.string()),
  source: SourceRefSchema,
});
export type DesiredRole = z.infer<typeof DesiredRoleSchema>;

/** DesiredMemberSchema is one person the file names, with the role and extra grants they should hold. */
export const DesiredMemberSchema = z.object({
  email: z.string(),
  role: z.string(),
  permissions: z.array(z.string()),
  /** ISO date (YYYY-MM-DD) after which the entry is treated as absent. */
  expires: z.string().optional(),
  /** The group the entry came from, when it was expanded from `groups`. */
  group: z.string().optional(),
  source: SourceRefSchema,
});
export type DesiredMember = z.infer<typeof DesiredMemberSchema>;

/** DesiredStateSchema is the whole normalized file. `members` holds only entries not yet expired; `expiredMembers` the rest. */
export const DesiredStateSchema = z.object({
  file: z.string(),
  version: z.literal(1),
  workspace: z.string(),
  owner: z.string().optional(),
  /** The file's `manager:` (the id its writes are marked with); absent: antryk-access:<workspace> (fileManager). */
  manager: z.string().optional(),
  /** Where `owner:` is written (findings about the owner point there); absent with `owner`. */
  ownerSource: SourceRefSchema.optional(),
  mode: z.enum(["authoritative", "additive"]),
  safety: SafetySchema,
  invitations: InvitationPolicySchema,
  roles: z.array(DesiredRoleSchema),
  members: z.array(DesiredMemberSchema),
  expiredMembers: z.array(DesiredMemberSchema),
  /** The file's policies (docs/policies.md); absent when it has none. */
  policies: z.array(PolicySchema).optional(),
});
export type DesiredState = z.infer<typeof DesiredStateSchema>;

/** DEFAULTS are the values a file gets for keys it leaves out. */
export const DEFAULTS = {
  mode: "authoritative",
  maxRemovals: { kind: "percent", value: 25 },
  minAdmins: 1,
  resendExpired: true,
  maxResends: 3,
} as const satisfies {
  mode: DesiredState["mode"];
  maxRemovals: RemovalLimit;
  minAdmins: number;
  resendExpired: boolean;
  maxResends: number;
};
