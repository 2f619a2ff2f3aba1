import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedMembers } from "../../server/admin.js";
import { startWorkspace, WORKSPACE, wsPath, type TestWorkspace } from "./harness.js";

/** Paging over 2,500 members over HTTP, with inserts and removals between pages; limits and cursors validated. */

let ws: TestWorkspace;
const emails = Array.from({ length: 2_499 }, (_, i) => `member${String(i).padStart(4, "0")}@acme.io`);

beforeAll(async () => {
  ws = await startWorkspace();
  seedMembers(ws.dbPath, { workspace: WORKSPACE, emails });
});
afterAll(async () => {
  await ws.close();
});

async function pageAll(limit: number, between?: (page: number) => Promise<void>): Promise<{ emails: string[]; ids: Map<string, string>; pages: number }> {
  const seen: string[] = [];
  const ids = new Map<string, string>();
  let cursor: string | null = null;
  let pages = 0;
  do {
    const answer = await ws.call("GET", wsPath(`/members?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`));
    expect(answer.status).toBe(200);
    expect(answer.body.items.length).toBeLessThanOrEqual(limit);
    for (const m of answer.body.items) {
      seen.push(m.email);
      ids.set(m.email, m.id);
    }
    cursor = answer.body.nextCursor;
    pages++;
    if (cursor && between) await between(pages);
  } while (cursor);
  return { emails: seen, ids, pages };
}

describe("pagination", () => {
  it("pages through 2,500 members at limit 1000 in 3 pages, in join order, each once", async () => {
    const { emails: seen, pages } = await pageAll(1000);
    expect(pages).toBe(3);
    expect(seen).toEqual(["founder@acme.io", ...emails]);
  });

  it("defaults to 100 per page", async () => {
    const answer = await ws.call("GET", wsPath("/members"));
    expect(answer.body.items.length).toBe(100);
    expect(typeof answer.body.nextCursor).toBe("string");
  });

  it("survives inserts and removals between pages: every member present throughout is seen exactly once", async () => {
    const { emails: before, ids } = await pageAll(1000);
    let added = 0;
    const removed: string[] = [];
    const { emails: seen } = await pageAll(300, async (page) => {
      seedMembers(ws.dbPath, { workspace: WORKSPACE, emails: [`late${page}a@acme.io`, `late${page}b@acme.io`] });
      added += 2;
      // remove one member the pages have not reached yet
      const target = before[before.length - page * 7]!;
      expect((await ws.call("DELETE", wsPath(`/members/${ids.get(target)}`))).status).toBe(204);
      removed.push(target);
    });
    expect(new Set(seen).size).toBe(seen.length);
    const survivors = before.filter((e) => !removed.includes(e));
    expect(seen.filter((e) => !e.startsWith("late"))).toEqual(survivors);
    expect(seen.filter((e) => e.startsWith("late")).length).toBe(added);
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=1001", "limit"],
    ["limit=ten", "limit"],
    ["limit=1.5", "limit"],
    ["cursor=bm9wZQ", "cursor"],
    ["cursor=%%%", "cursor"],
  ])("rejects %s naming the field %s", async (query, field) => {
    const answer = await ws.call("GET", wsPath(`/members?${query}`));
    expect([answer.status, answer.body.error.code, answer.body.error.details.field]).toEqual([400, "validation_failed", field]);
  });
});
