import type { ActivityVia, InvitationStatus } from "../../schema/api.js";
import type { ChangeKind, LiveSince } from "../plan.js";

/**
 * Review is the access review of one live workspace (docs/review.md): plain, versioned,
 * JSON-serializable data that `buildReview` computes and the renderers (Markdown, CSV,
 * JSON) only read. It never holds a secret.
 */

/** REVIEW_FORMAT_VERSION is bumped on any incompatible change to Review's shape. */
export const REVIEW_FORMAT_VERSION = 1 as const;

/** EXPIRING_WITHIN_DAYS: access that access.yaml ends within this many days is listed as expiring. */
export const EXPIRING_WITHIN_DAYS = 30;

/** DEFAULT_STALE_AFTER_DAYS: invitations older than this are stale unless `--stale-after` says otherwise. */
export const DEFAULT_STALE_AFTER_DAYS = 14;

/** DEFAULT_INACTIVE_AFTER_DAYS: members not active for longer than this are listed as inactive unless `--inactive-after` says otherwise. */
export const DEFAULT_INACTIVE_AFTER_DAYS = 90;

/** PersonStatus: an active member, or an invitation still open (pending) or past its time to live (expired). */
export type PersonStatus = "active" | Extract<InvitationStatus, "pending" | "expired">;

/** FileGrant is where access.yaml grants a person access: the entry's `file:line`, and its group when a group expanded to it. */
export interface FileGrant {
  file: string;
  line: number;
  group?: string;
  /** expired: the entry's `expires` date has passed, so the file no longer grants anything. */
  expired: boolean;
}

/** ReviewPerson is one row of the review: a member (the owner included) or an open invitation. */
export interface ReviewPerson {
  email: string;
  status: PersonStatus;
  role: string;
  /** permissions are the extra grants on top of the role (catalog order). */
  permissions: string[];
  effectivePermissions: string[];
  /** highRisk are the effective permissions REVIEW_HIGH_RISK_PERMISSIONS names. */
  highRisk: string[];
  admin: boolean;
  owner: boolean;
  /** internal: the email's domain is one of the internal domains; null when none were given. */
  internal: boolean | null;
  /** inFile: where access.yaml grants it; null when the file does not name the person; absent when no file was given. */
  inFile?: FileGrant | null;
  /** managedBy is the manager id that manages the person (the server's `managedBy`); null: no file or stack manages them. */
  managedBy: string | null;
  /** since: joined (members) or invited (invitations) at, ISO time. */
  since: string;
  /** lastActiveAt: the member's last authenticated request as the workspace tracks it (null: never; invitations: null). */
  lastActiveAt: string | null;
  /** lastActiveVia: the client of that request (`dashboard`, `antryk-access`, `api`), null with lastActiveAt. */
  lastActiveVia: ActivityVia | null;
  /** inactiveDays: whole days since the last activity, or since joining if never active (members only; null for invitations). */
  inactiveDays: number | null;
  invitedBy: string | null;
  /** lastChange is the newest access-history event about the person; null when the history read has none. */
  lastChange: LiveSince | null;
  /** expires is the file entry's `expires` date (YYYY-MM-DD); null when none or no file. */
  expires: string | null;
  /** daysLeft until `expires` (0: its last day; negative: past); null with no `expires`. */
  daysLeft: number | null;
  /** accessExpiresAt is when the workspace itself ends the person's access (null: never); absent when the server does not send it. */
  accessExpiresAt?: string | null;
  memberId?: string;
  invitationId?: string;
  /** invitationExpiresAt is when an invitation's token expires (invitations only). */
  invitationExpiresAt?: string;
}

/** StaleInvitation is an invitation open longer than `staleAfterDays`, with the call that revokes it. */
export interface StaleInvitation {
  email: string;
  status: "pending" | "expired";
  invitationId: string;
  invitedAt: string;
  ageDays: number;
  invitedBy: string;
  /** command revokes it through the API (needs ANTRYK_API_URL and ANTRYK_TOKEN set); if access.yaml names the person, remove them there too, or apply re-invites. */
  command: string;
}

/** InactivePerson is a member (not the owner) inactive for longer than `inactiveAfterDays`, with the file entry that grants them access (a one-line removal). */
export interface InactivePerson {
  email: string;
  role: string;
  lastActiveAt: string | null;
  lastActiveVia: ActivityVia | null;
  inactiveDays: number;
  /** inFile: the entry that grants them access; null when the file does not name them; absent without a file. */
  inFile?: FileGrant | null;
}

/** DriftItem is one change `plan` would make: the live workspace differs from access.yaml there. */
export interface DriftItem {
  key: string;
  kind: ChangeKind;
  subject: string;
  /** text says it as the plan does: `update bob@acme.io: account-admin → developer`. */
  text: string;
  reason: string;
}

/** HistoryCoverage says how much of the access history the review read (docs/review.md, "Reads"). */
export interface HistoryCoverage {
  /** readable is false when the token may not read the history (no access:manage): no lastChange then. */
  readable: boolean;
  pagesRead: number;
  eventsRead: number;
  /** complete: every person's last change was found, or the whole history was read. */
  complete: boolean;
}

/** ReviewSummary counts the report's rows and sections; the file-based counts are null when no access.yaml was given. */
export interface ReviewSummary {
  people: number;
  active: number;
  pending: number;
  expired: number;
  admins: number;
  highRisk: number;
  outside: number | null;
  expiring: number | null;
  stale: number;
  inactive: number;
  notInFile: number | null;
  /** notManaged counts the people (the owner aside) no file or stack manages: the server answers it, with or without access.yaml. */
  notManaged: number;
  drift: number | null;
}

/** Review is the whole report. `people` are sorted by email; sections list emails of `people` (or their own rows). */
export interface Review {
  formatVersion: typeof REVIEW_FORMAT_VERSION;
  workspace: string;
  target: string;
  /** generatedAt is the clock the report was computed at (days left, stale ages). */
  generatedAt: string;
  revision: number;
  owner: string;
  /** accessFile is the path of the access.yaml compared with, or null. */
  accessFile: string | null;
  internalDomains: string[];
  staleAfterDays: number;
  expiringWithinDays: number;
  inactiveAfterDays: number;
  history: HistoryCoverage;
  summary: ReviewSummary;
  people: ReviewPerson[];
  admins: string[];
  /** outside: emails outside the internal domains; null when no internal domain was given. */
  outside: string[] | null;
  /** expiring: emails whose access access.yaml ends within expiringWithinDays; null without a file. */
  expiring: string[] | null;
  stale: StaleInvitation[];
  /** inactive: members (not the owner) inactive for longer than inactiveAfterDays, longest first. */
  inactive: InactivePerson[];
  /** drift: what `plan` would change; null without a file. */
  drift: DriftItem[] | null;
  /** policies: the file's policies judged on the live workspace (docs/policies.md); absent without a file or policies. */
  policies?: ReviewPolicyFinding[];
  /** lookAlikes: live addresses to look at twice (UTS #39: mixed scripts, or reading as another's); absent when there is none. */
  lookAlikes?: ReviewLookAlike[];
}

/**
 * ReviewLookAlike is a warning about one live address, under validate's codes: its local part
 * mixes scripts (`mixed-script-email`, `scripts`), or it reads the same as another live
 * person's (`look-alike-email`, `other`).
 */
export interface ReviewLookAlike {
  code: "mixed-script-email" | "look-alike-email";
  email: string;
  scripts?: string[];
  other?: string;
  message: string;
}

/** ReviewPolicyFinding is one policy the live workspace breaks: `email` null for a limit (about a count). */
export interface ReviewPolicyFinding {
  policy: string;
  severity: "error" | "warning";
  email: string | null;
  subject: string;
  message: string;
}
