import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initWorkspace } from "../../server/index.js";
import { assertBuilt, recorder, runCli, startTestServer, type TestServer } from "./harness.js";

/**
 * A library of shared policies imported by two workspaces, through the real CLI against
 * the real reference server holding both: validate judges each workspace's people by the
 * library's policies (findings at the person's entry in the workspace file; the policy's
 * place in the library), a plan of the workspace that breaks one is blocked and names the
 * library's policy as what else to change, the other workspace plans and applies, and a
 * workspace defining a policy the library already defines is told both places.
 */

const OWNER = "founder@acme.io";
let server: TestServer;
let tokens: Record<string, string>;
let access: string;

const LIBRARY = `version: 1
kind: library
policies:
  - name: no-external-admins
    description: Use Admin roles only for trusted operators
    match: { emailDomainNot: [acme.io] }
    deny: { permissions: [access:manage, billing:read, settings:manage] }
  - name: few-admins
    severity: warning
    limit: { permission: access:manage, max: 2 }
`;

const workspaceFile = (workspace: string, eveRole: string, extra = "") => `version: 1
workspace: ${workspace}
owner: ${OWNER}
imports: [shared/policies.yaml]
safety:
  maxRemovals: 100%
members:
  - email: ops@acme.io
    role: account-admin
  - email: eve@contractor.dev
    role: ${eveRole}
${extra}`;

const cli = (args: string[], workspace?: string) =>
  runCli(args, { env: { ANTRYK_API_URL: server.url, ...(workspace ? { ANTRYK_TOKEN: tokens[workspace]! } : {}) }, cwd: server.dir });

beforeAll(async () => {
  assertBuilt();
  server = await startTestServer({ workspace: "acme-prod", owner: OWNER });
  tokens = { "acme-prod": server.ownerToken, "acme-staging": await initWorkspace(server.dbPath, { workspace: "acme-staging", owner: OWNER }) };
  recorder.secrets.add(tokens["acme-staging"]!);
  access = join(server.dir, "access");
  await mkdir(join(access, "shared"), { recursive: true });
  await writeFile(join(access, "shared/policies.yaml"), LIBRARY);
  await writeFile(join(access, "prod.yaml"), workspaceFile("acme-prod", "developer"));
  await writeFile(join(access, "staging.yaml"), workspaceFile("acme-staging", "account-admin"));
});
afterAll(async () => {
  await server?.close();
});

describe("a library of shared policies imported by two workspaces", () => {
  it("validate judges each workspace by the library's policies, at the person's entry in that workspace's file", async () => {
    const r = await cli(["validate", "-f", "access"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("access/staging.yaml:10:5 error policy:no-external-admins eve@contractor.dev holds access:manage, billing:read, settings:manage, which this policy denies");
    expect(r.stdout).toContain("access/shared/policies.yaml:8:5 warning policy:few-admins 3 people hold access:manage (founder@acme.io, ops@acme.io, eve@contractor.dev)");
    expect(r.stdout).not.toMatch(/access\/prod\.yaml:\d+:\d+ error/);
    expect(r.stdout).toContain("access/prod.yaml: valid");
    expect(r.stdout).toContain("access/staging.yaml: invalid");
  }, 60_000);

  it("the workspace that keeps the policy plans and applies; the one that breaks it is blocked, naming the library's policy", async () => {
    const prod = await cli(["apply", "-f", "access/prod.yaml", "--auto-approve"], "acme-prod");
    expect(prod.code, prod.stdout + prod.stderr).toBe(0);
    expect(prod.stdout).toContain("Policies: 2 policies checked: all hold after this plan.");

    const staging = await cli(["plan", "-f", "access/staging.yaml"], "acme-staging");
    expect(staging.code).toBe(1);
    expect(staging.stdout).toContain("policy:no-external-admins: eve@contractor.dev holds access:manage, billing:read, settings:manage, which this policy denies");
    expect(staging.stdout).toContain("override: change the entry of eve@contractor.dev in access/staging.yaml, or change policy no-external-admins (access/shared/policies.yaml:4)");
    const applied = await cli(["apply", "-f", "access/staging.yaml", "--auto-approve"], "acme-staging");
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain("policy:no-external-admins");
  }, 120_000);

  it("a workspace defining a policy the library defines is told both places", async () => {
    await writeFile(join(access, "prod.yaml"), workspaceFile("acme-prod", "developer", "policies:\n  - name: few-admins\n    limit: { permission: access:manage, max: 9 }\n"));
    const r = await cli(["validate", "-f", "access/prod.yaml"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'access/prod.yaml:13:11 error duplicate-definition policy "few-admins" is defined twice: at access/prod.yaml:13:11 and at access/shared/policies.yaml:8:11; keep one definition',
    );
  }, 60_000);
});
