import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessYaml, assertBuilt, auditCount, recorder, runCli, startTestServer, writeAccessFile, type TestServer } from "./harness.js";

/**
 * Expired invitations through the CLI: the server's clock is injected (no sleeping),
 * invitations expire when it moves past their time to live, apply resends them, and
 * once `maxResends` is reached the plan warns instead of resending.
 */

const DAY = 24 * 60 * 60 * 1000;
const TTL = 7 * DAY;
const OWNER = "founder@acme.io";

let server: TestServer;
let file: string;

interface JsonPlan {
  changes: { kind: string; email: string; sendCount?: number }[];
  warnings: { code: string; message: string; email?: string }[];
}

const planJson = async (): Promise<JsonPlan> => {
  const r = await runCli(["plan", "-f", file, "--format", "json"], { env: server.env() });
  expect(r.code, r.stderr + r.stdout).toBe(0);
  return JSON.parse(r.stdout) as JsonPlan;
};

beforeAll(async () => {
  assertBuilt();
  server = await startTestServer({ owner: OWNER, invitationTtlMs: TTL });
  file = await writeAccessFile(
    server.dir,
    "access.yaml",
    accessYaml({
      owner: OWNER,
      invitations: ["resendExpired: true", "maxResends: 1"],
      members: [
        { email: "late@acme.io", role: "developer" },
        { email: "later@acme.io", role: "account-admin" },
      ],
    }),
  );
  expect((await runCli(["apply", "-f", file, "--auto-approve"], { env: server.env() })).code).toBe(0);
});

afterAll(async () => {
  expect(await recorder.leaks()).toEqual([]);
  await server.close();
});

describe("expired invitations", () => {
  it("a pending invitation within its time to live is done", async () => {
    expect((await planJson()).changes).toEqual([]);
  });

  it("once expired, it is resent: a new expiry and sendCount 2, no new invitation", async () => {
    server.clock.advance(TTL + DAY);
    const expired = await server.owner$.listInvitations(server.workspace, { status: "expired" });
    expect(expired.map((i) => i.email).sort()).toEqual(["late@acme.io", "later@acme.io"]);
    const plan = await planJson();
    expect(plan.changes.map((c) => [c.kind, c.email]).sort()).toEqual([
      ["resendInvitation", "late@acme.io"],
      ["resendInvitation", "later@acme.io"],
    ]);
    const r = await runCli(["apply", "-f", file, "--auto-approve"], { env: server.env() });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const pending = await server.owner$.listInvitations(server.workspace, { status: "pending" });
    expect(pending.map((i) => [i.email, i.sendCount]).sort()).toEqual([
      ["late@acme.io", 2],
      ["later@acme.io", 2],
    ]);
    expect(pending.every((i) => Date.parse(i.expiresAt) > server.clock.now().getTime())).toBe(true);
    expect(await server.owner$.listInvitations(server.workspace)).toHaveLength(2);
  });

  it("after maxResends it warns instead of resending, and apply changes nothing", async () => {
    server.clock.advance(TTL + DAY);
    const plan = await planJson();
    expect(plan.changes).toEqual([]);
    expect(plan.warnings.map((w) => w.email).sort()).toEqual(["late@acme.io", "later@acme.io"]);
    const text = await runCli(["plan", "-f", file], { env: server.env() });
    expect(text.stdout).toContain("Warnings:");
    const before = await auditCount(server);
    const r = await runCli(["apply", "-f", file, "--auto-approve"], { env: server.env() });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(await auditCount(server)).toBe(before);
  });
});
