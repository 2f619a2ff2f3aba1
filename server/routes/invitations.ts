import type { FastifyInstance, FastifyRequest } from "fastify";
import type { InvitationCreate, InvitationPatch, InvitationStatus } from "../../schema/api.js";
import { escapeInvisible, parseEmail } from "../../schema/identity.js";
import { checkAssignableRole, checkGrants } from "../access.js";
import type { Caller } from "../auth.js";
import { checkIfMatch, runAuthorizedChange, type ChangeResult } from "../change.js";
import type { ServerContext } from "../context.js";
import { conflict, HttpError, invalid, notFound } from "../http-error.js";
import { lookAlikeOf } from "../../schema/confusables.js";
import { decodeCursor, slicePage } from "../pagination.js";
import { INVITATION_STATUSES, statusAt, toInvitation } from "../repositories/invitations.js";
import { parseList, type InvitationRow } from "../repositories/rows.js";
import { assignmentPatchBody, emptyBody, invitationCreateBody, invitationsQuery, wsIdParams, wsParams, type PageQuery } from "../schemas.js";
import { hashSecret, INVITATION_TOKEN_PREFIX, newId, newSecret } from "../secrets.js";
import { managedAfter, managerClaim, parseManagedByFilter } from "../manager.js";
import { callerOf, guard } from "./guard.js";
import { parseAccessExpiry } from "../access-expiry.js";
import { accessExpired } from "../repositories/members.js";
import { parsePeopleFilter, type PeopleQuery } from "../people-filter.js";
import { ADMIN_PERMISSION } from "../../schema/catalog.js";

type IdParams = { ws: string; id: string };

/**
 * invitationRoutes: list and read invitations (any member); invite, change a pending
 * invitation, resend and revoke (access:manage). Every send issues a fresh invitation
 * token (stored hashed) and, with the dev outbox on, records the message.
 */
export function invitationRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { repos } = ctx;
  const manage = guard(ctx, ADMIN_PERMISSION);

  app.get<{ Params: { ws: string }; Querystring: PageQuery & PeopleQuery & { status?: string; managedBy?: string } }>(
    "/v1/workspaces/:ws/invitations",
    { onRequest: guard(ctx), schema: { params: wsParams, querystring: invitationsQuery } },
    async (request) => {
      const caller = callerOf(request);
      const { limit, cursor, status } = request.query;
      const statuses = parseStatuses(status);
      const now = ctx.now();
      const managed = parseManagedByFilter(request.query.managedBy);
      const people = parsePeopleFilter(request.query, caller.roles, ctx.now());
      const rows = repos.invitations.page(caller.workspace.id, decodeCursor(cursor, 0), limit + 1, statuses, now, managed, people);
      const page = slicePage(rows, limit);
      const total = repos.invitations.count(caller.workspace.id, statuses, now, managed, people);
      return { items: page.rows.map((r) => toInvitation(r, now)), nextCursor: page.nextCursor, total };
    },
  );

  app.get<{ Params: IdParams }>(
    "/v1/workspaces/:ws/invitations/:id",
    { onRequest: guard(ctx), schema: { params: wsIdParams } },
    async (request, reply) => {
      const row = findInvitation(ctx, callerOf(request), request.params.id);
      return reply.header("etag", `"${row.version}"`).send(toInvitation(row, ctx.now()));
    },
  );

  app.post<{ Params: { ws: string }; Body: InvitationCreate }>(
    "/v1/workspaces/:ws/invitations",
    { onRequest: manage, schema: { params: wsParams, body: invitationCreateBody } },
    async (request, reply) => {
      return runAuthorizedChange(ctx, request, reply, ADMIN_PERMISSION, (caller) => {
        const parsed = parseEmail(request.body.email);
        if (!parsed.ok) throw invalid("email", `"${escapeInvisible(request.body.email)}" is not an email address: it ${parsed.reason}`, "not_email");
        const email = parsed.value;
        checkAssignableRole(request.body.role, caller.roles);
        const grants = checkGrants(request.body.permissions ?? []);
        const accessExpiresAt = parseAccessExpiry(request.body.accessExpiresAt) ?? null;
        checkInvitable(ctx, caller, email);
        const now = ctx.now();
        if (accessExpiresAt !== null && accessExpiresAt <= now) {
          throw invalid("accessExpiresAt", `${new Date(accessExpiresAt).toISOString()} has already passed (the server's clock reads ${new Date(now).toISOString()}): the invitation could never be accepted`);
        }
        const id = newId("inv_");
        repos.invitations.insert({
          id,
          workspaceId: caller.workspace.id,
          email,
          role: request.body.role,
          permissions: grants,
          createdAt: now,
          expiresAt: now + ctx.invitationTtlMs,
          invitedBy: caller.member.email,
          managedBy: managedAfter(managerClaim(request.headers), null),
          accessExpiresAt,
        });
        return sent(ctx, caller, id, 201, "invitation.created", null);
      });
    },
  );

  app.patch<{ Params: IdParams; Body: InvitationPatch }>(
    "/v1/workspaces/:ws/invitations/:id",
    { onRequest: manage, schema: { params: wsIdParams, body: assignmentPatchBody } },
    async (request, reply) => {
      return runAuthorizedChange(ctx, request, reply, ADMIN_PERMISSION, (caller) => {
        const { row, now } = invitationForChange(ctx, caller, request, ["pending"], "changed");
        const body = request.body ?? {};
        if (body.role !== undefined) checkAssignableRole(body.role, caller.roles);
        const role = body.role ?? row.role;
        const grants = body.permissions !== undefined ? checkGrants(body.permissions) : parseList(row.permissions);
        const parsedExpiry = parseAccessExpiry(body.accessExpiresAt);
        const accessExpiresAt = parsedExpiry === undefined ? row.access_expires_at : parsedExpiry;
        const before = toInvitation(row, now);
        const managedBy = managedAfter(managerClaim(request.headers), row.managed_by);
        const unchanged = role === row.role && JSON.stringify(grants) === JSON.stringify(before.permissions) && accessExpiresAt === row.access_expires_at;
        if (unchanged && managedBy === row.managed_by) {
          return { workspaceId: caller.workspace.id, status: 200, body: before, version: row.version, events: [] };
        }
        repos.invitations.update(row.id, role, grants, accessExpiresAt, caller.member.email);
        repos.invitations.setManager(row.id, managedBy);
        const after = toInvitation(repos.invitations.byId(caller.workspace.id, row.id)!, now);
        return {
          workspaceId: caller.workspace.id,
          status: 200,
          body: after,
          version: after.version,
          events: [{ actor: caller.member.email, action: "invitation.updated", target: row.email, before, after }],
        };
      });
    },
  );

  app.post<{ Params: IdParams }>(
    "/v1/workspaces/:ws/invitations/:id/resend",
    { onRequest: manage, schema: { params: wsIdParams, body: emptyBody } },
    async (request, reply) => {
      return runAuthorizedChange(ctx, request, reply, ADMIN_PERMISSION, (caller) => {
        const { row, now, status } = invitationForChange(ctx, caller, request, ["pending", "expired"], "resent");
        if (!caller.roles(row.role)) throw conflict("conflict", `the role "${row.role}" of invitation ${row.id} no longer exists`);
        if (accessExpired(row, now)) throw accessEnded(row.email, row.access_expires_at!);
        if (status === "expired") checkInvitable(ctx, caller, row.email);
        else if (repos.members.byEmail(caller.workspace.id, row.email)) throw alreadyMember(row.email);
        const before = toInvitation(row, now);
        repos.invitations.resend(row.id, now + ctx.invitationTtlMs, now, caller.member.email);
        repos.invitations.setManager(row.id, managedAfter(managerClaim(request.headers), row.managed_by));
        return sent(ctx, caller, row.id, 200, "invitation.resent", before);
      });
    },
  );

  app.post<{ Params: IdParams }>(
    "/v1/workspaces/:ws/invitations/:id/revoke",
    { onRequest: manage, schema: { params: wsIdParams, body: emptyBody } },
    async (request, reply) => {
      return runAuthorizedChange(ctx, request, reply, ADMIN_PERMISSION, (caller) => {
        const { row, now } = invitationForChange(ctx, caller, request, ["pending", "expired"], "revoked");
        const before = toInvitation(row, now);
        repos.invitations.setState(row.id, "revoked");
        repos.invitations.setManager(row.id, managedAfter(managerClaim(request.headers), row.managed_by));
        const after = toInvitation(repos.invitations.byId(caller.workspace.id, row.id)!, now);
        return {
          workspaceId: caller.workspace.id,
          status: 200,
          body: after,
          version: after.version,
          events: [{ actor: caller.member.email, action: "invitation.revoked", target: row.email, before, after }],
        };
      });
    },
  );
}

/** sent issues a fresh invitation token for a just created or resent invitation and builds the answer. */
function sent(
  ctx: ServerContext,
  caller: Caller,
  id: string,
  status: number,
  action: "invitation.created" | "invitation.resent",
  before: unknown,
): ChangeResult {
  const token = newSecret(INVITATION_TOKEN_PREFIX);
  ctx.repos.invitations.setToken(id, hashSecret(token));
  const now = ctx.now();
  const after = toInvitation(ctx.repos.invitations.byId(caller.workspace.id, id)!, now);
  const outbox = ctx.outbox;
  return {
    workspaceId: caller.workspace.id,
    status,
    body: after,
    version: after.version,
    events: [{ actor: caller.member.email, action, target: after.email, before, after }],
    afterCommit: outbox
      ? () => outbox.record({ workspace: caller.workspace.name, email: after.email, invitationId: id, token, sentAt: after.lastSentAt })
      : undefined,
  };
}

function findInvitation(ctx: ServerContext, caller: Caller, id: string): InvitationRow {
  const row = ctx.repos.invitations.byId(caller.workspace.id, id);
  if (!row) throw notFound(`invitation "${id}"`);
  return row;
}

/**
 * invitationForChange is the common start of every change to one invitation: the row
 * (404 when unknown), the If-Match check (412), and 409 unless its status at `now` is
 * one of `allowed`.
 */
function invitationForChange(
  ctx: ServerContext,
  caller: Caller,
  request: FastifyRequest<{ Params: IdParams }>,
  allowed: readonly InvitationStatus[],
  action: string,
): { row: InvitationRow; now: number; status: InvitationStatus } {
  const row = findInvitation(ctx, caller, request.params.id);
  checkIfMatch(request, row.version);
  const now = ctx.now();
  const status = statusAt(row, now);
  if (!allowed.includes(status)) {
    throw conflict("conflict", `invitation ${row.id} is ${status}; only ${allowed.join(" or ")} invitations can be ${action}`, { status });
  }
  return { row, now, status };
}

/**
 * checkInvitable answers 409 when the email is already a member or already has a pending
 * invitation, and 400 when it reads the same as another member's or invitee's (its UTS #39
 * skeleton is theirs: `аlice@acme.io` with a Cyrillic а beside `alice@acme.io`).
 */
function checkInvitable(ctx: ServerContext, caller: Caller, email: string): void {
  if (ctx.repos.members.byEmail(caller.workspace.id, email)) throw alreadyMember(email);
  const now = ctx.now();
  const open = ctx.repos.invitations.openByEmail(caller.workspace.id, email, now);
  if (open) {
    throw conflict("invitation_pending", `${email} already has a pending invitation (${open.id})`, { invitationId: open.id });
  }
  const other = lookAlikeOf(email, [...ctx.repos.members.emails(caller.workspace.id), ...ctx.repos.invitations.openEmails(caller.workspace.id, now)]);
  if (other !== null) {
    throw new HttpError(400, "validation_failed", `email: ${escapeInvisible(email)} reads the same as ${escapeInvisible(other)}, already in this workspace: a look-alike address is refused`, { field: "email", reason: "look_alike", lookAlike: other });
  }
}

/** accessEnded is the 409 of resending an invitation whose access has already ended: a new token would still not be accepted. */
function accessEnded(email: string, at: number) {
  return conflict("access_expired", `the access the invitation of ${email} grants ended at ${new Date(at).toISOString()}; invite again with a later accessExpiresAt`);
}

function alreadyMember(email: string) {
  return conflict("already_member", `${email} is already a member of this workspace`);
}

function parseStatuses(value: string | undefined): InvitationStatus[] {
  if (value === undefined || value === "") return [];
  return value.split(",").map((s) => {
    if (!(INVITATION_STATUSES as readonly string[]).includes(s)) {
      throw invalid("status", `unknown status "${s}": use ${INVITATION_STATUSES.join(", ")} (comma-separated)`, "bad_status", { value: s });
    }
    return s as InvitationStatus;
  });
}
