import { z } from "zod";

/**
 * The policy language (`policies:` in access.yaml or a library): declarative guardrails a
 * workspace must satisfy, checked by validate on the file, by plan on the workspace after
 * the plan, and by review on the live workspace (docs/policies.md). A policy is small and
 * closed: who it is about (`match`), and exactly one of what they must have (`require`),
 * must not have (`deny`) or how many may have it (`limit`).
 */

/** POLICY_NAME_PATTERN: policy names are lower-case words joined by hyphens, like custom role names. */
export const POLICY_NAME_PATTERN = /^[a-z][a-z0-9-]{1,62}$/;

/** DURATION_PATTERN: a number of days written `90d` (1 to 36,500 days). */
export const DURATION_PATTERN = /^[1-9][0-9]{0,4}d$/;

/** PolicySeverity: `error` (the default) blocks validate, plan and apply; `warning` only reports. */
export const PolicySeveritySchema = z.enum(["error", "warning"]);
export type PolicySeverity = z.infer<typeof PolicySeveritySchema>;

/** MatcherSchema: who a policy is about. Every key given must hold (AND); `not` negates a nested matcher; none given: everyone. */
export interface Matcher {
  /** Any of these emails (normalized). */
  email?: string[];
  /** An email whose domain is one of these (exact, lower-case; a subdomain is another domain). */
  emailDomain?: string[];
  /** An email whose domain is none of these. */
  emailDomainNot?: string[];
  role?: string;
  roleIn?: string[];
  /** A person the file lists in this group. */
  group?: string;
  /** A person whose effective permissions include this one. */
  hasPermission?: string;
  /** Days: a person whose last activity (or acceptance, never active) is older than this; only a live workspace knows it (usesActivity). */
  inactiveFor?: number;
  not?: Matcher;
}
export const MatcherSchema: z.ZodType<Matcher> = z.lazy(() =>
  z.object({
    email: z.array(z.string()).optional(),
    emailDomain: z.array(z.string()).optional(),
    emailDomainNot: z.array(z.string()).optional(),
    role: z.string().optional(),
    roleIn: z.array(z.string()).optional(),
    group: z.string().optional(),
    hasPermission: z.string().optional(),
    inactiveFor: z.number().int().positive().optional(),
    not: MatcherSchema.optional(),
  }),
);

/** RequirementSchema: what every matched person must have; each key given is one more requirement. */
export const RequirementSchema = z.object({
  /** Days: access must end (`expires`) at most this many days after today. */
  expiresWithin: z.number().int().positive().optional(),
  /** Access must be time-bound (an `expires` date). */
  expires: z.literal(true).optional(),
  roleIn: z.array(z.string()).optional(),
  roleNotIn: z.array(z.string()).optional(),
  /** Effective permissions may not go beyond these. */
  permissionsSubsetOf: z.array(z.string()).optional(),
});
export type Requirement = z.infer<typeof RequirementSchema>;

/** DenySchema: what no matched person may hold (effective permissions, or roles). */
export const DenySchema = z.object({
  permissions: z.array(z.string()).optional(),
  roles: z.array(z.string()).optional(),
});
export type Deny = z.infer<typeof DenySchema>;

/** LimitSchema: at most `max` matched people (owner, members and pending invitations) may hold the permission or the role. */
export const LimitSchema = z.union([
  z.object({ permission: z.string(), max: z.number().int().nonnegative() }),
  z.object({ role: z.string(), max: z.number().int().nonnegative() }),
]);
export type Limit = z.infer<typeof LimitSchema>;

/** PolicyRuleSchema is the closed union of what a policy checks. */
export const PolicyRuleSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("require"), require: RequirementSchema }),
  z.object({ kind: z.literal("deny"), deny: DenySchema }),
  z.object({ kind: z.literal("limit"), limit: LimitSchema }),
]);
export type PolicyRule = z.infer<typeof PolicyRuleSchema>;

/**
 * PolicySourceSchema is where a policy is written (its file, position and YAML path, `policies[2]`), for
 * diagnostics. The same shape as SourceRef (schema/model.ts), kept here so the policy module stands alone.
 */
export const PolicySourceSchema = z.object({
  file: z.string(),
  line: z.number().int().positive(),
  column: z.number().int().positive(),
  path: z.array(z.union([z.string(), z.number()])),
});
export type PolicySource = z.infer<typeof PolicySourceSchema>;

/** PolicySchema is one normalized policy: name, severity (default error), match (default everyone) and its rule. */
export const PolicySchema = z.object({
  name: z.string(),
  description: z.string(),
  severity: PolicySeveritySchema,
  match: MatcherSchema,
  rule: PolicyRuleSchema,
  source: PolicySourceSchema,
});
export type Policy = z.infer<typeof PolicySchema>;

/** usesActivity tells whether a policy's matcher (or one it negates) judges activity (`inactiveFor`), which only a live workspace knows. */
export function usesActivity(m: Matcher): boolean {
  return m.inactiveFor !== undefined || (m.not !== undefined && usesActivity(m.not));
}

/** DAY_MS is one day in milliseconds. */
export const DAY_MS = 86_400_000;
