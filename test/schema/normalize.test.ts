import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DesiredStateSchema } from "../../schema/model.js";
import { loadAccessFile, validateAccessDocument } from "../../schema/load.js";
import { brief, check, HEAD, NOW } from "./helpers.js";

const example = join(import.meta.dirname, "..", "..", "examples", "access.yaml");

describe("normalization into DesiredState", () => {
  it("the example workspace validates clean and normalizes fully", async () => {
    const { desired, diagnostics } = await loadAccessFile(example, { now: NOW });
    expect(diagnostics).toEqual([]);
    expect(desired).not.toBeNull();
    const d = DesiredStateSchema.parse(desired);
    expect(d).toMatchObject({ version: 1, workspace: "acme-prod", owner: "founder@acme.io", mode: "authoritative" });
    expect(d.safety).toEqual({ maxRemovals: { kind: "percent", value: 25 }, minAdmins: 2, requiredAdmins: ["ops@acme.io"], preserve: ["ci-bot@acme.io"] });
    expect(d.members.length + 1).toBeGreaterThanOrEqual(20); // about 20 people with the owner
    expect(d.roles.map((r) => r.name)).toEqual(["release-manager", "support"]);
    const eve = d.members.find((m) => m.email === "eve@contractor.dev");
    expect(eve).toMatchObject({ role: "developer", permissions: ["domains:manage"], expires: "2099-01-31" });
    expect(eve!.source).toMatchObject({ file: example, path: ["members", 8] });
    const grace = d.members.find((m) => m.email === "grace@acme.io");
    expect(grace).toMatchObject({ role: "developer", permissions: ["environments:configure"], group: "backend" });
    expect(grace!.source).toMatchObject({ path: ["groups", "backend", "members", 2], line: 37, column: 9 });
  });

  it("applies the defaults", () => {
    const { desired } = check(HEAD);
    expect(desired).toMatchObject({
      mode: "authoritative",
      safety: { maxRemovals: { kind: "percent", value: 25 }, minAdmins: 1, requiredAdmins: [], preserve: [] },
      invitations: { resendExpired: true, maxResends: 3 },
      roles: [],
      members: [],
      expiredMembers: [],
    });
  });

  it("trims and lower-cases emails everywhere; sorts grants in catalog order without repeats", () => {
    const text = `${HEAD.replace("founder@acme.io", " Founder@ACME.io")}safety:\n  requiredAdmins: [" OPS@acme.io"]\n  preserve: [Bot@acme.io, bot@acme.io]\nmembers:\n  - email: "  OPS@Acme.IO "\n    role: account-admin\n    permissions: [deployments:create, billing:read, deployments:create]\n`;
    const { desired } = check(text);
    expect(desired!.owner).toBe("founder@acme.io");
    expect(desired!.safety.requiredAdmins).toEqual(["ops@acme.io"]);
    expect(desired!.safety.preserve).toEqual(["bot@acme.io"]);
    expect(desired!.members[0]).toMatchObject({ email: "ops@acme.io", permissions: ["billing:read", "deployments:create"] });
  });

  it.each([
    ["7", { kind: "count", value: 7 }],
    ["0", { kind: "count", value: 0 }],
    ["40%", { kind: "percent", value: 40 }],
    ['"12.5%"', { kind: "percent", value: 12.5 }],
    ["100%", { kind: "percent", value: 100 }],
  ])("maxRemovals %s", (written, limit) => {
    expect(check(`${HEAD}safety:\n  maxRemovals: ${written}\n`).desired!.safety.maxRemovals).toEqual(limit);
  });

  it.each([
    ["the last day of access", "2026-11-27T23:59:59.999Z", "active"],
    ["the day after", "2026-11-28T00:00:00.000Z", "expired"],
    ["long before", "2020-01-01T00:00:00.000Z", "active"],
  ])("expires 2026-11-27 at %s: %s", (_name, now, state) => {
    const text = `${HEAD}members:\n  - email: eve@contractor.dev\n    role: developer\n    expires: 2026-11-27\n`;
    const { desired, diagnostics } = check(text, new Date(now));
    expect(desired!.members.length).toBe(state === "active" ? 1 : 0);
    expect(desired!.expiredMembers.length).toBe(state === "expired" ? 1 : 0);
    expect(brief({ desired, diagnostics })).toEqual(state === "expired" ? ["7:14 warning expired-member"] : []);
  });

  it("keeps the general YAML path for anchors, and reports the same positions", () => {
    const text = `${HEAD}x-perms: &p [domains:manage]\nmembers:\n  - email: a@acme.io\n    role: developer\n    permissions: *p\n`;
    // x-perms is not a key of the format: the general parser still locates it
    expect(brief(check(text))).toEqual(["4:1 error unknown-key"]);
  });
});

describe("validateAccessDocument (a document that never was text)", () => {
  it("validates a plain object and reports paths", () => {
    const doc = { version: 1, workspace: "acme-prod", owner: "founder@acme.io", members: [{ email: "a@acme.io", role: "developer", permissions: ["deploy:create"] }] };
    const { desired, diagnostics } = validateAccessDocument(doc, "pulumi:document", { now: NOW });
    expect(desired).toBeNull();
    expect(diagnostics).toEqual([
      {
        severity: "error",
        code: "unknown-permission",
        message: '"deploy:create" is not a permission; did you mean "deployments:create"?',
        file: "pulumi:document",
        line: 1,
        column: 1,
        path: ["members", 0, "permissions", 0],
      },
    ]);
  });

  it("accepts a valid object", () => {
    const { desired } = validateAccessDocument({ version: 1, workspace: "w", owner: "o@acme.io" }, "doc");
    expect(desired).toMatchObject({ workspace: "w", owner: "o@acme.io", file: "doc" });
  });

  it.each([[null], [[]], ["text"], [42]])("rejects a non-map %j", (doc) => {
    const { desired, diagnostics } = validateAccessDocument(doc, "doc");
    expect(desired).toBeNull();
    expect(diagnostics.map((d) => d.code)).toEqual(["invalid-type"]);
  });
});
