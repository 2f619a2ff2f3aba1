import { ApiError } from "../../errors.js";
import type { Invitation, Member, SponsoredChoice } from "../../schema/api.js";
import { sponsoredChoice } from "../compute/sponsors.js";
import { normalizeEmail } from "../../schema/catalog.js";
import { CHANGE_KIND_TABLE, subjectOf } from "../change-kinds.js";
import { sameAccess, sameRoleBody } from "../permissions.js";
import { assertNever, type Access, type AccessExpiry, type Change, type RoleBody, type SponsoredInvitation } from "../plan.js";
import { sameExpiry } from "../../schema/access-expiry.js";
import type { ApplyClient } from "./types.js";

/** Outcome of one change: applied (with a note when the state was found rather than made) or failed with the API's error. */
export type Outcome = { ok: true; note?: string } | { ok: false; error: { status: number; code: string; message: string } };

/** ExecuteContext is what every change needs besides itself: the client, the workspace, its Idempotency-Key, and a shared view for 409 checks. */
export interface ExecuteContext {
  client: ApplyClient;
  workspace: string;
  idempotencyKey: string;
  snapshot: CurrentSnapshot;
}

/**
 * executeChange makes one change with one API call (retries are the client's), sending
 * If-Match with the change's version and the change's Idempotency-Key on POSTs.
 *
 * When the answer is a conflict, it reads the object and counts the change as applied
 * if the workspace already holds what the change asked for, because that is what a
 * lost answer looks like (the first attempt went through, the retry sees the new version
 * or the existing invitation), and an identical concurrent change is as good as ours.
 * Otherwise a 412 fails as "<who> changed concurrently; run plan again": never retried
 * with a newer version, since the plan was computed from the old one.
 * Only ApiError is an outcome; anything else thrown is a bug and propagates.
 */
export async function executeChange(change: Change, ctx: ExecuteContext): Promise<Outcome> {
  try {
    await call(change, ctx);
    return { ok: true };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    try {
      return await recover(change, err, ctx);
    } catch (readErr) {
      // The check read failed too (e.g. the API went away): report the change's own error.
      if (readErr instanceof ApiError) return failed(err);
      throw readErr;
    }
  }
}

/** expirySet is the accessExpiresAt part of a request body: the change's, or nothing when it leaves the live value. */
function expirySet(change: { accessExpiresAt?: AccessExpiry }): { accessExpiresAt?: string | null } {
  return change.accessExpiresAt === undefined ? {} : { accessExpiresAt: change.accessExpiresAt.after };
}

/** expiryDone tells whether a live object already carries the accessExpiresAt a change sets (a change without one: yes). */
function expiryDone(live: { accessExpiresAt?: string | null }, change: { accessExpiresAt?: AccessExpiry }): boolean {
  return change.accessExpiresAt === undefined || sameExpiry(live.accessExpiresAt ?? null, change.accessExpiresAt.after);
}

async function call(change: Change, { client, workspace: ws, idempotencyKey }: ExecuteContext): Promise<void> {
  switch (change.kind) {
    case "inviteMember":
      await client.createInvitation(ws, { email: change.email, ...access(change.after), ...expirySet(change) }, { idempotencyKey });
      return;
    case "updateInvitation":
      await client.updateInvitation(ws, change.invitationId, { ...access(change.after), ...expirySet(change) }, { ifMatch: change.version });
      return;
    case "resendInvitation":
      await client.resendInvitation(ws, change.invitationId, { ifMatch: change.version, idempotencyKey });
      return;
    case "revokeInvitation":
      await client.revokeInvitation(ws, change.invitationId, { ifMatch: change.version, idempotencyKey });
      return;
    case "updateMember":
      await client.updateMember(ws, change.memberId, { ...access(change.after), ...expirySet(change), ...choice(change.sponsored) }, { ifMatch: change.version });
      return;
    case "removeMember":
      await client.removeMember(ws, change.memberId, { ifMatch: change.version, ...choice(change.sponsored) });
      return;
    case "createRole":
      await client.putRole(ws, change.name, roleBody(change.after));
      return;
    case "updateRole":
      await client.putRole(ws, change.name, { ...roleBody(change.after), ...choice(change.sponsored) }, { ifMatch: change.version });
      return;
    case "deleteRole":
      await client.deleteRole(ws, change.name, { ifMatch: change.version });
      return;
    default:
      assertNever(change);
  }
}

/** recover decides a conflict answer: applied when the workspace already matches the change, failed otherwise. */
async function recover(change: Change, err: ApiError, ctx: ExecuteContext): Promise<Outcome> {
  const { client, workspace: ws } = ctx;
  const conflict = err.status === 412 || err.status === 409 || err.status === 404;
  if (!conflict) return failed(err);
  const who = CHANGE_KIND_TABLE[change.kind].subject === "person" ? subjectOf(change) : `role ${subjectOf(change)}`;
  const concurrent = (): Outcome => failed(err, `${who} changed concurrently; run plan again`);
  const found = (note: string): Outcome => ({ ok: true, note });
  switch (change.kind) {
    case "inviteMember": {
      if (err.code !== "already_member" && err.code !== "invitation_pending") return failed(err);
      const current = await ctx.snapshot.find(change.email, err.code === "already_member" ? "member" : "invitation");
      if (current && sameAccess(current, change.after) && expiryDone(current, change)) return found(`already ${err.code === "already_member" ? "a member" : "invited"} with this access`);
      return failed(err, `${change.email} was ${err.code === "already_member" ? "added" : "invited"} concurrently with other access; run plan again`);
    }
    case "updateInvitation":
    case "resendInvitation":
    case "revokeInvitation": {
      const inv = await readOrNull(() => client.getInvitation(ws, change.invitationId));
      if (inv === null) return concurrent();
      if (change.kind === "revokeInvitation" && inv.status === "revoked") return found("already revoked");
      if (change.kind === "updateInvitation" && inv.status === "pending" && sameAccess(inv, change.after) && expiryDone(inv, change)) return found("already updated");
      if (change.kind === "resendInvitation" && inv.status === "pending" && inv.sendCount > change.sendCount && sameAccess(inv, change.after)) {
        return found("already resent");
      }
      return concurrent();
    }
    case "updateMember": {
      if (err.status === 409) return failed(err);
      const member = await readOrNull(() => client.getMember(ws, change.memberId));
      return member !== null && sameAccess(member, change.after) && expiryDone(member, change) ? found("already updated") : concurrent();
    }
    case "removeMember":
      if (err.status === 404) return found("already removed");
      return err.status === 412 ? concurrent() : failed(err);
    case "createRole":
    case "updateRole": {
      if (err.status === 409) return failed(err);
      const role = (await client.listRoles(ws)).find((r) => !r.builtIn && r.name === change.name);
      return role && sameRoleBody(role, change.after) ? found("role already has this definition") : concurrent();
    }
    case "deleteRole":
      if (err.status === 404) return found("already deleted");
      return err.status === 412 ? concurrent() : failed(err);
    default:
      return assertNever(change);
  }
}

/**
 * CurrentSnapshot answers "what does the workspace hold for this email now?" for 409
 * checks, reading members or pending invitations once per apply and again only when an
 * email is not found (it may have appeared after the first read).
 */
export class CurrentSnapshot {
  private members: Promise<Map<string, Member>> | null = null;
  private invitations: Promise<Map<string, Invitation>> | null = null;

  constructor(
    private readonly client: ApplyClient,
    private readonly workspace: string,
  ) {}

  async find(email: string, kind: "member" | "invitation"): Promise<Member | Invitation | undefined> {
    const key = normalizeEmail(email);
    for (let fresh = false; ; fresh = true) {
      const found = (await this.read(kind, fresh)).get(key);
      if (found || fresh) return found;
    }
  }

  private read(kind: "member" | "invitation", refresh: boolean): Promise<Map<string, Member | Invitation>> {
    if (kind === "member") {
      if (refresh || this.members === null) {
        const read = this.client.listMembers(this.workspace).then(byEmail);
        this.members = read;
        read.catch(() => {
          if (this.members === read) this.members = null; // a failed read is not remembered
        });
      }
      return this.members;
    }
    if (refresh || this.invitations === null) {
      const read = this.client.listInvitations(this.workspace, { status: "pending" }).then(byEmail);
      this.invitations = read;
      read.catch(() => {
        if (this.invitations === read) this.invitations = null;
      });
    }
    return this.invitations;
  }
}

function byEmail<T extends { email: string }>(list: T[]): Map<string, T> {
  return new Map(list.map((x) => [normalizeEmail(x.email), x]));
}

async function readOrNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** choice is the `invitations` field a change that takes access:manage from a sponsor sends: the plan's decision (sponsoredChoice), or nothing. */
function choice(sponsored: readonly SponsoredInvitation[] | undefined): { invitations?: SponsoredChoice } {
  const value = sponsoredChoice(sponsored);
  return value === undefined ? {} : { invitations: value };
}

function access(a: Access): { role: string; permissions: string[] } {
  return { role: a.role, permissions: [...a.permissions] };
}

function roleBody(r: RoleBody): { description: string; permissions: string[] } {
  return { description: r.description, permissions: [...r.permissions] };
}

function failed(err: ApiError, message?: string): Outcome {
  return { ok: false, error: { status: err.status, code: err.code, message: message ?? err.message } };
}
