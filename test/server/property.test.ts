import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERMISSION_IDS } from "../../schema/catalog.js";
import { startWorkspace, wsPath, type TestWorkspace } from "./harness.js";

/**
 * Property: whatever is thrown at the server — random and malformed bodies, headers,
 * paths and methods on every route — it never answers 5xx (faults off), and a
 * rejected request (4xx) leaves the database exactly as it was.
 */

/** SEED is fixed so that npm test is reproducible; SERVER_PROPERTY_SEED explores another sequence. */
const SEED = Number(process.env.SERVER_PROPERTY_SEED ?? 20270101);

let ws: TestWorkspace;
let devToken: string;
let ids: { member: string; invitation: string };

beforeAll(async () => {
  ws = await startWorkspace();
  await ws.call("PUT", wsPath("/roles/viewer"), { body: { permissions: ["logs:read"] } });
  const dev = await ws.addMember("dev@acme.io", "developer");
  devToken = dev.token;
  const invitation = await ws.call("POST", wsPath("/invitations"), { body: { email: "inv@acme.io", role: "viewer" } });
  ids = { member: dev.member.id, invitation: invitation.body.id };
});
afterAll(async () => {
  await ws.close();
});

const printable = (max: number) => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${max}}$`));
const segment = fc.oneof(
  fc.constantFrom("acme", "other", "viewer", "developer", "owner", "x", "%00", "%2F", "..", "%E2%9C%93", "a".repeat(300)),
  fc.stringMatching(/^[A-Za-z0-9._~-]{1,20}$/),
);

const pathArb = fc.oneof(
  fc.constantFrom(
    wsPath(),
    wsPath("/me"),
    wsPath("/permissions"),
    wsPath("/members"),
    wsPath("/invitations"),
    wsPath("/roles"),
    wsPath("/audit"),
    "/v1/invitations/accept",
    wsPath("/dev/outbox"),
  ),
  fc.constantFrom("/members/", "/invitations/", "/roles/").chain((kind) =>
    fc.oneof(fc.constant("MEMBER"), fc.constant("INVITATION"), segment).map((id) => wsPath(`${kind}${id}`)),
  ),
  fc.constantFrom("/resend", "/revoke").chain((action) => fc.oneof(fc.constant("INVITATION"), segment).map((id) => wsPath(`/invitations/${id}${action}`))),
  fc.array(segment, { minLength: 1, maxLength: 5 }).map((segments) => `/v1/${segments.join("/")}`),
  fc.tuple(segment, segment).map(([ws, rest]) => `/v1/workspaces/${ws}/${rest}`),
);

const queryArb = fc.oneof(
  fc.constant(""),
  fc
    .array(
      fc.tuple(fc.constantFrom("limit", "cursor", "status", "actor", "target", "action", "x"), fc.oneof(printable(12), fc.constantFrom("0", "1", "1000", "1001", "-1", "1e3", "Infinity", "1e309", "-1e309", "-0", "0x10", "1.5", "pending,expired", "czox"))),
      { maxLength: 3 },
    )
    .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&")}`),
);

const valueArb = fc.oneof(
  fc.constantFrom("dev@acme.io", "new@acme.io", " New@Acme.io ", "not-an-email", "", "owner", "developer", "account-admin", "viewer", "aki_x"),
  fc.constantFrom(...PERMISSION_IDS).map((p) => [p]),
  fc.array(fc.constantFrom(...PERMISSION_IDS, "nope:x"), { maxLength: 4 }),
  fc.jsonValue({ maxDepth: 2 }),
);

const bodyArb = fc.oneof(
  fc.constant<string | undefined>(undefined),
  fc.record({ email: valueArb, role: valueArb, permissions: valueArb, description: valueArb, token: valueArb, extra: valueArb }, { requiredKeys: [] }).map((b) => JSON.stringify(b)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  printable(60),
  fc.constantFrom("{", "[", "null", '{"email":', "\u0000", "{}".repeat(3)),
);

const headersArb = fc.record(
  {
    authorization: fc.oneof(fc.constantFrom("OWNER", "DEV", "Bearer ", "Bearer ak_", "Basic abc"), printable(60)),
    "if-match": fc.oneof(fc.constantFrom('"1"', '"2"', "*", "W/\"1\"", ""), printable(10)),
    "idempotency-key": fc.oneof(fc.constantFrom("k1", "k2", " ", ""), printable(20)),
    "content-type": fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-8", "nonsense"),
  },
  { requiredKeys: [] },
);

const requestArb = fc.record({
  method: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"),
  path: pathArb,
  query: queryArb,
  headers: headersArb,
  body: bodyArb,
});

describe("property: malformed requests", () => {
  it("never answer 5xx, and a rejected request changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(requestArb, async (r) => {
        const path = r.path.replace("MEMBER", ids.member).replace("INVITATION", ids.invitation) + r.query;
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(r.headers)) {
          if (value === undefined) continue;
          headers[name] = name === "authorization" && value === "OWNER" ? `Bearer ${ws.ownerToken}` : name === "authorization" && value === "DEV" ? `Bearer ${devToken}` : value;
        }
        const body = r.method === "GET" || r.method === "OPTIONS" ? undefined : r.body;
        const before = ws.dump();
        const res = await fetch(ws.url + path, { method: r.method, headers, body });
        const text = await res.text();
        expect(res.status, `${r.method} ${path} → ${res.status} ${text}`).toBeLessThan(500);
        if (res.status >= 400) {
          expect(JSON.parse(text).error.code, text).toMatch(/^[a-z_]+$/);
          expect(ws.dump(), `${r.method} ${path} → ${res.status} changed the database`).toBe(before);
        }
        if (r.method === "GET") expect(ws.dump()).toBe(before);
      }),
      { numRuns: 400, seed: SEED },
    );
  });
});
