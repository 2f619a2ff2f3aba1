import { MAX_DESCRIPTION_LENGTH, MAX_EMAIL_LENGTH } from "../schema/identity.js";
import { MAX_MANAGER_LENGTH } from "../schema/manager.js";
import { DEFAULT_LIMIT, MAX_LIMIT } from "./pagination.js";
import { accessExpiryJson } from "./access-expiry.js";
import type { PeopleQuery } from "./people-filter.js";

/**
 * The JSON schemas fastify validates requests with (ajv): bodies strictly (no
 * coercion, no unknown fields), query strings and path parameters with type coercion.
 * Semantic checks (known role, known permission, email shape) happen in the handlers
 * so that their errors can say what is wrong in the domain's words.
 */

const permissionList = { type: "array", maxItems: 100, items: { type: "string", maxLength: 100 } } as const;
const roleName = { type: "string", minLength: 1, maxLength: 100 } as const;

/** invitationCreateBody is the body of POST /invitations (InvitationCreate). */
export const invitationCreateBody = {
  type: "object",
  required: ["email", "role"],
  additionalProperties: false,
  properties: { email: { type: "string", maxLength: MAX_EMAIL_LENGTH }, role: roleName, permissions: permissionList, accessExpiresAt: accessExpiryJson },
} as const;

/** assignmentPatchBody is the body of PATCH /invitations/{id}: role, grants and/or access expiry. */
export const assignmentPatchBody = {
  type: "object",
  additionalProperties: false,
  properties: { role: roleName, permissions: permissionList, accessExpiresAt: accessExpiryJson },
} as const;

const sponsoredChoice = { type: "string", enum: ["revoke", "transfer"] } as const;

/** memberPatchBody is the body of PATCH /members/{id} (MemberPatch): role, grants and/or access expiry, and what happens to the invitations it sponsors. */
export const memberPatchBody = {
  type: "object",
  additionalProperties: false,
  properties: { role: roleName, permissions: permissionList, accessExpiresAt: accessExpiryJson, invitations: sponsoredChoice },
} as const;

/** memberRemoveBody is the optional body of DELETE /members/{id} (MemberRemove). */
export const memberRemoveBody = {
  anyOf: [{ type: "object", additionalProperties: false, properties: { invitations: sponsoredChoice } }, { type: "null" }],
} as const;

/** rolePutBody is the body of PUT /roles/{name} (RolePut). */
export const rolePutBody = {
  type: "object",
  required: ["permissions"],
  additionalProperties: false,
  properties: { description: { type: "string", maxLength: MAX_DESCRIPTION_LENGTH }, permissions: permissionList, invitations: sponsoredChoice },
} as const;

/** emptyBody is the body of resend and revoke: none (fastify validates a missing body as null), or an empty JSON object. */
export const emptyBody = { anyOf: [{ type: "object", maxProperties: 0 }, { type: "null" }] } as const;

/** acceptBody is the body of POST /invitations/accept. */
export const acceptBody = {
  type: "object",
  required: ["token"],
  additionalProperties: false,
  properties: { token: { type: "string", minLength: 1, maxLength: 200 } },
} as const;

const pageQueryProperties = {
  limit: { type: "integer", minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
  cursor: { type: "string", minLength: 1, maxLength: 200 },
} as const;

/** pageQuery, invitationsQuery and auditQuery are the list queries (limit defaults to 100). */
export const pageQuery = { type: "object", properties: pageQueryProperties } as const;

const managedByQuery = { type: "string", maxLength: MAX_MANAGER_LENGTH } as const;

/** peopleQueryProperties are the search of the people lists (server/people-filter.ts): `q`, `role`, `admin`, `external`, `expiresWithin`. */
const peopleQueryProperties = {
  q: { type: "string", minLength: 1, maxLength: 320 },
  role: roleName,
  admin: { type: "boolean" },
  external: { type: "string", minLength: 1, maxLength: 2000 },
  expiresWithin: { type: "string", maxLength: 10 },
} as const;

/** membersQuery is pageQuery, the people search, `sort`, `managedBy` (one manager's members; empty: unmanaged) and `inactiveFor` (`90d`: members whose last activity, or joining if never active, is older). */
export const membersQuery = {
  type: "object",
  properties: {
    ...pageQueryProperties,
    ...peopleQueryProperties,
    managedBy: managedByQuery,
    inactiveFor: { type: "string", maxLength: 10 },
    sort: { type: "string", enum: ["email", "-email", "role", "-role", "joined", "-joined"] },
  },
} as const;

export const invitationsQuery = {
  type: "object",
  properties: { ...pageQueryProperties, ...peopleQueryProperties, status: { type: "string", maxLength: 100 }, managedBy: managedByQuery },
} as const;

/** rolesQuery is the roles list query: a page, optionally filtered by `managedBy` (custom roles only; empty: unmanaged). */
export const rolesQuery = { type: "object", properties: { ...pageQueryProperties, managedBy: managedByQuery } } as const;

export const auditQuery = {
  type: "object",
  properties: {
    ...pageQueryProperties,
    actor: { type: "string", maxLength: 320 },
    target: { type: "string", maxLength: 320 },
    action: { type: "string", maxLength: 100 },
    q: { type: "string", minLength: 1, maxLength: 320 },
  },
} as const;

const segment = { type: "string", minLength: 1, maxLength: 200 } as const;
/** wsParams, wsIdParams and wsNameParams are the path parameters. */
export const wsParams = { type: "object", required: ["ws"], properties: { ws: segment } } as const;
export const wsIdParams = { type: "object", required: ["ws", "id"], properties: { ws: segment, id: segment } } as const;
export const wsNameParams = { type: "object", required: ["ws", "name"], properties: { ws: segment, name: segment } } as const;

/** PageQuery is a validated list query. */
export interface PageQuery {
  limit: number;
  cursor?: string;
}

/** MembersQuery is a validated members list query. */
export interface MembersQuery extends PageQuery, PeopleQuery {
  /** sort orders the list by a column (`-` first: descending), seq breaking ties; absent: join order. */
  sort?: "email" | "-email" | "role" | "-role" | "joined" | "-joined";
  managedBy?: string;
  inactiveFor?: string;
}
