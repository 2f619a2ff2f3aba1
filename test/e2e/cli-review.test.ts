import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_VERSION } from "../../client/version.js";
import { REVIEW_CSV_COLUMNS } from "../../reconciler/review/index.js";
import { startWorkspace, testClock, WORKSPACE, wsPath, type TestClock, type TestWorkspace } from "../server/harness.js";
import { expectGolden } from "../reconciler/golden.js";
import { assertBuilt, runCli } from "./harness.js";

/**
 * History in context on a real server with a fixed clock: the CLI applies access.yaml, then
 * people change the workspace by hand as the dashboard and plain API callers do; `plan`
 * names who set each live value and through what, a saved plan carrying liveSince still
 * applies, `review` renders the workspace in three formats (goldens), and a plan with no
 * changes reads no history at all.
 */

const ACCESS_YAML = `version: 1
workspace: ${WORKSPACE}
owner: founder@acme.io
safety:
  maxRemovals: 100%
groups:
  backend:
    role: developer
    members: [bob@acme.io, dan@acme.io]
members:
  - email: alice@acme.io
    role: account-admin
  - email: eve@contractor.dev
    role: developer
    permissions: [domains:manage]
    expires: 2026-12-15
  - email: pat@acme.io
    role: developer
`;

let ws: TestWorkspace;
let clock: TestClock;
const auditReads: string[] = [];

const env = () => ({ ANTRYK_API_URL: ws.url, ANTRYK_TOKEN: ws.ownerToken });
const cli = (args: string[]) => runCli(args, { env: env(), cwd: ws.dir });
/** scrub replaces what differs between runs (random ids, the port) so goldens compare. */
const scrub = (text: string) =>
  text
    .replace(/\b(mem|inv|evt|req)_[0-9a-f]{24}\b/g, "$1_…")
    .replace(/http:\/\/127\.0\.0\.1:\d+/g, "http://127.0.0.1:PORT")
    .split(PACKAGE_VERSION)
    .join("X.Y.Z");

async function dashboard(token: string, method: string, path: string, body: unknown, ifMatch?: number) {
  const answer = await ws.call(method, wsPath(path), { token, body, headers: { "x-antryk-client": "dashboard", ...(ifMatch !== undefined ? { "if-match": `"${ifMatch}"` } : {}) } });
  expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
  return answer.body;
}

async function member(email: string) {
  return (await ws.call("GET", wsPath("/members?limit=1000"))).body.items.find((m: any) => m.email === email);
}

beforeAll(async () => {
  assertBuilt();
  clock = testClock("2026-11-01T09:00:00.000Z");
  ws = await startWorkspace({ clock });
  ws.server.app.server.on("request", (req) => {
    if (req.url?.includes("/audit")) auditReads.push(req.url);
  });
  await writeFile(join(ws.dir, "access.yaml"), ACCESS_YAML);
  const applied = await cli(["apply", "-f", "access.yaml", "--auto-approve"]);
  expect(applied.code, applied.stderr).toBe(0);
  // Everybody but pat accepts.
  for (const m of await ws.outbox()) {
    if (m.email === "pat@acme.io") continue;
    expect((await ws.call("POST", "/v1/invitations/accept", { token: null, body: { token: m.token } })).status).toBe(201);
  }
  // By hand, weeks later: alice promotes bob in the dashboard; the owner invites a walk-in there too; dan gets billing:read through the plain API.
  clock.set("2026-11-29T10:02:00.000Z");
  const bob = await member("bob@acme.io");
  await dashboard(ws.tokenFor("alice@acme.io"), "PATCH", `/members/${bob.id}`, { role: "account-admin" }, bob.version);
  await dashboard(ws.ownerToken, "POST", "/invitations", { email: "walk-in@gmail.com", role: "developer" });
  clock.set("2026-11-29T15:30:00.000Z");
  const dan = await member("dan@acme.io");
  expect((await ws.call("PATCH", wsPath(`/members/${dan.id}`), { body: { permissions: ["billing:read"] }, headers: { "if-match": `"${dan.version}"` } })).status).toBe(200);
  clock.set("2026-11-30T08:00:00.000Z");
}, 120_000);
afterAll(async () => {
  await ws?.close();
});

describe("review", () => {
  const REVIEW = ["review", "-f", "access.yaml", "--internal-domain", "acme.io", "--inactive-after", "14", "--as-of", "2026-11-30T09:00:00Z"];

  it("Markdown (default) at a fixed clock", async () => {
    const r = await cli(REVIEW);
    expect(r.code, r.stderr).toBe(0);
    expectGolden("review.md", scrub(r.stdout));
    expect(r.stdout.length).toBeLessThanOrEqual(60_000);
  });

  it("JSON at a fixed clock", async () => {
    const r = await cli([...REVIEW, "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    expectGolden("review.json", scrub(r.stdout));
    const review = JSON.parse(r.stdout);
    expect(review.formatVersion).toBe(1);
    expect(review.summary).toMatchObject({ people: 7, active: 5, pending: 1, expired: 1, admins: 3, highRisk: 4, outside: 2, expiring: 1, stale: 1, inactive: 3, notInFile: 1, drift: 4 });
    // the server's activity: alice worked in the dashboard, the owner through antryk-access (this very review); nobody else used their access
    expect(review.inactive.map((p: any) => [p.email, p.inactiveDays, p.inFile?.line])).toEqual([["bob@acme.io", 29, 9], ["dan@acme.io", 29, 9], ["eve@contractor.dev", 29, 13]]);
    expect(review.people.find((p: any) => p.email === "alice@acme.io")).toMatchObject({ lastActiveAt: "2026-11-29T10:02:00.000Z", lastActiveVia: "dashboard", inactiveDays: 0 });
  });

  it("CSV at a fixed clock, parsed back by a CSV library", async () => {
    const out = join(ws.dir, "review.csv");
    const r = await cli([...REVIEW, "--format", "csv", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const text = await readFile(out, "utf8");
    expectGolden("review.csv", scrub(text));
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(REVIEW_CSV_COLUMNS.map((c) => c.name));
    const byEmail = Object.fromEntries(rows.map((row) => [row.email, row]));
    expect(Object.keys(byEmail).sort()).toEqual(["alice@acme.io", "bob@acme.io", "dan@acme.io", "eve@contractor.dev", "founder@acme.io", "pat@acme.io", "walk-in@gmail.com"]);
    expect(byEmail["bob@acme.io"]).toMatchObject({ role: "account-admin", admin: "yes", in_access_yaml: "access.yaml:9 (group backend)", group: "backend", last_change_by: "alice@acme.io", last_change_client: "dashboard" });
    expect(byEmail["walk-in@gmail.com"]).toMatchObject({ status: "pending", in_access_yaml: "no", internal: "no", last_change_client: "dashboard" });
    expect(byEmail["eve@contractor.dev"]).toMatchObject({ expires: "2026-12-15", days_left: "15", internal: "no", last_change_action: "invitation.accepted" });
    // pat never accepted: the invitation expired after its 7 days, and is stale after 14.
    expect(byEmail["pat@acme.io"]).toMatchObject({ status: "expired", stale_invitation: "yes", last_change_client: "antryk-access" });
    expect(byEmail["dan@acme.io"]).toMatchObject({ high_risk_permissions: "billing:read", last_change_client: "api", last_active_at: "", inactive_days: "29", inactive: "yes" });
    expect(byEmail["alice@acme.io"]).toMatchObject({ last_active_at: "2026-11-29T10:02:00.000Z", last_active_via: "dashboard", inactive: "no" });
  });

  it("without -f reviews the named workspace and leaves the file-based parts out", async () => {
    const r = await cli(["review", "--workspace", WORKSPACE, "--format", "json", "--as-of", "2026-11-30T09:00:00Z"]);
    expect(r.code, r.stderr).toBe(0);
    const review = JSON.parse(r.stdout);
    expect(review).toMatchObject({ accessFile: null, drift: null, expiring: null, outside: null });
    expect(review.summary.notInFile).toBeNull();
    expect(review.people.every((p: any) => !("inFile" in p))).toBe(true);
  });
});

describe("plan and apply with history", () => {
  it("a plan names who set each live value, through what client; a saved plan carrying liveSince applies", async () => {
    const planned = await cli(["plan", "-f", "access.yaml", "--format", "json", "--out", "plan.json"]);
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(planned.stdout);
    const since = Object.fromEntries(plan.changes.map((c: any) => [c.key, c.liveSince]));
    expect(Object.keys(since).sort()).toEqual([
      "resendInvitation:pat@acme.io",
      "revokeInvitation:walk-in@gmail.com",
      "updateMember:bob@acme.io",
      "updateMember:dan@acme.io",
    ]);
    expect(since["resendInvitation:pat@acme.io"]).toMatchObject({ action: "invitation.created", actor: "founder@acme.io", client: "antryk-access" });
    expect(since["updateMember:bob@acme.io"]).toMatchObject({ action: "member.updated", actor: "alice@acme.io", client: "dashboard", at: "2026-11-29T10:02:00.000Z" });
    expect(since["revokeInvitation:walk-in@gmail.com"]).toMatchObject({ action: "invitation.created", actor: "founder@acme.io", client: "dashboard" });
    expect(since["updateMember:dan@acme.io"]).toMatchObject({ action: "member.updated", actor: "founder@acme.io", client: "api", at: "2026-11-29T15:30:00.000Z" });

    const text = await cli(["plan", "-f", "access.yaml"]);
    expect(text.stdout).toContain("update bob@acme.io: account-admin → developer");
    expect(text.stdout).toContain("live since: changed by alice@acme.io in the dashboard, 2026-11-29 10:02 UTC");
    const markdown = await cli(["plan", "-f", "access.yaml", "--format", "markdown"]);
    expect(markdown.stdout).toContain("- `bob@acme.io` (update): changed by `alice@acme.io` in the dashboard, 2026-11-29 10:02 UTC (request `req_");

    const saved = JSON.parse(await readFile(join(ws.dir, "plan.json"), "utf8"));
    expect(saved.changes.every((c: any) => c.liveSince && c.liveSince.eventId)).toBe(true);
    const applied = await cli(["apply", "plan.json", "--auto-approve"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain("live since: changed by alice@acme.io in the dashboard");
    expect((await member("bob@acme.io")).role).toBe("developer");
    // The CLI's own change is now what bob's access was set by.
    const events = (await ws.call("GET", wsPath("/audit?target=bob%40acme.io"))).body.items;
    expect(events[0]).toMatchObject({ action: "member.updated", client: "antryk-access" });
  });

  it("a plan with no changes reads no history at all", async () => {
    auditReads.length = 0;
    const r = await cli(["plan", "-f", "access.yaml", "--detailed-exitcode"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("No changes.");
    expect(auditReads).toEqual([]);
  });
});
