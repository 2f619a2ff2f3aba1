// @ts-check
// The dashboard's client of the Access API v1: same origin, bearer token, JSON.
// It is the only module that calls fetch.

/** ApiFailure is an error answer of the API: { status, code, message, details }. */
export class ApiFailure extends Error {
  /**
   * @param {number} status the HTTP status (0: the server could not be reached)
   * @param {string} code the API's error code
   * @param {string} message
   * @param {Record<string, any>} [details]
   */
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details ?? {};
  }
}

function newIdempotencyKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * createApi returns the calls of one session. `onUnauthorized` runs when the API
 * answers 401 (the token was revoked or never valid) before the failure is thrown.
 * @param {any} options
 */
/**
 * @param {{ token: string, workspace: string }} session
 * @param {(failure: ApiFailure) => void} [onUnauthorized]
 */
export function createApi({ token, workspace }, onUnauthorized = () => {}) {
  const wsPath = `/v1/workspaces/${encodeURIComponent(workspace)}`;

  /**
   * @param {string} method
   * @param {string} path
   * @param {{ body?: unknown, query?: Record<string, any>, ifMatch?: number, idempotent?: boolean }} [options]
   */
  async function request(method, path, { body, query, ifMatch, idempotent } = {}) {
    const url = new URL(path, location.origin);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, v);
    // x-antryk-client names the dashboard in the access history (docs/api.md, "Clients").
    /** @type {Record<string, string>} */
    const headers = { authorization: `Bearer ${token}`, accept: "application/json", "x-antryk-client": "dashboard" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (ifMatch !== undefined) headers["if-match"] = `"${ifMatch}"`;
    if (idempotent) headers["idempotency-key"] = newIdempotencyKey();
    let res;
    try {
      res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "omit", cache: "no-store" });
    } catch (err) {
      throw new ApiFailure(0, "network", `The server could not be reached (${err instanceof Error ? err.message : String(err)}).`);
    }
    if (res.status === 204) return null;
    const data = await res.json().catch(() => null);
    if (!res.ok) {
      const e = data?.error;
      const failure = new ApiFailure(res.status, e?.code ?? "unknown", e?.message ?? `HTTP ${res.status}`, e?.details);
      if (res.status === 401) onUnauthorized(failure);
      throw failure;
    }
    return data;
  }

  /**
   * @param {any} path
   */
  async function listAll(path, query = {}) {
    const items = [];
    let cursor = null;
    do {
      const page = await request("GET", path, { query: { ...query, limit: 1000, cursor } });
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  /**
   * watchRevisions reads the workspace's event stream (GET …/events), calling
   * `onRevision(n)` for each revision; it resolves when the stream ends and rejects when
   * it cannot open or breaks. It uses fetch, not EventSource: EventSource cannot send the
   * bearer header, and the token must never travel in a URL (URLs end up in logs).
   * @param {any} onRevision
   * @param {any} onOpen
   * @param {any} signal
   */
  async function watchRevisions(onRevision, onOpen, signal) {
    const headers = { authorization: `Bearer ${token}`, accept: "text/event-stream", "x-antryk-client": "dashboard" };
    const res = await fetch(new URL(`${wsPath}/events`, location.origin), { headers, signal, credentials: "omit", cache: "no-store" });
    if (!res.ok) {
      const e = (await res.json().catch(() => null))?.error;
      const failure = new ApiFailure(res.status, e?.code ?? "unknown", e?.message ?? `HTTP ${res.status}`, e?.details);
      if (res.status === 401) onUnauthorized(failure);
      throw failure;
    }
    onOpen();
    const reader = /** @type {ReadableStream<Uint8Array>} */ (res.body).pipeThrough(/** @type {TransformStream<Uint8Array, string>} */ (new TextDecoderStream())).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const data = buffer.slice(0, end).split("\n").find((line) => line.startsWith("data: "));
        buffer = buffer.slice(end + 2);
        if (data) onRevision(JSON.parse(data.slice(6)).revision);
      }
    }
  }

  return {
    workspace,
    watchRevisions,
    me: () => request("GET", `${wsPath}/me`),
    getWorkspace: () => request("GET", wsPath),
    members: () => listAll(`${wsPath}/members`),
    // One page of a list, searched on the server (docs/api.md "Searching lists"): `{ items, nextCursor, total }`.
    membersPage: (/** @type {any} */ query) => request("GET", `${wsPath}/members`, { query }),
    invitationsPage: (/** @type {any} */ query) => request("GET", `${wsPath}/invitations`, { query }),
    // `invitations` ("transfer" | "revoke") decides the open invitations of a sponsor losing access:manage (sponsors.js).
    updateMember: (/** @type {any} */ m, /** @type {any} */ patch, /** @type {any} */ invitations) =>
      request("PATCH", `${wsPath}/members/${encodeURIComponent(m.id)}`, { body: invitations ? { ...patch, invitations } : patch, ifMatch: m.version }),
    removeMember: (/** @type {any} */ m, /** @type {any} */ invitations) =>
      request("DELETE", `${wsPath}/members/${encodeURIComponent(m.id)}`, { ifMatch: m.version, ...(invitations ? { body: { invitations } } : {}) }),
    member: (/** @type {string} */ id) => request("GET", `${wsPath}/members/${encodeURIComponent(id)}`),
    // every invitation (all pages): only for pages that need the whole list (Roles, Review, the role editor, a sponsor's removal)
    invitations: (/** @type {Record<string, unknown> | undefined} */ query) => listAll(`${wsPath}/invitations`, query),
    invitation: (/** @type {string} */ id) => request("GET", `${wsPath}/invitations/${encodeURIComponent(id)}`),
    updateInvitation: (/** @type {any} */ i, /** @type {any} */ patch) => request("PATCH", `${wsPath}/invitations/${encodeURIComponent(i.id)}`, { body: patch, ifMatch: i.version }),
    invite: (/** @type {any} */ body) => request("POST", `${wsPath}/invitations`, { body, idempotent: true }),
    resendInvitation: (/** @type {any} */ i) => request("POST", `${wsPath}/invitations/${encodeURIComponent(i.id)}/resend`, { ifMatch: i.version, idempotent: true }),
    revokeInvitation: (/** @type {any} */ i) => request("POST", `${wsPath}/invitations/${encodeURIComponent(i.id)}/revoke`, { ifMatch: i.version, idempotent: true }),
    roles: () => listAll(`${wsPath}/roles`),
    putRole: (/** @type {string} */ name, /** @type {any} */ body, /** @type {any} */ version, /** @type {any} */ invitations) =>
      request("PUT", `${wsPath}/roles/${encodeURIComponent(name)}`, { body: invitations ? { ...body, invitations } : body, ifMatch: version }),
    deleteRole: (/** @type {any} */ role) => request("DELETE", `${wsPath}/roles/${encodeURIComponent(role.name)}`, { ifMatch: role.version }),
    permissions: async () => (await request("GET", `${wsPath}/permissions`)).items,
    audit: (/** @type {any} */ query) => request("GET", `${wsPath}/audit`, { query }),
  };
}

// Internal ids (inv_…, mem_…) mean nothing to a person; messages name people by e-mail.
const INTERNAL_ID = /\s*\(?\b(?:inv|mem|tok|evt)_[A-Za-z0-9_-]+\)?/g;

/**
 * describeFailure is one plain sentence a person can act on for any thrown error, with
 * the next step where there is one; `subject` names what was acted on (an e-mail or a role).
 * @param {any} err
 * @param {string} [subject]
 */
export function describeFailure(err, subject) {
  if (!(err instanceof ApiFailure)) return `Something went wrong in this page: ${err?.message ?? err}. Reload the page and try again.`;
  const who = subject ?? "This person";
  switch (err.code) {
    case "network":
      return "The server could not be reached. Check that it is running and try again.";
    case "forbidden":
      return err.details.missingPermission
        ? `You need the ${err.details.missingPermission} permission to do this. Ask the workspace owner for it.`
        : `You are not allowed to do this. ${plain(err.message)}`;
    case "precondition_failed":
      return "Someone else changed this while you were looking at it. The page now shows the current values; check them and try again.";
    case "already_member":
      return `${who} is already a member. Change their access from the Members page instead.`;
    case "invitation_pending":
      return `${who} already has a pending invitation. Resend the existing invitation instead?`;
    case "role_in_use":
      return `This role is still held by ${err.details.members ?? 0} member(s) and ${err.details.pendingInvitations ?? 0} pending invitation(s). Give them another role first.`;
    case "conflict":
      return err.details.status
        ? `This invitation is ${err.details.status} now, so it can no longer be changed. The page shows its current state.`
        : `${plain(err.message)}.`;
    case "rate_limited":
      return "Too many requests in a short time. Wait a moment and try again.";
    case "not_found":
      return "That no longer exists: someone may have removed it. The page shows the current state.";
    case "validation_failed":
      return fieldSentence(err);
    default:
      return `${plain(err.message)}.`;
  }
}

/**
 * fieldSentence turns a validation failure into a sentence about the field it names,
 * deciding on `details.field` and `details.reason` (docs/api.md, "Errors"), never on the
 * message text; `details.value` names the role or permission at fault.
 * @param {any} err
 */
export function fieldSentence(err) {
  const field = String(err.details?.field ?? "").replace(/^\//, "");
  const reason = err.details?.reason;
  const value = err.details?.value;
  if (field.startsWith("email")) {
    return reason === "look_alike" && err.details.lookAlike
      ? `This address reads the same as ${err.details.lookAlike}, already in this workspace. Check the spelling.`
      : "Enter a valid e-mail address, such as name@example.com.";
  }
  if (field === "name") {
    return reason === "built_in_role"
      ? "That name belongs to a built-in role. Choose another name."
      : "A role name uses lower-case letters, digits and dashes (2 to 63 characters) and starts with a letter.";
  }
  if (field.startsWith("permissions")) {
    if (reason === "owner_only") return `${value ?? "That permission"} belongs to the owner alone and cannot be given to anyone else.`;
    if (reason === "unknown_permission") return `${value ?? "A permission"} is not a permission this workspace knows. Reload the page to get the current list.`;
    if (reason === "too_long") return "Too many permissions: a role or person can be given at most 100.";
    return `${plain(err.message)}.`;
  }
  if (field.startsWith("role")) return reason === "owner_role" ? "The owner role cannot be given to anyone." : "That role no longer exists. Reload the page and pick another role.";
  if (field.startsWith("description")) return reason === "too_long" ? "The description is too long: keep it under 1,000 characters." : `${plain(err.message)}.`;
  return `${plain(err.message)}.`;
}

/**
 * @param {unknown} message
 */
function plain(message) {
  const text = String(message ?? "").replace(INTERNAL_ID, "").trim();
  return text ? text.charAt(0).toUpperCase() + text.slice(1).replace(/\.$/, "") : "The server refused this";
}
