import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { assertBuilt, runCli, startTestServer, writeAccessFile, type TestServer } from "./harness.js";

/**
 * Policies through the real CLI against the real reference server, as a pull request
 * meets them: main holds `no-external-admins`; a change making a contractor an admin is
 * reported by validate at the person's entry, blocked at plan (text, Markdown, JSON, a
 * saved plan), and blocked at apply (from the file, from the saved plan, and from a saved
 * plan edited to drop its violations); the workspace never changes.
 */

const OWNER = "founder@acme.io";
const SLOW = 120_000;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const POLICIES = [
  "policies:",
  "  - name: no-external-admins",
  "    description: Use Admin roles only for trusted operators",
  "    match: { emailDomainNot: [acme.io] }",
  "    deny: { permissions: [access:manage, billing:read, settings:manage] }",
  "  - name: few-admins",
  "    severity: warning",
  "    limit: { permission: access:manage, max: 2 }",
];

/** fileOf is the workspace's access.yaml with eve holding `eveRole`. */
function fileOf(eveRole: string): string {
  return [
    "version: 1",
    "workspace: acme-prod",
    `owner: ${OWNER}`,
    "safety:",
    "  maxRemovals: 100%",
    "members:",
    "  - email: ops@acme.io",
    "    role: account-admin",
    "  - email: eve@contractor.dev",
    `    role: ${eveRole}`,
    ...POLICIES,
    "",
  ].join("\n");
}

describe("a pull request that makes a contractor an admin", () => {
  it(
    "is reported by validate at eve's entry, blocked at plan and at apply (from the file, a saved plan, an edited saved plan); nothing changes",
    async () => {
      assertBuilt();
      server = await startTestServer({ owner: OWNER });
      const s = server;
      const cli = (args: string[]) => runCli(args, { env: s.env(), cwd: s.dir });

      // main: eve is a developer; the policies hold; apply converges.
      const main = await writeAccessFile(s.dir, "access.yaml", fileOf("developer"));
      const applied = await cli(["apply", "-f", main, "--auto-approve"]);
      expect(applied.code, applied.stdout + applied.stderr).toBe(0);
      expect(applied.stdout).toContain("Policies: 2 policies checked: all hold after this plan.");
      const again = await cli(["plan", "-f", main, "--detailed-exitcode"]);
      expect(again.code, again.stdout + again.stderr).toBe(0);

      // The pull request: eve becomes an account-admin.
      await writeFile(main, fileOf("account-admin"));
      const validated = await cli(["validate", "-f", main]);
      expect(validated.code).toBe(1);
      expect(validated.stdout).toContain(`${main}:9:5 error policy:no-external-admins eve@contractor.dev holds access:manage, billing:read, settings:manage, which this policy denies`);
      expect(validated.stdout).toMatch(/warning policy:few-admins 3 people hold access:manage/);

      const saved = join(s.dir, "plan.json");
      const planned = await cli(["plan", "-f", main, "--out", saved]);
      expect(planned.code).toBe(1);
      expect(planned.stdout).toContain("✗ error policy:no-external-admins eve@contractor.dev holds access:manage, billing:read, settings:manage, which this policy denies (new with this plan)");
      expect(planned.stdout).toContain("policy:no-external-admins: eve@contractor.dev holds access:manage");
      expect(planned.stdout).toContain(`override: change the entry of eve@contractor.dev in ${main}, or change policy no-external-admins`);
      expect(planned.stderr).toContain("blocked");

      const markdown = await cli(["plan", "-f", main, "--format", "markdown"]);
      expect(markdown.code).toBe(1);
      const md = markdown.stdout;
      expect(md.indexOf("#### Policy")).toBeGreaterThan(-1);
      expect(md.indexOf("#### Policy")).toBeLessThan(md.indexOf("#### Review first"));
      expect(md).toContain("- **`policy:no-external-admins`**: `eve@contractor.dev` holds");

      const json = JSON.parse((await cli(["plan", "-f", main, "--format", "json"])).stdout) as { policies: { findings: { policy: string; status: string }[] }; violations: { rail: string }[] };
      expect(json.violations.map((v) => v.rail)).toEqual(["policy:no-external-admins"]);
      expect(json.policies.findings.map((f) => [f.policy, f.status])).toEqual([
        ["no-external-admins", "new"],
        ["few-admins", "new"],
      ]);

      const direct = await cli(["apply", "-f", main, "--auto-approve"]);
      expect(direct.code).toBe(1);
      expect(direct.stderr).toContain("policy:no-external-admins");

      const fromSaved = await cli(["apply", saved, "--auto-approve"]);
      expect(fromSaved.code).toBe(1);
      expect(fromSaved.stderr).toContain("policy:no-external-admins");

      // A saved plan edited to look clean is re-judged: its violations and policy section are never trusted.
      const edited = JSON.parse(await readFile(saved, "utf8")) as Record<string, unknown>;
      edited.violations = [];
      delete edited.policies;
      await writeFile(saved, JSON.stringify(edited));
      const fromEdited = await cli(["apply", saved, "--auto-approve"]);
      expect(fromEdited.code).toBe(1);
      expect(fromEdited.stderr).toContain("policy:no-external-admins");

      const members = await s.owner$.listMembers(s.workspace);
      const invitations = await s.owner$.listInvitations(s.workspace, { status: "pending" });
      expect([...members, ...invitations].find((m) => m.email === "eve@contractor.dev")?.role).toBe("developer");
    },
    SLOW,
  );
});
