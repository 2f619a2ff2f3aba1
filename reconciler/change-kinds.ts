import type { AuditAction } from "../schema/api.js";
import type { Change, ChangeKind, Phase } from "./plan.js";

/**
 * The facts about each change kind, in one table that every renderer, the safety rails,
 * the provider's report and the CLI read instead of switching on `kind` themselves.
 * Adding a kind to the Change union makes this table fail to compile until it has the
 * kind's row (docs/architecture.md, "Adding a change kind").
 */

/** ChangeOf is the Change of one kind. */
export type ChangeOf<K extends ChangeKind> = Extract<Change, { kind: K }>;

/** Symbol: `+` adds access, `~` changes it in place, `-` takes it away. */
export type Symbol = "+" | "~" | "-";

/** ChangeKindInfo is one row of CHANGE_KIND_TABLE. */
export interface ChangeKindInfo<K extends ChangeKind> {
  /** verb is the action as a person reads it: `invite`, `update role`. */
  verb: string;
  /** symbol classifies the change as adding, changing in place or taking away. */
  symbol: Symbol;
  /** label is the change's row in the plan's count table (Markdown): `Invite`, `Update member`. */
  label: string;
  /** setColumn is the column of a plan set's summary table that counts the kind: people to invite, to update, to remove, or role changes. */
  setColumn: "invite" | "update" | "remove" | "roles";
  /**
   * phase is the phase computePlan puts a change of this kind in, unless it takes
   * permissions away (an update then goes with the demotions) or is the consequence of
   * another change (a revocation with `cause` goes with its cause).
   */
  phase: Phase;
  /** subject is whom the change is about: a person, by email, or a custom role, by name. */
  subject: "person" | "role";
  /** subjectOf reads that email or role name. */
  subjectOf: (c: ChangeOf<K>) => string;
  /**
   * tally is how the closing summary line counts the kind: `<n> to <verb>` for people,
   * `<n> role(s) to <verb>` for roles, kinds with the same subject and verb counted
   * together; `always` shows it even at zero.
   */
  tally: { verb: string; always: boolean };
  /** alwaysReview: a reviewer must see every change of this kind first, whatever it gains or loses. */
  alwaysReview: boolean;
  /** reviewRank orders the changes to review (smaller first), after risk. */
  reviewRank: number;
  /**
   * producers are the audit actions that set the live value a change of this kind
   * changes (attributeChanges, reconciler/history.ts): a member's access is set by the
   * invitation it accepted or by member updates; a pending invitation's by its creation
   * and updates (an expired one's also by its last resend); a custom role's by its
   * creation and updates. For what the workspace lacks (inviteMember, createRole) it is
   * the removal or revocation that took it away, if any.
   */
  producers: readonly AuditAction[];
}

/**
 * CHANGE_KIND_TABLE has one row per change kind, listed in the order of the plan's count
 * table and summary line. The mapped type makes a missing or extra kind a compile error.
 */
export const CHANGE_KIND_TABLE: { readonly [K in ChangeKind]: ChangeKindInfo<K> } = {
  inviteMember: {
    verb: "invite",
    symbol: "+",
    label: "Invite",
    setColumn: "invite",
    phase: "grants",
    subject: "person",
    subjectOf: (c) => c.email,
    tally: { verb: "invite", always: true },
    alwaysReview: false,
    reviewRank: 7,
    producers: ["member.removed", "invitation.revoked"],
  },
  resendInvitation: {
    verb: "resend invitation",
    symbol: "+",
    label: "Resend invitation",
    setColumn: "invite",
    phase: "grants",
    subject: "person",
    subjectOf: (c) => c.email,
    tally: { verb: "resend", always: false },
    alwaysReview: false,
    reviewRank: 8,
    producers: ["invitation.created", "invitation.updated", "invitation.resent"],
  },
  updateInvitation: {
    verb: "update invitation",
    symbol: "~",
    label: "Update invitation",
    setColumn: "update",
    phase: "grants",
    subject: "person",
    subjectOf: (c) => c.email,
    tally: { verb: "update", always: true },
    alwaysReview: false,
    reviewRank: 3,
    producers: ["invitation.created", "invitation.updated"],
  },
  updateMember: {
    verb: "update",
    symbol: "~",
    label: "Update member",
    setColumn: "update",
    phase: "grants",
    subject: "person",
    subjectOf: (c) => c.email,
    tally: { verb: "update", always: true },
    alwaysReview: false,
    reviewRank: 2,
    producers: ["member.updated", "invitation.created", "invitation.updated"],
  },
  removeMember: {
    verb: "remove",
    symbol: "-",
    label: "Remove member",
    setColumn: "remove",
    phase: "removals",
    subject: "person",
    subjectOf: (c) => c.email,
    tally: { verb: "remove", always: true },
    alwaysReview: true,
    reviewRank: 0,
    producers: ["member.updated", "invitation.created", "invitation.updated"],
  },
  revokeInvitation: {
    verb: "revoke invitation",
    symbol: "-",
    label: "Revoke invitation",
    setColumn: "remove",
    phase: "removals",
    subject: "person",
    subjectOf: (c) => c.email,
    tally: { verb: "revoke", always: false },
    alwaysReview: true,
    reviewRank: 1,
    producers: ["invitation.created", "invitation.updated"],
  },
  createRole: {
    verb: "create role",
    symbol: "+",
    label: "Create role",
    setColumn: "roles",
    phase: "roles",
    subject: "role",
    subjectOf: (c) => c.name,
    tally: { verb: "create", always: false },
    alwaysReview: false,
    reviewRank: 6,
    producers: ["role.deleted"],
  },
  updateRole: {
    verb: "update role",
    symbol: "~",
    label: "Update role",
    setColumn: "roles",
    phase: "roles",
    subject: "role",
    subjectOf: (c) => c.name,
    tally: { verb: "update", always: false },
    alwaysReview: true,
    reviewRank: 4,
    producers: ["role.created", "role.updated"],
  },
  deleteRole: {
    verb: "delete role",
    symbol: "-",
    label: "Delete role",
    setColumn: "roles",
    phase: "roleDeletions",
    subject: "role",
    subjectOf: (c) => c.name,
    tally: { verb: "delete", always: false },
    alwaysReview: true,
    reviewRank: 5,
    producers: ["role.created", "role.updated"],
  },
};

/** KINDS_BY_ROW lists every kind in the order of the count table and the summary line. */
export const KINDS_BY_ROW = Object.keys(CHANGE_KIND_TABLE) as ChangeKind[];

/** subjectOf is who or what a change is about: an email, or a role name. */
export function subjectOf(c: Change): string {
  return readSubject(c.kind, c);
}

// The correlated read (TypeScript #47109): for one K, the row's reader takes ChangeOf<K>.
function readSubject<K extends ChangeKind>(kind: K, c: ChangeOf<K>): string {
  const row: ChangeKindInfo<K> = CHANGE_KIND_TABLE[kind];
  return row.subjectOf(c);
}

/** symbolOf classifies a change as adding, updating or removing. */
export function symbolOf(c: Change): Symbol {
  return CHANGE_KIND_TABLE[c.kind].symbol;
}

/** verbOf is the action a change performs, as a person reads it. */
export function verbOf(c: Change): string {
  return CHANGE_KIND_TABLE[c.kind].verb;
}

/** takesPersonAway tells whether a change removes a member or revokes an invitation (what maxRemovals counts). */
export function takesPersonAway(kind: ChangeKind): boolean {
  const row = CHANGE_KIND_TABLE[kind];
  return row.subject === "person" && row.symbol === "-";
}

/** emailOf is the email a change is about, or null for a change to a custom role. */
export function emailOf(c: Change): string | null {
  return CHANGE_KIND_TABLE[c.kind].subject === "person" ? subjectOf(c) : null;
}
