/**
 * The resources of the Antryk Access API v1, as the reference server answers them and
 * the client reads them. schema/openapi.yaml is the normative document; these types
 * must stay in step with it.
 *
 * Routes (all under /v1, JSON bodies, `Authorization: Bearer <token>` except accept):
 *   GET    /workspaces/{ws}                         Workspace
 *   GET    /workspaces/{ws}/me                      Member (the caller)
 *   GET    /workspaces/{ws}/members?limit=&cursor=&inactiveFor=  Page<Member> (inactiveFor: `90d`, members not active since)
 *   GET|PATCH|DELETE /workspaces/{ws}/members/{id}  Member (PATCH body: MemberPatch; DELETE → 204)
 *   GET    /workspaces/{ws}/invitations?status=&limit=&cursor=   Page<Invitation>
 *   POST   /workspaces/{ws}/invitations             201 Invitation (body: InvitationCreate)
 *   GET|PATCH /workspaces/{ws}/invitations/{id}     Invitation (PATCH pending only; body: InvitationPatch)
 *   POST   /workspaces/{ws}/invitations/{id}/resend 200 Invitation
 *   POST   /workspaces/{ws}/invitations/{id}/revoke 200 Invitation
 *   POST   /invitations/accept                      201 Member (body: { token }; no bearer)
 *   GET    /workspaces/{ws}/roles                   { items: Role[] } built-in and custom
 *   PUT|DELETE /workspaces/{ws}/roles/{name}        Role (201 created, 200 replaced; DELETE → 204, 409 role_in_use)
 *   GET    /workspaces/{ws}/permissions             { items: PermissionInfo[] }
 *   GET    /workspaces/{ws}/audit?limit=&cursor=&actor=&target=&action=   Page<AuditEvent>, newest first
 *   GET    /workspaces/{ws}/dev/outbox              { items: OutboxMessage[] } (only with --dev-outbox; loopback; access:manage)
 *
 * Every object carries `version`; single-object answers set `ETag: "<version>"`.
 * PATCH, DELETE, resend and revoke accept `If-Match` and answer 412 when it differs.
 * POST accepts `Idempotency-Key`: a repeat within 24 h returns the stored first answer.
 */

/** InvitationStatus is decided at read time: a pending invitation past expiresAt (or its accessExpiresAt) reads as expired. */
export type InvitationStatus = "pending" | "accepted" | "expired" | "revoked";

/** Workspace is the workspace itself; `revision` bumps on every change to it. */
export interface Workspace {
  name: string;
  owner: string;
  revision: number;
  createdAt: string;
}

/** Member is an active collaborator; `permissions` are the extra grants only. The owner is a member with role `owner`. */
export interface Member {
  id: string;
  email: string;
  role: string;
  permissions: string[];
  effectivePermissions: string[];
  joinedAt: string;
  invitedBy: string | null;
  version: number;
  /** managedBy is the manager id (X-Antryk-Manager) of the tool, file or stack that manages it; null: nobody (absent: a server from before markers). */
  managedBy?: string | null;
  /** lastActiveAt is when the member's token last made an authenticated request (null: never since the server tracked it). */
  lastActiveAt: string | null;
  /** lastActiveVia is the client of that request, read like the access history's client (null with lastActiveAt). */
  lastActiveVia: ActivityVia | null;
  /** accessExpiresAt is when the member's access ends (RFC 3339; null: never); absent: a server from before time-bound access. */
  accessExpiresAt?: string | null;
  /** status is decided at read time: `expired` once accessExpiresAt has passed (its tokens are refused) until it is removed. */
  status?: MemberStatus;
}

/** MemberStatus: `active`, or `expired` once the member's accessExpiresAt has passed. */
export type MemberStatus = "active" | "expired";

/** ActivityVia is the client of a member's last authenticated request: the AuditClients a request can be (docs/api.md). */
export type ActivityVia = "dashboard" | "antryk-access" | "api";

/** ACTIVITY_VIAS lists every ActivityVia. */
export const ACTIVITY_VIAS: readonly ActivityVia[] = ["dashboard", "antryk-access", "api"];

/** MemberPatch changes a member in place; absent fields are left as they are. */
export interface MemberPatch {
  role?: string;
  permissions?: string[];
  /** accessExpiresAt sets when the member's access ends (RFC 3339 date-time); null: never. */
  accessExpiresAt?: string | null;
  /** invitations decides the open invitations the member sponsors when the patch takes its access:manage. */
  invitations?: SponsoredChoice;
}

/**
 * SponsoredChoice is what a request that takes access:manage from a sponsor of open
 * invitations does with them: `revoke` them, or `transfer` them to the caller. Without
 * one, such a request is 409 `sponsored_invitations` (docs/api.md, "Sponsors").
 */
export type SponsoredChoice = "revoke" | "transfer";

/** MemberRemove is the optional body of DELETE /members/{id}. */
export interface MemberRemove {
  invitations?: SponsoredChoice;
}

/** Invitation is one invitation of an email to a role; accepted ones are history. */
export interface Invitation {
  id: string;
  email: string;
  role: string;
  permissions: string[];
  status: InvitationStatus;
  createdAt: string;
  expiresAt: string;
  sendCount: number;
  lastSentAt: string;
  /** invitedBy is who first sent it (history); sponsor is whose access:manage keeps it valid now (docs/api.md, "Sponsors"). */
  invitedBy: string;
  sponsor: string;
  version: number;
  /** managedBy is the manager id of the tool, file or stack that manages it (an accepted invitation passes it to its member); null: nobody. */
  managedBy?: string | null;
  /** accessExpiresAt is when the access it grants ends (passed on to its member; null: never); past it the invitation reads as expired and cannot be accepted. Absent: an older server. */
  accessExpiresAt?: string | null;
}

/** InvitationCreate is the body of POST /invitations. */
export interface InvitationCreate {
  email: string;
  role: string;
  permissions?: string[];
  /** accessExpiresAt is when the access it grants ends (RFC 3339 date-time); null or absent: never. */
  accessExpiresAt?: string | null;
}

/** InvitationPatch changes a pending invitation's role, grants or access expiry. */
export interface InvitationPatch {
  role?: string;
  permissions?: string[];
  accessExpiresAt?: string | null;
}

/** Role is a built-in (`builtIn: true`, no version) or custom role. */
export interface Role {
  name: string;
  description: string;
  permissions: string[];
  builtIn: boolean;
  version?: number;
  /** managedBy is the manager id that manages a custom role (null: nobody; absent on built-in roles). */
  managedBy?: string | null;
}

/** RolePut is the body of PUT /roles/{name}. */
export interface RolePut {
  description?: string;
  permissions: string[];
  /** invitations decides the open invitations of holders who lose access:manage through this edit. */
  invitations?: SponsoredChoice;
}

/**
 * PermissionInfo is one entry of the catalog (schema/catalog.ts), with the catalog's
 * facts about it, so a client (the dashboard) never copies them: `ownerOnly` (held only
 * through the owner role, never granted), `admin` (it makes its holder an admin:
 * ADMIN_PERMISSION), `reviewHighRisk` (the review marks it: REVIEW_HIGH_RISK_PERMISSIONS).
 */
export interface PermissionInfo {
  id: string;
  description: string;
  ownerOnly: boolean;
  admin: boolean;
  reviewHighRisk: boolean;
}

/** AuditAction names what an audit event records. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** AUDIT_ACTIONS lists every AuditAction. */
export const AUDIT_ACTIONS = [
  "workspace.created",
  "invitation.created",
  "invitation.updated",
  "invitation.resent",
  "invitation.revoked",
  "invitation.transferred",
  "invitation.accepted",
  "member.updated",
  "member.removed",
  "role.created",
  "role.updated",
  "role.deleted",
] as const;

/** AuditEvent is one entry of the access history: who did what to whom, when. */
export interface AuditEvent {
  id: string;
  at: string;
  actor: string;
  action: AuditAction;
  target: string;
  before: unknown;
  after: unknown;
  requestId: string;
  /** reason is present on a consequence of the change requested (an invitation revoked or transferred when its sponsor lost access:manage). */
  reason?: string;
  /** client is what made the change: the antryk-access CLI or provider, the dashboard, another API caller, or the server itself. */
  client: AuditClient;
  /** clientVersion is the antryk-access version that made the change (client `antryk-access` only). */
  clientVersion?: string;
  /** manager is the `X-Antryk-Manager` the change was made for: null when the request sent none (a hand change). */
  manager?: string | null;
}

/**
 * AuditClient names what made a change, as the server recorded it from the request:
 * `antryk-access` (User-Agent `antryk-access/<version>`), `dashboard` (header
 * `X-Antryk-Client: dashboard`), `api` (anything else), `server` (its own admin tools,
 * e.g. creating a workspace), `unknown` (recorded before the server kept clients).
 * Callers identify themselves: it is context for people, not an authentication.
 */
export type AuditClient = (typeof AUDIT_CLIENTS)[number];

/** AUDIT_CLIENTS lists every AuditClient. */
export const AUDIT_CLIENTS = ["antryk-access", "dashboard", "api", "server", "unknown"] as const;

/** Page is one page of a list; `nextCursor` is opaque and null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  /** total is how many items the whole query matches over all pages (members and invitations lists only). */
  total?: number;
}

/** OutboxMessage is an invitation e-mail as the dev outbox records it (local use only). */
export interface OutboxMessage {
  workspace: string;
  email: string;
  invitationId: string;
  token: string;
  sentAt: string;
}

/** ApiErrorCode is the closed set of `error.code` values the API answers with. */
export type ApiErrorCode =
  | "bad_request" // 400: malformed body, query or header
  | "validation_failed" // 400: a field is invalid; details.field names it
  | "unauthorized" // 401: no token, malformed or unknown token
  | "access_expired" // 401: the token's member's accessExpiresAt has passed; 410: accepting an invitation whose access has ended; 409: resending one
  | "forbidden" // 403: the caller lacks a permission; details.missingPermission names it
  | "not_found" // 404
  | "already_member" // 409: inviting an email that is a member
  | "invitation_pending" // 409: inviting an email with a pending invitation
  | "role_in_use" // 409: deleting a custom role still held
  | "too_many_roles" // 409: creating a custom role past the server's limit (details.limit)
  | "sponsored_invitations" // 409: taking access:manage from a sponsor without `invitations`; details.invitations lists them
  | "transfer_refused" // 409: `invitations: transfer` to a caller who cannot sponsor them
  | "conflict" // 409: any other state conflict (e.g. patching a non-pending invitation)
  | "invitation_revoked" // 410
  | "invitation_expired" // 410
  | "invitation_used" // 410
  | "precondition_failed" // 412: If-Match is stale
  | "idempotency_key_reused" // 422: same key, different request
  | "rate_limited" // 429, with Retry-After
  | "internal" // 500
  | "unavailable"; // 503

/** ApiErrorBody is every error answer's body. */
export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; details?: Record<string, unknown> };
}

/**
 * ValidationReason is the closed set of `details.reason` values of a 400 `validation_failed`:
 * what is wrong with `details.field`, for clients to act on without reading the message.
 */
export type ValidationReason =
  | "required" // a required field is missing
  | "unknown_field" // a body field the API does not know
  | "type" // the wrong JSON type, or not one of the allowed values
  | "too_long" // longer (or more items) than allowed
  | "too_short" // shorter (or fewer items) than allowed
  | "not_integer" // a query number not written in decimal digits
  | "out_of_range" // a number outside its range
  | "not_email" // not an email address in the identity grammar (docs/access-yaml.md)
  | "look_alike" // an email that reads the same as a member's or pending invitee's (details.lookAlike)
  | "unknown_role" // a role the workspace does not define (details.value)
  | "owner_role" // the owner role, which nobody can be given
  | "unknown_permission" // a permission the catalog does not know (details.value)
  | "owner_only" // an owner-only permission, which nobody can be granted (details.value)
  | "built_in_role" // changing or deleting a built-in role (details.value)
  | "bad_role_name" // a custom role name outside the grammar (details.value)
  | "bad_description" // a role description outside the identity grammar
  | "bad_cursor" // a cursor this server did not issue
  | "bad_duration" // a duration not written like 90d
  | "bad_manager" // a manager id outside its grammar
  | "bad_status" // an invitation status the API does not know (details.value)
  | "not_domain" // a company domain that is not a domain name (details.value)
  | "empty" // an empty list or value where one is needed
  | "not_token" // not an invitation token
  | "invalid"; // anything else
