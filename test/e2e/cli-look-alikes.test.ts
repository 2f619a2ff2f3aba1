import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedMembers } from "../../server/admin.js";
import { assertBuilt, runCli, startTestServer, type TestServer } from "./harness.js";

/**
 * Look-alike identities against the live workspace (UTS #39, schema/confusables.ts), through
 * the built CLI and the reference server: a file address that reads the same as a live member
 * or pending invitee the file does not name blocks the plan (the lookAlike rail), before the
 * server's 400 could; review warns of live addresses that mix scripts or read as another's.
 */

const OWNER = "founder@acme.io";
let server: TestServer;

// Greek ο in "bοb", Cyrillic а in "cаrol": each reads as a live person the file leaves out.
const FILE = `version: 1
workspace: acme-prod
owner: ${OWNER}
safety:
  maxRemovals: 10
members:
  - email: alice@acme.io
    role: developer
  - email: b\u03bfb@acme.io
    role: developer
  - email: c\u0430rol@acme.io
    role: developer
`;

beforeAll(async () => {
  assertBuilt();
  server = await startTestServer({ owner: OWNER });
  seedMembers(server.dbPath, { workspace: "acme-prod", emails: ["alice@acme.io", "bob@acme.io"], role: "developer" });
  // Two live people who read as one, from before the server refused such an invitation.
  seedMembers(server.dbPath, { workspace: "acme-prod", emails: ["dave@acme.io", "d\u0430ve@acme.io"], role: "developer" });
  await server.owner$.createInvitation("acme-prod", { email: "carol@acme.io", role: "developer" });
  await writeFile(join(server.dir, "look-alikes.yaml"), FILE);
});

afterAll(async () => {
  await server.close();
});

const cli = (args: string[]) => runCli(args, { env: server.env(), cwd: server.dir });

describe("a file address that reads as a live identity", () => {
  it("plan is blocked by the lookAlike rail, naming the entry, the live person and how they are there", async () => {
    const r = await cli(["plan", "-f", "look-alikes.yaml"]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const out = r.stdout + r.stderr;
    expect(r.stderr).toContain("the plan is blocked by 2 safety rails");
    expect(out).toContain("look-alikes.yaml:9:5 invites b\u03bfb@acme.io, which reads the same as bob@acme.io, a member of acme-prod");
    expect(out).toContain("look-alikes.yaml:11:5 invites c\u0430rol@acme.io, which reads the same as carol@acme.io, a pending invitee of acme-prod");
    expect(r.stderr).toContain("look-alikes.yaml:9:12 warning mixed-script-email");
  });

  it("the plan's JSON carries the rail, and apply changes nothing", async () => {
    const plan = await cli(["plan", "-f", "look-alikes.yaml", "--format", "json"]);
    const rails = (JSON.parse(plan.stdout) as { violations: { rail: string }[] }).violations.map((v) => v.rail);
    expect(rails.filter((rail) => rail === "lookAlike")).toHaveLength(2);
    const apply = await cli(["apply", "-f", "look-alikes.yaml", "--auto-approve"]);
    expect(apply.code).toBe(1);
    const pending = await server.owner$.listInvitations("acme-prod", { status: "pending" });
    expect(pending.map((i) => i.email)).toEqual(["carol@acme.io"]);
  });
});

describe("review of a live workspace holding look-alikes", () => {
  it("warns on stderr and lists them in the report, under validate's codes", async () => {
    const md = await cli(["review", "--workspace", "acme-prod"]);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stderr).toContain('warning mixed-script-email d\u0430ve@acme.io mixes scripts (Cyrillic, Latin) before "@"');
    expect(md.stderr).toContain("warning look-alike-email d\u0430ve@acme.io reads the same as dave@acme.io, also in the workspace");
    expect(md.stdout).toContain("#### Look-alike addresses (UTS #39)");
    expect(md.stdout).toContain("- **warning** `look-alike-email` `d\u0430ve@acme.io` reads the same as `dave@acme.io`");
    const json = await cli(["review", "--workspace", "acme-prod", "--format", "json"]);
    const { lookAlikes } = JSON.parse(json.stdout) as { lookAlikes: { code: string; email: string; other?: string }[] };
    expect(lookAlikes.map((w) => [w.code, w.email, w.other])).toEqual([
      ["mixed-script-email", "d\u0430ve@acme.io", undefined],
      ["look-alike-email", "d\u0430ve@acme.io", "dave@acme.io"],
    ]);
  });
});
