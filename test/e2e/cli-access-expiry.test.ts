import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessYaml, assertBuilt, recorder, runCli, startTestServer, writeAccessFile, type TestServer } from "./harness.js";

/**
 * Time-bound access end to end (docs/api.md, "Time-bound access"): the CLI sends the file's
 * `expires` as `accessExpiresAt`; once the server's injected clock passes it — while the CLI's
 * own clock still reads the entry as current — the member's token is refused (401
 * `access_expired`), the member reads as `status: expired`, and the next plan removes it.
 */

const DAY = 24 * 60 * 60 * 1000;
const OWNER = "founder@acme.io";
const EVE = "eve@contractor.dev";

let server: TestServer;
let file: string;
/** tomorrow is the UTC date after today on the real clock; its end is two days away at most. */
const tomorrow = new Date(Date.now() + DAY).toISOString().slice(0, 10);
const endOfTomorrow = new Date(Date.parse(`${tomorrow}T00:00:00Z`) + DAY).toISOString();

beforeAll(async () => {
  assertBuilt();
  server = await startTestServer({ owner: OWNER });
  file = await writeAccessFile(
    server.dir,
    "access.yaml",
    accessYaml({ owner: OWNER, mode: "additive", safety: ["maxRemovals: 5"], members: [{ email: EVE, role: "developer", expires: tomorrow }] }),
  );
});

afterAll(async () => {
  expect(await recorder.leaks()).toEqual([]);
  await server.close();
});

describe("time-bound access through the CLI", () => {
  it("apply sends expires as accessExpiresAt, which the invitation passes to the member", async () => {
    const plan = await runCli(["plan", "-f", file], { env: server.env() });
    expect(plan.code, plan.stderr + plan.stdout).toBe(0);
    expect(plan.stdout).toContain(`${EVE} as developer, until ${tomorrow}`);
    const applied = await runCli(["apply", "-f", file, "--auto-approve"], { env: server.env() });
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    const [invitation] = await server.owner$.listInvitations(server.workspace, { status: "pending" });
    expect(invitation).toMatchObject({ email: EVE, accessExpiresAt: endOfTomorrow });
    const member = await server.acceptFromOutbox(EVE);
    expect(member).toMatchObject({ status: "active", accessExpiresAt: endOfTomorrow });
    const again = await runCli(["plan", "-f", file, "--format", "json"], { env: server.env() });
    expect(JSON.parse(again.stdout).changes).toEqual([]);
  });

  it("past it on the server's clock, the member's token is refused and the member reads expired", async () => {
    const token = server.tokenFor(EVE);
    const me = `/v1/workspaces/${server.workspace}/me`;
    expect((await server.request("GET", me, { token })).status).toBe(200);
    server.clock.advance(3 * DAY);
    const refused = await server.request("GET", me, { token });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("access_expired");
    const members = await server.owner$.listMembers(server.workspace);
    expect(members.find((m) => m.email === EVE)).toMatchObject({ status: "expired", accessExpiresAt: endOfTomorrow });
  });

  it("the next plan removes the expired member, though the file still names it (in additive mode) and the CLI's clock reads the entry as current", async () => {
    const plan = await runCli(["plan", "-f", file, "--format", "json"], { env: server.env() });
    expect(plan.code, plan.stderr + plan.stdout).toBe(0);
    const changes = (JSON.parse(plan.stdout) as { changes: { kind: string; email: string; reason: string }[] }).changes;
    expect(changes).toEqual([expect.objectContaining({ kind: "removeMember", email: EVE, reason: `access ended ${tomorrow} (the server refuses its tokens)` })]);
    const text = await runCli(["plan", "-f", file], { env: server.env() });
    expect(text.stdout).toContain(`access ended ${tomorrow} (the server refuses its tokens)`);
  });
});
