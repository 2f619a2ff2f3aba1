import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkspace, wsPath, type TestWorkspace } from "./harness.js";

/**
 * The search of the lists (`q`, `role`, `admin`, `external`, `expiresWithin`) over HTTP against the real
 * server: which members, invitations and history events each query keeps, that paging
 * under a filter sees each match once in order, and that bad queries name their field.
 */

let ws: TestWorkspace;

beforeAll(async () => {
  ws = await startWorkspace();
  expect((await ws.call("PUT", wsPath("/roles/finance-admin"), { body: { permissions: ["access:manage", "billing:read"] } })).status).toBe(201);
  expect((await ws.call("PUT", wsPath("/roles/support"), { body: { permissions: ["logs:read"] } })).status).toBe(201);
  await ws.addMember("admin@acme.io", "account-admin");
  await ws.addMember("dev.one@acme.io", "developer");
  await ws.addMember("granted@eu.acme.io", "developer", ["access:manage"]);
  await ws.addMember("fin@acme.de", "finance-admin");
  await ws.addMember("Contractor@Agency.com", "support");
  await ws.addMember("look@notacme.io", "support");
  for (const [email, role] of [["inv.dev@acme.io", "developer"], ["inv.ext@gmail.com", "finance-admin"], ["inv.sup@acme.io", "support"]] as const) {
    expect((await ws.call("POST", wsPath("/invitations"), { body: { email, role } })).status).toBe(201);
  }
});
afterAll(async () => {
  await ws.close();
});

async function emails(path: string): Promise<string[]> {
  const answer = await ws.call("GET", wsPath(path));
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.items.map((i: { email: string }) => i.email);
}

describe("searching members", () => {
  it.each([
    ["q (substring, any case)", "q=ACME.", ["founder@acme.io", "admin@acme.io", "dev.one@acme.io", "granted@eu.acme.io", "fin@acme.de", "look@notacme.io"]],
    ["q in the local part", "q=dev", ["dev.one@acme.io"]],
    ["role", "role=support", ["contractor@agency.com", "look@notacme.io"]],
    ["admin=true: built-in role, extra grant, custom role", "admin=true", ["founder@acme.io", "admin@acme.io", "granted@eu.acme.io", "fin@acme.de"]],
    ["admin=false", "admin=false", ["dev.one@acme.io", "contractor@agency.com", "look@notacme.io"]],
    ["external: outside the domains and their subdomains", "external=acme.io", ["fin@acme.de", "contractor@agency.com", "look@notacme.io"]],
    ["external with several domains, spaced, upper case", "external=ACME.io,%20acme.de", ["contractor@agency.com", "look@notacme.io"]],
    ["filters combine", "admin=true&external=acme.io", ["fin@acme.de"]],
    ["q and role", "q=look&role=support", ["look@notacme.io"]],
    ["nothing matches", "q=nobody", []],
  ])("%s: %s", async (_name, query, expected) => {
    expect(await emails(`/members?${query}`)).toEqual(expected);
  });

  it("pages a filtered list with its cursor: each match once, in join order", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const answer = await ws.call("GET", wsPath(`/members?q=acme&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`));
      expect(answer.body.items.length).toBeLessThanOrEqual(2);
      expect(answer.body.total).toBe(6); // every match, whichever page
      seen.push(...answer.body.items.map((m: { email: string }) => m.email));
      cursor = answer.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["founder@acme.io", "admin@acme.io", "dev.one@acme.io", "granted@eu.acme.io", "fin@acme.de", "look@notacme.io"]);
  });

  it("a developer may search too (reads need membership only)", async () => {
    const { token } = await ws.addMember("reader@acme.io", "developer");
    const answer = await ws.call("GET", wsPath("/members?admin=true&external=acme.io"), { token });
    expect(answer.body.items.map((m: { email: string }) => m.email)).toEqual(["fin@acme.de"]);
  });
});

describe("sorting members", () => {
  async function all(query: string, limit: number): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const answer = await ws.call("GET", wsPath(`/members?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`));
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      seen.push(...answer.body.items.map((m: { email: string }) => m.email));
      cursor = answer.body.nextCursor;
    } while (cursor);
    return seen;
  }

  it.each([
    ["email ascending", "sort=email"],
    ["email descending", "sort=-email"],
    ["role, then join order", "sort=role"],
    ["role descending", "sort=-role"],
    ["joined", "sort=joined"],
    ["filtered and sorted", "sort=-email&external=acme.io"],
  ])("%s (%s): pages of 2 with the cursor give the whole list in order, each once", async (_name, query) => {
    const whole = (await ws.call("GET", wsPath(`/members?${query}`))).body.items as { email: string; role: string; joinedAt: string }[];
    const key = query.match(/sort=(-?)(\w+)/)!;
    const field = key[2] === "joined" ? "joinedAt" : (key[2] as "email" | "role");
    const sortedCopy = [...whole].sort((a, b) => (a[field] < b[field] ? -1 : a[field] > b[field] ? 1 : 0) * (key[1] ? -1 : 1));
    expect(whole.map((m) => m[field])).toEqual(sortedCopy.map((m) => m[field]));
    expect(await all(query, 2)).toEqual(whole.map((m) => m.email));
  });

  it.each([
    ["an unknown sort", "/members?sort=age", "sort", "type"],
    ["a plain cursor with a sort", "/members?sort=email&cursor=czox", "cursor", "bad_cursor"],
  ])("refuses %s", async (_name, path, field, reason) => {
    const answer = await ws.call("GET", wsPath(path));
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toMatchObject({ field, reason });
  });
});

describe("searching invitations and history", () => {
  it.each([
    ["q", "status=pending&q=inv.", ["inv.dev@acme.io", "inv.ext@gmail.com", "inv.sup@acme.io"]],
    ["role", "status=pending&role=support", ["inv.sup@acme.io"]],
    ["admin", "status=pending&admin=true", ["inv.ext@gmail.com"]],
    ["external", "status=pending&external=acme.io", ["inv.ext@gmail.com"]],
    ["with status", "status=pending&q=sup", ["inv.sup@acme.io"]],
  ])("invitations %s: %s", async (_name, query, expected) => {
    expect(await emails(`/invitations?${query}`)).toEqual(expected);
    expect((await ws.call("GET", wsPath(`/invitations?${query}&limit=1`))).body.total).toBe(expected.length);
  });

  it.each([
    ["target", "q=INV.SUP", [["invitation.created", "inv.sup@acme.io"]]],
    ["role name as target", "q=finance&action=role.created", [["role.created", "finance-admin"]]],
    ["actor", "q=fin@acme&action=invitation.accepted", [["invitation.accepted", "fin@acme.de"]]],
  ])("history q by %s: %s", async (_name, query, expected) => {
    const answer = await ws.call("GET", wsPath(`/audit?${query}`));
    expect(answer.status).toBe(200);
    expect(answer.body.items.map((e: { action: string; target: string }) => [e.action, e.target])).toEqual(expected);
  });
});

describe("bad search queries name their field and reason", () => {
  it.each([
    ["/members?q=", "q", "too_short"],
    [`/members?q=${"x".repeat(321)}`, "q", "too_long"],
    ["/members?role=nope", "role", "unknown_role"],
    ["/members?admin=yes", "admin", "type"],
    ["/members?external=", "external", "too_short"],
    ["/members?external=,", "external", "empty"],
    ["/members?external=not%20a%20domain", "external", "not_domain"],
    ["/invitations?role=nope", "role", "unknown_role"],
    ["/invitations?external=a..b", "external", "not_domain"],
    ["/audit?q=", "q", "too_short"],
    ["/members?expiresWithin=30", "expiresWithin", "bad_duration"],
    ["/members?expiresWithin=0d", "expiresWithin", "bad_duration"],
    ["/invitations?expiresWithin=99999d", "expiresWithin", "bad_duration"],
  ])("%s → 400 %s (%s)", async (path, field, reason) => {
    const answer = await ws.call("GET", wsPath(path));
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("validation_failed");
    expect(answer.body.error.details).toMatchObject({ field, reason });
    expect(answer.body.error.message.startsWith(`${field}: `)).toBe(true);
  });
});

describe("expiresWithin: whose access the workspace ends soon (time-bound access)", () => {
  const DAY = 86_400_000;
  beforeAll(async () => {
    const ends = async (email: string, days: number) => {
      const [member] = (await ws.call("GET", wsPath(`/members?q=${encodeURIComponent(email)}`))).body.items as { id: string }[];
      const answer = await ws.call("PATCH", wsPath(`/members/${member!.id}`), { body: { accessExpiresAt: new Date(Date.now() + days * DAY).toISOString() } });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    };
    await ends("dev.one@acme.io", 10);
    await ends("look@notacme.io", 60);
    await ends("contractor@agency.com", -1); // ended: listed until removed
    const invited = await ws.call("POST", wsPath("/invitations"), { body: { email: "inv.soon@acme.io", role: "developer", accessExpiresAt: new Date(Date.now() + 5 * DAY).toISOString() } });
    expect(invited.status).toBe(201);
  });

  it.each([
    ["members within 30 days, ended included", "/members?expiresWithin=30d", ["dev.one@acme.io", "contractor@agency.com"]],
    ["members within 90 days", "/members?expiresWithin=90d", ["dev.one@acme.io", "contractor@agency.com", "look@notacme.io"]],
    ["combined with external", "/members?expiresWithin=90d&external=acme.io", ["contractor@agency.com", "look@notacme.io"]],
    ["invitations within 7 days", "/invitations?status=pending&expiresWithin=7d", ["inv.soon@acme.io"]],
  ])("%s: %s", async (_name, path, expected) => {
    expect(await emails(path)).toEqual(expected);
  });
});
