import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedMembers } from "../../server/admin.js";
import { accessYaml, assertBuilt, runCli, startTestServer, writeAccessFile, type TestServer } from "./harness.js";

/**
 * Identities through the real CLI against the real server: an internationalised address
 * is accepted by the file and the server alike and `export` re-plans as no changes; a
 * legacy e-mail carrying terminal escape sequences (seeded into SQLite, since the server
 * now refuses it) is shown escaped in the text and Markdown plans, never raw.
 */

const OWNER = "founder@acme.io";
const HOSTILE = "y\u001b[s\u001b[1;1fowner-was-here\u001b[u@acme.io";

let server: TestServer;
beforeAll(async () => {
  assertBuilt();
  server = await startTestServer({ owner: OWNER });
  seedMembers(server.dbPath, { workspace: server.workspace, emails: [HOSTILE], role: "developer" });
});
afterAll(async () => {
  await server.close();
});

describe("identities through the CLI", () => {
  it("plans show a hostile legacy e-mail escaped; an IDN address applies and its export re-plans as no changes", async () => {
    const file = await writeAccessFile(
      server.dir,
      "access.yaml",
      accessYaml({ owner: OWNER, safety: ["maxRemovals: 5"], members: [{ email: "José@Bücher.de", role: "developer" }, { email: "ops@acme.io", role: "account-admin" }] }),
    );
    const text = await runCli(["plan", "-f", file], { env: server.env() });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).not.toContain("\u001b");
    expect(text.stdout).toContain("y\\u001b[s\\u001b[1;1fowner-was-here\\u001b[u@acme.io");
    expect(text.stdout).toContain("invite josé@xn--bcher-kva.de");
    expect(text.stdout.split("\n").slice(0, 2)).toEqual(["Token for acme-prod: ANTRYK_TOKEN.", expect.stringMatching(/^Workspace /)]);

    const md = await runCli(["plan", "-f", file, "--format", "markdown"], { env: server.env() });
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).not.toContain("\u001b");
    expect(md.stdout).toContain("`y\\u001b[s\\u001b[1;1fowner-was-here\\u001b[u@acme.io`");

    const apply = await runCli(["apply", "-f", file, "--auto-approve"], { env: server.env() });
    expect(apply.code, apply.stderr + apply.stdout).toBe(0);
    expect(apply.stdout + apply.stderr).not.toContain("\u001b");

    const exported = await runCli(["export", "--workspace", server.workspace], { env: server.env() });
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain("josé@xn--bcher-kva.de");
    const again = await runCli(["plan", "-f", await writeAccessFile(server.dir, "exported.yaml", exported.stdout), "--detailed-exitcode"], { env: server.env() });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain("No changes.");
  }, 60_000);
});
