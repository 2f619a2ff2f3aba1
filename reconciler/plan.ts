import { randomUUID } from "node:crypto";
import type { AuditAction, AuditClient, SponsoredChoice } from "../schema/api.js";
import type { Equals } from "./equals.js";

/**
 * Plan is the contract between computing a change and making it: plain, versioned,
 * JSON-serializable data. Renderers read it, applyPlan acts only on `changes`, and a
 * saved plan is refused when `liveDigest` no longer matches the workspace. A Plan
 * never holds a secret (no token, no invitation token).
 */

/**
 * PLAN_FORMAT_VERSION is bumped on any incompatible change to Plan's shape
 * (docs/plan-format.md). 2 added `planId` and `accessFile`; 3 added sponsors (`sponsored`,
 * a revocation's `cause`) and dropped the `reinvitations` phase; 4 added time-bound access
 * (`accessExpiresAt` on inviteMember, updateInvitation and updateMember), which an older
 * reader would drop silently.
 */
export const PLAN_FORMAT_VERSION = 4 as const;

/** Access is what a person holds or will hold: a role plus extra grants (catalog order). */
export interface Access {
  role: string;
  permissions: string[];
}

/**
 * AccessExpiry is a change to when a person's access ends (the API's `accessExpiresAt`, from
 * the file's `expires`): the live value and the one the change sets, RFC 3339; null: never.
 * A change without it leaves the live value as it is.
 */
export interface AccessExpiry {
  before: string | null;
  after: string | null;
}

/** Expiring is carried by a change that can set when a person's access ends (absent: it does not touch it). */
interface Expiring {
  accessExpiresAt?: AccessExpiry;
}

/** RoleBody is a custom role's definition. */
export interface RoleBody {
  description: string;
  permissions: string[];
}

/** Risk: `high` when a change gains access:manage, billing:read or an admin role, or loses access:manage (any path, a role edit included). */
export type Risk = "high" | "normal";

/**
 * Phase orders apply: roles first, then invitations and promotions, then demotions, then
 * removals and revocations, then role deletions. Changes of one phase may run
 * concurrently; a phase starts when the previous one has finished. A revocation that is
 * the consequence of another change (`cause`) runs in its cause's phase.
 */
export type Phase = (typeof PHASES)[number];

/** PHASES lists the phases in apply order (the one home of the Phase names). */
export const PHASES = ["roles", "grants", "demotions", "removals", "roleDeletions"] as const;

/**
 * SponsoredInvitation is one open invitation sponsored by someone a change takes
 * access:manage from, and what the plan decided for it: `transfer` (the applying caller
 * becomes its sponsor: the file wants it, it is preserved, or additive mode leaves it
 * alone) or `revoke` (nothing keeps it; a revokeInvitation change with this `cause` does it,
 * unless the file revokes it anyway). `reason` says which.
 */
export interface SponsoredInvitation {
  email: string;
  invitationId: string;
  sponsor: string;
  decision: SponsoredChoice;
  reason: string;
}

/** Sponsoring is carried by a change that can take access:manage away: the open invitations it decides (absent: none). */
interface Sponsoring {
  sponsored?: SponsoredInvitation[];
}

/** ChangeCommon is carried by every change: a stable key, its phase, its effect on effective permissions, and why. */
interface ChangeCommon {
  /** key is unique in a plan and stable across runs (e.g. `inviteMember:bob@acme.io`); it seeds the Idempotency-Key. */
  key: string;
  phase: Phase;
  risk: Risk;
  /** Effective permissions gained and lost by the person (or by holders of the role), catalog order. */
  gained: string[];
  lost: string[];
  /** reason is a short human explanation (e.g. "not in access.yaml", "expired on 2027-01-31"). */
  reason: string;
  /**
   * liveSince is the access-history event that produced the live value this change
   * changes (attributeChanges, reconciler/history.ts): absent when the history was not
   * read (computePlan never reads it), null when the pages read did not explain it.
   * Context for people only: apply never acts on it and the saved-plan check ignores it.
   */
  liveSince?: LiveSince | null;
}

/** LiveSince is who made the live value a change undoes, when, through which client (docs/plan-format.md). */
export interface LiveSince {
  eventId: string;
  action: AuditAction;
  actor: string;
  at: string;
  requestId: string;
  client: AuditClient;
  clientVersion?: string;
  /** manager is the manager the change was made for (the request's X-Antryk-Manager); absent: none, a hand change. */
  manager?: string;
  /**
   * otherManager is true when `manager` is another manager than the plan's own: the change
   * this plan undoes was made by another tool (a fight between tools, not a hand edit).
   */
  otherManager?: boolean;
}

/** InviteMember sends a new invitation (the email is neither a member nor pending). */
export interface InviteMember extends ChangeCommon, Expiring {
  kind: "inviteMember";
  email: string;
  before: null;
  after: Access;
}

/** UpdateInvitation changes the role, grants or access expiry of a pending invitation in place. */
export interface UpdateInvitation extends ChangeCommon, Expiring {
  kind: "updateInvitation";
  email: string;
  invitationId: string;
  version: number;
  before: Access;
  after: Access;
}

/** ResendInvitation resends an expired invitation that already matches the file (new token, new expiry). */
export interface ResendInvitation extends ChangeCommon {
  kind: "resendInvitation";
  email: string;
  invitationId: string;
  version: number;
  /** sendCount before this resend. */
  sendCount: number;
  before: Access;
  after: Access;
}

/** RevokeInvitation revokes a pending invitation the file no longer names, or an open one whose sponsor loses access:manage (`cause`). */
export interface RevokeInvitation extends ChangeCommon {
  kind: "revokeInvitation";
  email: string;
  invitationId: string;
  version: number;
  before: Access;
  after: null;
  /** cause is the key of the change that takes access:manage from the invitation's sponsor, when the revocation is that change's consequence. */
  cause?: string;
}

/** UpdateMember changes a member's role, grants or access expiry in place (never remove + re-add). */
export interface UpdateMember extends ChangeCommon, Sponsoring, Expiring {
  kind: "updateMember";
  email: string;
  memberId: string;
  version: number;
  before: Access;
  after: Access;
}

/** RemoveMember removes an active member the file does not name (authoritative mode only). */
export interface RemoveMember extends ChangeCommon, Sponsoring {
  kind: "removeMember";
  email: string;
  memberId: string;
  version: number;
  before: Access;
  after: null;
}

/** CreateRole defines a custom role the workspace does not have. */
export interface CreateRole extends ChangeCommon {
  kind: "createRole";
  name: string;
  before: null;
  after: RoleBody;
}

/** UpdateRole redefines a custom role; `gained`/`lost` are per holder. */
export interface UpdateRole extends ChangeCommon, Sponsoring {
  kind: "updateRole";
  name: string;
  version: number;
  before: RoleBody;
  after: RoleBody;
  /**
   * holders names everyone who holds the role once the plan's people changes are made,
   * with what this edit changes for them. computePlan always fills it; it is optional only
   * so that a hand-built or older saved plan without it still reads (renderers then name nobody).
   */
  holders?: RoleHolder[];
}

/** RoleHolder is one holder of an edited role: their effective permissions under the role's old and new definition (catalog order). */
export interface RoleHolder {
  email: string;
  state: "active" | "pending";
  before: string[];
  after: string[];
}

/** DeleteRole deletes a custom role the file does not define, once nobody holds it. */
export interface DeleteRole extends ChangeCommon {
  kind: "deleteRole";
  name: string;
  version: number;
  before: RoleBody;
  after: null;
}

/** Change is the closed union of everything a plan can do; switch on `kind` and end in assertNever. */
export type Change =
  | InviteMember
  | UpdateInvitation
  | ResendInvitation
  | RevokeInvitation
  | UpdateMember
  | RemoveMember
  | CreateRole
  | UpdateRole
  | DeleteRole;

/** ChangeKind is the `kind` of a Change. */
export type ChangeKind = Change["kind"];

/**
 * CHANGE_KINDS lists every kind once, in rendering order: a plan's changes of one phase and
 * risk are ordered by it before their subject (plan-order.ts), and the JSON summary lists
 * the kinds in it. The compiler proves it names exactly the kinds of the Change union.
 */
export const CHANGE_KINDS = [
  "createRole",
  "updateRole",
  "inviteMember",
  "updateInvitation",
  "resendInvitation",
  "updateMember",
  "revokeInvitation",
  "removeMember",
  "deleteRole",
] as const;
const changeKindsComplete: Equals<(typeof CHANGE_KINDS)[number], ChangeKind> = true;
void changeKindsComplete;

/** PLAN_WARNING_CODES lists every PlanWarning code (docs/plan-format.md, "Warnings"); a producer can use no other. */
export const PLAN_WARNING_CODES = [
  "max-resends-reached",
  "invitation-expired",
  "preserved-differs",
  "unmanaged-member",
  "unmanaged-invitation",
  "managed-elsewhere",
  "unmanaged-role",
  "role-in-use",
  "inactive-member",
  "history-incomplete",
  "history-unreadable",
] as const;

/** PlanWarningCode is the `code` of a PlanWarning. */
export type PlanWarningCode = (typeof PLAN_WARNING_CODES)[number];

/** PlanWarning is something the plan noticed but will not act on (additive mode leftovers, maxResends reached, …). */
export interface PlanWarning {
  code: PlanWarningCode;
  message: string;
  email?: string;
}

/** RAIL_NAMES names the built-in safety rails (docs/plan-format.md, "Safety rails"; their checks: SAFETY_RAILS, reconciler/safety/index.ts). */
export const RAIL_NAMES = ["maxRemovals", "minAdmins", "requiredAdmins", "preserve", "owner", "self", "unknownRole", "managedElsewhere", "lookAlike"] as const;

/** RailName is a built-in rail; a blocking policy finding is the rail `policy:<name>` instead. */
export type RailName = (typeof RAIL_NAMES)[number];

/**
 * SafetyViolation is a rail that blocks the plan; `override` names the flag or file key that lifts it, if any.
 * An error-severity policy finding blocks as the rail `policy:<name>` (docs/policies.md).
 */
export interface SafetyViolation {
  rail: RailName | `policy:${string}`;
  message: string;
  override?: string;
}

/**
 * PolicyStatus relates a finding about the workspace after the plan to the live workspace:
 * `new` (the plan makes it so), `unfixed` (already so live; the plan does not fix it),
 * `worse` (a limit already exceeded live that the plan pushes further over), or `fixed`
 * (so live; the plan fixes it: reported, never blocking).
 */
export type PolicyStatus = "new" | "unfixed" | "worse" | "fixed";

/** PolicyFinding is one policy finding of a plan: `subject` is who (an email, `the owner`, `6 people`), `message` why. */
export interface PolicyFinding {
  policy: string;
  severity: "error" | "warning";
  subject: string;
  message: string;
  status: PolicyStatus;
}

/**
 * PlanPolicies is a plan's policy section: how many policies were checked against the
 * workspace as the plan leaves it, and every finding (error-severity ones that are not
 * `fixed` also block, as `policy:<name>` violations). Informational in a saved plan: apply
 * re-evaluates the policies and never trusts this.
 */
export interface PlanPolicies {
  checked: number;
  findings: PolicyFinding[];
}

/** PlanSummary counts changes by kind; `total` is changes.length. */
export type PlanSummary = { [K in ChangeKind | "total" | "highRisk"]: number };

/**
 * AccessFileRef binds a plan to the access file it was computed from: its path (relative
 * to the working directory the plan was made in) and the SHA-256 (hex) of its bytes.
 * Applying a saved plan refuses a file whose bytes no longer have this digest.
 */
export interface AccessFileRef {
  path: string;
  sha256: string;
}

/** Plan is one computed plan. An empty `violations` means it may be applied. */
export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  /**
   * planId is random per computed plan (a UUID). Idempotency keys derive from it and the
   * change key, so a retried apply of the same saved plan replays its own requests and no
   * other plan can ever collide with them, however often a workspace state recurs.
   */
  planId: string;
  workspace: string;
  /**
   * target is the API base URL the live state was read from (never a credential), or
   * `embedded:<db path>` for the embedded local workspace (see isLocalTarget).
   */
  target: string;
  /** accessFile is the file the desired state came from; null when it came from an in-memory document (the Pulumi provider). */
  accessFile: AccessFileRef | null;
  mode: "authoritative" | "additive";
  /** liveDigest identifies the live state the plan was computed from. */
  liveDigest: string;
  liveRevision: number;
  /** caller is the email of the member whose token read the live state. */
  caller: string;
  changes: Change[];
  warnings: PlanWarning[];
  violations: SafetyViolation[];
  /** policies is the policy section; absent when the file has no policies. */
  policies?: PlanPolicies;
  summary: PlanSummary;
}

/** LOCAL_TARGET_PREFIX starts the target of a plan computed against the embedded local workspace. */
export const LOCAL_TARGET_PREFIX = "embedded:";

/** isLocalTarget tells whether a plan's target is the embedded local workspace (a throwaway SQLite file, not a real Antryk workspace). */
export function isLocalTarget(target: string): boolean {
  return target.startsWith(LOCAL_TARGET_PREFIX);
}

/** assertNever ends every switch over a closed union; reaching it is a bug. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}

/** summarize counts a plan's changes by kind. */
export function summarize(changes: readonly Change[]): PlanSummary {
  const summary = Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as PlanSummary;
  for (const c of changes) summary[c.kind] += 1;
  summary.total = changes.length;
  summary.highRisk = changes.filter((c) => c.risk === "high").length;
  return summary;
}

/** PlanInit is what createPlan needs; everything else of a Plan is derived or defaulted. */
export type PlanInit = Omit<Plan, "formatVersion" | "planId" | "accessFile" | "summary" | "warnings" | "violations"> &
  Partial<Pick<Plan, "planId" | "accessFile" | "warnings" | "violations">>;

/**
 * createPlan is the one constructor of a Plan (computePlan, the bench and the tests use
 * it): the current formatVersion, a random planId unless given, no access file, no
 * warnings and no violations unless given, and the summary counted from `changes`.
 */
export function createPlan(init: PlanInit): Plan {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    planId: init.planId ?? randomUUID(),
    workspace: init.workspace,
    target: init.target,
    accessFile: init.accessFile ?? null,
    mode: init.mode,
    liveDigest: init.liveDigest,
    liveRevision: init.liveRevision,
    caller: init.caller,
    changes: init.changes,
    warnings: init.warnings ?? [],
    violations: init.violations ?? [],
    summary: summarize(init.changes),
  };
}
