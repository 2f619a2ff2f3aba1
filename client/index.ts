import type {
  AuditAction,
  AuditEvent,
  Invitation,
  InvitationCreate,
  InvitationPatch,
  InvitationStatus,
  Member,
  MemberPatch,
  OutboxMessage,
  Page,
  PermissionInfo,
  Role,
  RolePut,
  SponsoredChoice,
  Workspace,
} from "../schema/api.js";
import { createTransport, type CallCounts, type Transport, type TransportOptions } from "./http.js";

export type { CallCounts } from "./http.js";
export type { RetryOptions } from "./retry.js";

/**
 * The client of the Antryk Access API v1: one method per route of schema/api.ts.
 *
 * The workspace is passed to every call (its first argument), not bound at creation:
 * one client (one connection pool, one token) can read several workspaces, and the
 * engine's entry points already name theirs (`fetchWorkspaceState(client, ws)`,
 * `plan.workspace`). Lists are read to the end (pages of 1,000) unless the method says
 * it returns one page. Every update sends `If-Match: "<version>"`; every POST sends an
 * `Idempotency-Key` (given, or random per call) that its retries reuse.
 */
export interface AccessClient {
  /** baseUrl is the API's base URL as given (origin and path prefix); never a credential. */
  readonly baseUrl: string;
  /** calls is a snapshot of the call counts so far. */
  readonly calls: CallCounts;
  resetCalls(): void;
  /** gaveUp tells whether the client has seen only connection failures for retry.giveUpAfterMs (default 10 s): no request retries any more. */
  gaveUp(): boolean;
  /** close ends the connection pool; later calls fail with a network_error. */
  close(): Promise<void>;

  getWorkspace(workspace: string): Promise<Workspace>;
  getMe(workspace: string): Promise<Member>;
  /** listMembers reads every member, or only those whose managedBy is `filter.managedBy` (null: unmanaged). */
  listMembers(workspace: string, filter?: { managedBy?: string | null }): Promise<Member[]>;
  getMember(workspace: string, id: string): Promise<Member>;
  updateMember(workspace: string, id: string, patch: MemberPatch, options: { ifMatch: number }): Promise<Member>;
  /** removeMember removes a member; `invitations` decides the open invitations it sponsors, if it holds access:manage (docs/api.md, "Sponsors"). */
  removeMember(workspace: string, id: string, options: { ifMatch: number; invitations?: SponsoredChoice }): Promise<void>;
  listInvitations(workspace: string, filter?: { status?: InvitationStatus; managedBy?: string | null }): Promise<Invitation[]>;
  getInvitation(workspace: string, id: string): Promise<Invitation>;
  createInvitation(workspace: string, body: InvitationCreate, options?: { idempotencyKey?: string }): Promise<Invitation>;
  updateInvitation(workspace: string, id: string, patch: InvitationPatch, options: { ifMatch: number }): Promise<Invitation>;
  resendInvitation(workspace: string, id: string, options: { ifMatch: number; idempotencyKey?: string }): Promise<Invitation>;
  revokeInvitation(workspace: string, id: string, options: { ifMatch: number; idempotencyKey?: string }): Promise<Invitation>;
  /** acceptInvitation is the invitee's call: no bearer token, the invitation token in the body. */
  acceptInvitation(invitationToken: string): Promise<Member>;
  /** listRoles lists built-in (`builtIn: true`) and custom roles. */
  listRoles(workspace: string): Promise<Role[]>;
  /** putRole creates (no ifMatch) or replaces (ifMatch: its version) a custom role. */
  putRole(workspace: string, name: string, body: RolePut, options?: { ifMatch?: number }): Promise<Role>;
  deleteRole(workspace: string, name: string, options: { ifMatch: number }): Promise<void>;
  listPermissions(workspace: string): Promise<PermissionInfo[]>;
  /** listAudit returns one page of the access history, newest first. */
  listAudit(workspace: string, query?: AuditQuery): Promise<Page<AuditEvent>>;
  /** listAllAudit reads the whole access history (matching the filters), newest first. */
  listAllAudit(workspace: string, query?: Omit<AuditQuery, "cursor" | "limit">): Promise<AuditEvent[]>;
  /**
   * withManager is this client (same pool, token and call counts) making every write for
   * `manager`: it sends `X-Antryk-Manager`, so what it writes is marked `managedBy: manager`
   * (null sends the header empty, clearing the marker). Reads are unchanged.
   */
  withManager(manager: string | null): AccessClient;
  /** devOutbox lists the workspace's invitation messages on a server started with --dev-outbox (loopback only; needs access:manage). */
  devOutbox(workspace: string): Promise<OutboxMessage[]>;
}

/** AuditQuery filters and pages the access history. */
export interface AuditQuery {
  limit?: number;
  cursor?: string;
  actor?: string;
  target?: string;
  action?: AuditAction;
}

/** ClientOptions: `baseUrl` (https, or http to loopback only), the bearer `token`, and transport tuning (timeouts, retries, injectable random/sleep/clock). */
export type ClientOptions = TransportOptions;

/** PAGE_SIZE is the page size of every list read to the end (the API's maximum). */
export const PAGE_SIZE = 1000;

/**
 * createClient opens a client of the Access API at `baseUrl`. Throws ConfigError for an
 * invalid URL or plain http to a non-loopback host, before any connection is made.
 * Call `close()` when done.
 */
export function createClient(options: ClientOptions): AccessClient {
  return clientOver(createTransport(options), undefined);
}

/** managedQuery is the `managedBy` list filter as a query value ("" asks for unmanaged objects). */
function managedQuery(filter: { managedBy?: string | null } | undefined): { managedBy?: string } {
  if (filter?.managedBy === undefined) return {};
  return { managedBy: filter.managedBy ?? "" };
}

function clientOver(transport: Transport, manager: string | undefined): AccessClient {
  const http: Transport = {
    get baseUrl() {
      return transport.baseUrl;
    },
    get calls() {
      return transport.calls;
    },
    resetCalls: () => transport.resetCalls(),
    gaveUp: () => transport.gaveUp(),
    close: () => transport.close(),
    request: (spec) => transport.request(spec.method === "GET" || manager === undefined ? spec : { ...spec, manager }),
  };
  const ws = (workspace: string) => `/v1/workspaces/${encodeURIComponent(workspace)}`;
  const seg = encodeURIComponent;
  return {
    get baseUrl() {
      return http.baseUrl;
    },
    get calls() {
      return http.calls;
    },
    gaveUp: () => http.gaveUp(),
    resetCalls: () => http.resetCalls(),
    close: () => http.close(),

    getWorkspace: (w) => http.request({ method: "GET", path: ws(w) }),
    getMe: (w) => http.request({ method: "GET", path: `${ws(w)}/me` }),
    listMembers: (w, filter) => readAll<Member>(http, `${ws(w)}/members`, managedQuery(filter)),
    getMember: (w, id) => http.request({ method: "GET", path: `${ws(w)}/members/${seg(id)}` }),
    updateMember: (w, id, patch, o) =>
      http.request({ method: "PATCH", path: `${ws(w)}/members/${seg(id)}`, body: patch, ifMatch: o.ifMatch }),
    removeMember: (w, id, o) =>
      http.request({
        method: "DELETE",
        path: `${ws(w)}/members/${seg(id)}`,
        ifMatch: o.ifMatch,
        ...(o.invitations !== undefined ? { body: { invitations: o.invitations } } : {}),
      }),
    listInvitations: (w, filter) => readAll<Invitation>(http, `${ws(w)}/invitations`, { status: filter?.status, ...managedQuery(filter) }),
    getInvitation: (w, id) => http.request({ method: "GET", path: `${ws(w)}/invitations/${seg(id)}` }),
    createInvitation: (w, body, o) =>
      http.request({ method: "POST", path: `${ws(w)}/invitations`, body, idempotencyKey: o?.idempotencyKey }),
    updateInvitation: (w, id, patch, o) =>
      http.request({ method: "PATCH", path: `${ws(w)}/invitations/${seg(id)}`, body: patch, ifMatch: o.ifMatch }),
    resendInvitation: (w, id, o) =>
      http.request({
        method: "POST",
        path: `${ws(w)}/invitations/${seg(id)}/resend`,
        ifMatch: o.ifMatch,
        idempotencyKey: o.idempotencyKey,
      }),
    revokeInvitation: (w, id, o) =>
      http.request({
        method: "POST",
        path: `${ws(w)}/invitations/${seg(id)}/revoke`,
        ifMatch: o.ifMatch,
        idempotencyKey: o.idempotencyKey,
      }),
    acceptInvitation: (invitationToken) =>
      http.request({ method: "POST", path: "/v1/invitations/accept", body: { token: invitationToken }, auth: false }),
    listRoles: (w) => readAll<Role>(http, `${ws(w)}/roles`, {}),
    putRole: (w, name, body, o) =>
      http.request({ method: "PUT", path: `${ws(w)}/roles/${seg(name)}`, body, ifMatch: o?.ifMatch }),
    deleteRole: (w, name, o) => http.request({ method: "DELETE", path: `${ws(w)}/roles/${seg(name)}`, ifMatch: o.ifMatch }),
    listPermissions: async (w) =>
      (await http.request<{ items: PermissionInfo[] }>({ method: "GET", path: `${ws(w)}/permissions` })).items,
    listAudit: (w, q) => http.request({ method: "GET", path: `${ws(w)}/audit`, query: { ...q } }),
    listAllAudit: (w, q) => readAll<AuditEvent>(http, `${ws(w)}/audit`, { ...q }),
    withManager: (m) => clientOver(transport, m ?? ""),
    devOutbox: async (w) => (await http.request<{ items: OutboxMessage[] }>({ method: "GET", path: `${ws(w)}/dev/outbox` })).items,
  };
}

/** readAll follows `nextCursor` from the first page to the last, PAGE_SIZE at a time. */
async function readAll<T>(http: Transport, path: string, query: Record<string, string | number | undefined>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await http.request<Page<T>>({ method: "GET", path, query: { ...query, limit: PAGE_SIZE, cursor } });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}
