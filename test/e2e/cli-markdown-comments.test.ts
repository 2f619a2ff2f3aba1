import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedMembers } from "../../server/admin.js";
import { initWorkspace } from "../../server/index.js";
import { md } from "../reconciler/gfm.js";
import { assertBuilt, recorder, runCli, startTestServer, type TestServer } from "./harness.js";

/**
 * `plan --format markdown` names every loss of access however many there are: a custom role
 * held by 600 people loses access:manage and logs:read, which does not fit in one comment of
 * 60,000 characters; the plan continues in further comments, each marked
 * `<!-- antryk-access comment N/M -->`, and `--out FILE` writes comment N to FILE.N.ext.
 * Rendered through a GFM renderer, every holder is named.
 */

const OWNER = "founder@acme.io";
const HOLDERS = Array.from({ length: 600 }, (_, i) => `holder-${String(i).padStart(3, "0")}@example-corporation.io`);
let server: TestServer;

beforeAll(async () => {
  assertBuilt();
  server = await startTestServer({ workspace: "acme-prod", owner: OWNER });
  await server.owner$.putRole("acme-prod", "ops-lead", { description: "Operations leads", permissions: ["access:manage", "deployments:read", "logs:read"] });
  seedMembers(server.dbPath, { workspace: "acme-prod", emails: HOLDERS, role: "ops-lead" });
  const members = HOLDERS.map((e) => `  - email: ${e}\n    role: ops-lead\n`).join("");
  await writeFile(
    join(server.dir, "prod.yaml"),
    `version: 1\nworkspace: acme-prod\nowner: ${OWNER}\nroles:\n  ops-lead:\n    description: Operations leads\n    permissions: [deployments:read]\nmembers:\n${members}`,
  );
}, 120_000);

afterAll(async () => {
  await server.close();
});

describe("plan --format markdown past 60,000 characters", () => {
  it("continues in marked comments on stdout and in FILE, FILE.2…, naming the role, what it loses and every holder", async () => {
    const r = await runCli(["plan", "-f", "prod.yaml", "--format", "markdown", "--out", "plan.md"], { env: server.env(), cwd: server.dir });
    expect(r.code, r.stderr).toBe(0);
    const markers = [...r.stdout.matchAll(/^<!-- antryk-access comment (\d+)\/(\d+) -->$/gm)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(markers.length).toBeGreaterThan(1);
    markers.forEach(([n, total], i) => expect([n, total]).toEqual([i + 1, markers.length]));
    const files = await Promise.all(markers.map(([n]) => readFile(join(server.dir, n === 1 ? "plan.md" : `plan.${n}.md`), "utf8")));
    expect(files.join("")).toBe(r.stdout);
    for (const f of files) expect(f.length).toBeLessThanOrEqual(60_000);
    const html = files.map((f) => md.render(f)).join("\n");
    expect(html).toContain("<code>ops-lead</code> (600 holders)");
    expect(html).toContain("−<code>access:manage</code> −<code>logs:read</code>");
    for (const e of HOLDERS) expect(html, e).toContain(`<code>${e}</code> (active)`);
  }, 120_000);
});

describe("maxRemovals counts losing everything", () => {
  it("moving 7 members to a custom role with permissions: [] is blocked by maxRemovals: 1", async () => {
    const token = await initWorkspace(server.dbPath, { workspace: "acme-min", owner: OWNER });
    recorder.secrets.add(token);
    const people = Array.from({ length: 7 }, (_, i) => `dev-${i}@acme.io`);
    seedMembers(server.dbPath, { workspace: "acme-min", emails: people, role: "developer" });
    const members = people.map((e) => `  - email: ${e}\n    role: parked\n`).join("");
    await writeFile(join(server.dir, "min.yaml"), `version: 1\nworkspace: acme-min\nowner: ${OWNER}\nsafety:\n  maxRemovals: 1\nroles:\n  parked:\n    description: No access\n    permissions: []\nmembers:\n${members}`);
    const r = await runCli(["plan", "-f", "min.yaml"], { env: { ANTRYK_API_URL: server.url, ANTRYK_TOKEN: token }, cwd: server.dir });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain("maxRemovals: this plan removes or revokes 7 of 8 people (7 of them by leaving them no permission:");
  });
});
