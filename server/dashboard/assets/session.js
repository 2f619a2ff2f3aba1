// @ts-check
// The signed-in session: the API token and the workspace, kept in sessionStorage only
// (gone when the tab closes; no cookie, so no request is ever authenticated implicitly).

const KEY = "antryk-access.session";

/** loadSession returns { token, workspace } or null. */
export function loadSession() {
  try {
    const value = JSON.parse(sessionStorage.getItem(KEY) ?? "null");
    if (value && typeof value.token === "string" && typeof value.workspace === "string") return value;
  } catch {
    // a malformed entry is the same as none
  }
  return null;
}

/**
 * saveSession keeps the token and workspace for this tab.
 * @param {{ token: string, workspace: string }} session
 */
export function saveSession(session) {
  sessionStorage.setItem(KEY, JSON.stringify({ token: session.token, workspace: session.workspace }));
}

/** clearSession forgets the token. */
export function clearSession() {
  sessionStorage.removeItem(KEY);
}
