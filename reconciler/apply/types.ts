import type {
  Invitation,
  InvitationCreate,
  InvitationPatch,
  InvitationStatus,
  Member,
  MemberPatch,
  Role,
  RolePut,
  SponsoredChoice,
} from "../../schema/api.js";
import type { ChangeKind, Phase } from "../plan.js";

/**
 * ApplyClient is the part of the Access API client applyPlan calls (a real
 * AccessClient satisfies it; tests may wrap one to record or disturb calls).
 */
export interface ApplyClient {
  createInvitation(workspace: string, body: InvitationCreate, options: { idempotencyKey: string }): Promise<Invitation>;
  updateInvitation(workspace: string, id: string, patch: InvitationPatch, options: { ifMatch: number }): Promise<Invitation>;
  resendInvitation(workspace: string, id: string, options: { ifMatch: number; idempotencyKey: string }): Promise<Invitation>;
  revokeInvitation(workspace: string, id: string, options: { ifMatch: number; idempotencyKey: string }): Promise<Invitation>;
  updateMember(workspace: string, id: string, patch: MemberPatch, options: { ifMatch: number }): Promise<Member>;
  removeMember(workspace: string, id: string, options: { ifMatch: number; invitations?: SponsoredChoice }): Promise<void>;
  putRole(workspace: string, name: string, body: RolePut, options?: { ifMatch?: number }): Promise<Role>;
  deleteRole(workspace: string, name: string, options: { ifMatch: number }): Promise<void>;
  // Reads, made only to tell a lost answer or an identical concurrent change (a 409 or 412) from a real conflict.
  getMember(workspace: string, id: string): Promise<Member>;
  getInvitation(workspace: string, id: string): Promise<Invitation>;
  listMembers(workspace: string): Promise<Member[]>;
  listInvitations(workspace: string, filter?: { status?: InvitationStatus }): Promise<Invitation[]>;
  listRoles(workspace: string): Promise<Role[]>;
  /** gaveUp, when the client has it, tells that it gave up on an unreachable server: apply then starts no new change. */
  gaveUp?(): boolean;
}

/** ApplyEntry names one change of the plan in a result: its key, kind and phase, and whom (email) or what (role name) it touches. */
export interface ApplyEntry {
  key: string;
  kind: ChangeKind;
  phase: Phase;
  email?: string;
  name?: string;
}

/** entrySubject is whom or what a result entry touches: its email or role name. */
export function entrySubject(e: ApplyEntry): string {
  return e.email ?? e.name ?? e.key;
}

/** AppliedChange: the workspace now holds what the change asked for; `note` says when that was found rather than made. */
export interface AppliedChange extends ApplyEntry {
  note?: string;
}

/** FailedChange: the API refused the change or could not be reached (after retries); nothing else is implied. */
export interface FailedChange extends ApplyEntry {
  error: { status: number; code: string; message: string };
}

/** SkippedChange: not attempted because a change it depends on failed or was skipped; `reason` names it. */
export interface SkippedChange extends ApplyEntry {
  reason: string;
}

/**
 * NotAttemptedChange: never started, so the workspace certainly does not hold it from
 * this apply: apply was interrupted (`interrupted`) or gave up on a server that stopped
 * answering (`unreachable`, see BREAKER_THRESHOLD).
 */
export interface NotAttemptedChange extends ApplyEntry {
  reason: "interrupted" | "unreachable";
}

/** ApplyResult lists every change of the plan exactly once, each list in plan order. */
export interface ApplyResult {
  applied: AppliedChange[];
  failed: FailedChange[];
  skipped: SkippedChange[];
  notAttempted: NotAttemptedChange[];
}

/** ApplyOutcome is how one change ended in an ApplyResult. */
export type ApplyOutcome = "applied" | "failed" | "skipped" | "notAttempted";

/** ApplyProgress is reported after each change settles; `done` counts settled changes of `total`. */
export interface ApplyProgress {
  done: number;
  total: number;
  outcome: ApplyOutcome;
  change: ApplyEntry;
}

/**
 * ApplyOptions: `concurrency` (default 8) bounds calls in flight inside a phase;
 * `idempotencyPrefix` starts every Idempotency-Key; once `signal` aborts (Ctrl-C), no
 * new change starts (the ones in flight finish) and the rest are `notAttempted`;
 * `breakerThreshold` (default BREAKER_THRESHOLD) is the run of consecutive unreachable
 * failures after which apply gives up on the server.
 */
export interface ApplyOptions {
  concurrency?: number;
  onProgress?: (progress: ApplyProgress) => void;
  idempotencyPrefix?: string;
  signal?: AbortSignal;
  breakerThreshold?: number;
}
