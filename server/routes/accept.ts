import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../context.js";
import { conflict, HttpError, invalid } from "../http-error.js";
import { statusAt, toInvitation } from "../repositories/invitations.js";
import { accessExpired, toMember } from "../repositories/members.js";
import { parseList } from "../repositories/rows.js";
import { acceptBody } from "../schemas.js";
import { hashSecret, INVITATION_TOKEN_PATTERN, newId } from "../secrets.js";
import { runChange } from "../change.js";
import { ACCEPT_BODY_LIMIT_BYTES } from "../limits.js";

/** acceptScope is the idempotency scope of an accept, which carries no bearer token: its invitation token (hashed). */
const acceptScope = (token: string) => `accept:${hashSecret(token)}`;

/**
 * acceptRoutes: `POST /v1/invitations/accept` with the invitation token from the
 * e-mail (no bearer token). It turns a pending invitation into a member (201). A
 * revoked, expired or already used token is 410 with its own code; a token replaced
 * by a resend reads as expired; a pending invitation whose access has ended (accessExpiresAt)
 * is 410 `access_expired`.
 */
export function acceptRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { repos } = ctx;
  app.post<{ Body: { token: string } }>("/v1/invitations/accept", { schema: { body: acceptBody }, bodyLimit: ACCEPT_BODY_LIMIT_BYTES, config: { rateLimitBy: "address" } }, async (request, reply) =>
    runChange(ctx, request, reply, acceptScope(request.body.token), () => {
      const { token } = request.body;
      if (!INVITATION_TOKEN_PATTERN.test(token)) throw invalid("token", "not an invitation token (expected aki_…)", "not_token");
      const row = repos.invitations.byToken(hashSecret(token));
      if (!row) throw new HttpError(404, "not_found", "unknown invitation token");
      const now = ctx.now();
      if (row.state === "pending" && accessExpired(row, now)) {
        throw new HttpError(410, "access_expired", `the access the invitation of ${row.email} grants ended at ${new Date(row.access_expires_at!).toISOString()}`);
      }
      const status = statusAt(row, now);
      if (status === "revoked") throw new HttpError(410, "invitation_revoked", `the invitation of ${row.email} was revoked`);
      if (status === "accepted") throw new HttpError(410, "invitation_used", `the invitation of ${row.email} was already accepted`);
      if (status === "expired") throw new HttpError(410, "invitation_expired", `the invitation of ${row.email} expired`);
      if (!row.current) {
        throw new HttpError(410, "invitation_expired", `this invitation of ${row.email} was resent; use the newest e-mail`);
      }
      if (repos.members.byEmail(row.workspace_id, row.email)) {
        throw conflict("already_member", `${row.email} is already a member of this workspace`);
      }
      const roles = repos.roles.lookup(row.workspace_id);
      if (!roles(row.role)) throw conflict("conflict", `the role "${row.role}" of this invitation no longer exists`);
      const id = newId("mem_");
      repos.members.insert({
        id,
        workspaceId: row.workspace_id,
        email: row.email,
        role: row.role,
        permissions: parseList(row.permissions),
        joinedAt: now,
        invitedBy: row.invited_by,
        managedBy: row.managed_by,
        accessExpiresAt: row.access_expires_at,
      });
      const before = toInvitation(row, now);
      repos.invitations.setState(row.id, "accepted");
      const member = toMember(repos.members.byId(row.workspace_id, id)!, roles, now);
      return {
        workspaceId: row.workspace_id,
        status: 201,
        body: member,
        version: member.version,
        events: [{ actor: row.email, action: "invitation.accepted", target: row.email, before, after: member }],
      };
    }),
  );
}
