import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createClient } from "../../client/index.js";
import { DEFAULT_LIMITS } from "../../server/index.js";
import { startWorkspace, wsPath, type TestWorkspace } from "./harness.js";

/**
 * Custom roles are bounded (at most `maxCustomRoles` per workspace, 500 by default) and
 * GET /roles is paged like every list, built-in roles first; the client follows the pages.
 */

let ws: TestWorkspace | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

const put = (t: TestWorkspace, name: string) => t.call("PUT", wsPath(`/roles/${name}`), { body: { permissions: ["logs:read"] } });
const name = (i: number) => `role-${String(i).padStart(3, "0")}`;

describe("custom roles", () => {
  it("stop at the server's limit with 409 too_many_roles, changing nothing; replacing one still works", async () => {
    ws = await startWorkspace({ limits: { maxCustomRoles: 3 } });
    for (let i = 0; i < 3; i += 1) expect((await put(ws, name(i))).status).toBe(201);
    const before = ws.dump();
    const refused = await put(ws, "one-too-many");
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "too_many_roles", details: { limit: 3 } });
    expect(ws.dump()).toBe(before);
    expect((await ws.call("PUT", wsPath(`/roles/${name(0)}`), { body: { permissions: ["config:read"] } })).status).toBe(200);
    expect((await ws.call("DELETE", wsPath(`/roles/${name(0)}`))).status).toBe(204);
    expect((await put(ws, "one-too-many")).status).toBe(201);
  });

  it("are listed in pages, built-in roles first, each role once, and the client follows the pages", async () => {
    ws = await startWorkspace();
    for (let i = 0; i < 7; i += 1) expect((await put(ws, name(6 - i))).status).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? "?limit=2" : `?limit=2&cursor=${cursor}`;
      const page = await ws.call("GET", wsPath(`/roles${query}`));
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((r: { name: string }) => r.name));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor !== null);
    const expected = ["owner", "account-admin", "developer", ...Array.from({ length: 7 }, (_, i) => name(i))];
    expect(seen).toEqual(expected);
    expect(pages).toBe(5);
    const client = createClient({ baseUrl: ws.url, token: ws.ownerToken });
    try {
      expect((await client.listRoles("acme")).map((r) => r.name)).toEqual(expected);
    } finally {
      await client.close();
    }
    expect((await ws.call("GET", wsPath("/roles?cursor=bm9wZQ"))).body.error).toMatchObject({ code: "validation_failed", details: { field: "cursor" } });
  });

  it("the guard reads only the caller's role: a request never touches the other custom roles", async () => {
    ws = await startWorkspace();
    expect((await put(ws, "support")).status).toBe(201);
    const { token } = await ws.addMember("sam@acme.io", "support");
    // another role's row that cannot even be read: a guard loading every role would fail on it
    const db = new Database(ws.dbPath);
    db.prepare("INSERT INTO roles (workspace_id, name, description, permissions, version) SELECT workspace_id, 'unreadable', '', '{not json', 1 FROM roles LIMIT 1").run();
    db.close();
    for (const t of [ws.ownerToken, token]) expect((await ws.call("GET", wsPath("/me"), { token: t })).status).toBe(200);
    expect((await ws.call("GET", wsPath("/members"), { token })).status).toBe(200);
  });

  it("a workspace without custom roles lists the built-in ones in one page; the default limit is 500 custom roles", async () => {
    expect(DEFAULT_LIMITS.maxCustomRoles).toBe(500);
    ws = await startWorkspace();
    const page = await ws.call("GET", wsPath("/roles"));
    expect(page.body).toMatchObject({ nextCursor: null });
    expect(page.body.items.map((r: { name: string }) => r.name)).toEqual(["owner", "account-admin", "developer"]);
  });
});
