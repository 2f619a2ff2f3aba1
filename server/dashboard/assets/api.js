// The dashboard's client of the Access API v1: same origin, bearer token, JSON.
// It is the only module that calls fetch.

/** ApiFailure is an error answer of the API: { status, code, message, details }. */
export class ApiFailure extends Error {
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
 */
export function createApi({ token, workspace }, onUnauthorized = () => {}) {
  const wsPath = `/v1/workspaces/${encodeURIComponent(workspace)}`;

  async function request(method, path, { body, query, ifMatch, idempotent } = {}) {
    const url = new URL(path, location.origin);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, v);
    // x-antryk-client names the dashboard in the access history (docs/api.md, "Clients").
    const headers = { authorization: `Bearer ${token}`, accept: "application/json", "x-antryk-client": "dashboard" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (ifMatch !== undefined) headers["if-match"] = `"${ifMatch}"`;
    if (idempotent) headers["idempotency-key"] = newIdempotencyKey();
    let res;
    try {
      res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "omit", cache: "no-store" });
    } catch (err) {
      throw new ApiFailure(0, "network", `The server could not be reached (${err.message}).`);
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

  return {
    workspace,
    me: () => request("GET", `${wsPath}/me`),
    getWorkspace: () => request("GET", wsPath),
    members: () => listAll(`${wsPath}/members`),
    updateMember: (m, patch) => request("PATCH", `${wsPath}/members/${encodeURIComponent(m.id)}`, { body: patch, ifMatch: m.version }),
    removeMember: (m) => request("DELETE", `${wsPath}/members/${encodeURIComponent(m.id)}`, { ifMatch: m.version }),
    invitations: () => listAll(`${wsPath}/invitations`),
    invite: (body) => request("POST", `${wsPath}/invitations`, { body, idempotent: true }),
    resendInvitation: (i) => request("POST", `${wsPath}/invitations/${encodeURIComponent(i.id)}/resend`, { ifMatch: i.version, idempotent: true }),
    revokeInvitation: (i) => request("POST", `${wsPath}/invitations/${encodeURIComponent(i.id)}/revoke`, { ifMatch: i.version, idempotent: true }),
    roles: async () => (await request("GET", `${wsPath}/roles`)).items,
    permissions: async () => (await request("GET", `${wsPath}/permissions`)).items,
    audit: (query) => request("GET", `${wsPath}/audit`, { query }),
  };
}

/** describeFailure is one sentence a person can act on for any thrown error. */
export function describeFailure(err) {
  if (!(err instanceof ApiFailure)) return `Something went wrong: ${err?.message ?? err}`;
  switch (err.code) {
    case "forbidden":
      return err.details.missingPermission
        ? `You lack the ${err.details.missingPermission} permission for this. ${err.message}`
        : err.message;
    case "precondition_failed":
      return "Someone changed this in the meantime; the page was refreshed, please check and try again.";
    default:
      return err.message;
  }
}
