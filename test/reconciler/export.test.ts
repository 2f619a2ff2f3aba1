import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computePlan } from "../../reconciler/compute/index.js";
import type { LiveState } from "../../reconciler/live-state.js";
import { renderAccessYaml } from "../../reconciler/render/index.js";
import type { Invitation, InvitationStatus } from "../../schema/api.js";
import { parseAccessText } from "../../schema/load.js";
import { expectGolden } from "./golden.js";
import { invitation, live, member, role } from "./factory.js";

/** replan is the contract of export: plan(parse(export(live)), live) has no changes, warnings or violations. */
function replan(state: LiveState) {
  const text = renderAccessYaml(state);
  const { desired, diagnostics } = parseAccessText(text, "exported.yaml");
  const errors = diagnostics.filter((d) => d.severity === "error");
  expect(errors, text).toEqual([]);
  expect(desired).not.toBeNull();
  return { text, plan: computePlan(desired!, state, { target: "http://127.0.0.1:1" }) };
}

const workspace = live({
  owner: "Founder@Acme.io",
  members: [
    member("zed@acme.io", "developer", ["domains:manage", "environments:configure"]),
    member("Alice@Acme.io", "account-admin"),
    member("rita@acme.io", "release-manager"),
    member("qa@acme.io", "developer", ["logs:read"]),
  ],
  invitations: [
    invitation("pending@acme.io", "release-manager", { permissions: ["config:read"] }),
    invitation("lapsed@acme.io", "developer", { status: "expired", sendCount: 2 }),
    invitation("gone@acme.io", "developer", { status: "revoked" }),
    invitation("alice@acme.io", "developer", { status: "expired" }),
  ],
  roles: [role("release-manager", ["logs:read", "deployments:read", "deployments:create"], "Ships: services # to production"), role("unused", ["logs:read"], "")],
});

describe("renderAccessYaml", () => {
  it("writes the canonical file (golden)", () => expectGolden("export.yaml", renderAccessYaml(workspace)));

  it("re-plans as No changes (the export contract)", () => {
    const { plan } = replan(workspace);
    expect(plan.changes).toEqual([]);
    expect(plan.warnings).toEqual([]);
    expect(plan.violations).toEqual([]);
  });

  it("marks pending invitations and names the invitations it leaves out", () => {
    const text = renderAccessYaml(workspace);
    expect(text.split("\n")[0]).toMatch(/^# yaml-language-server: \$schema=/);
    expect(text).toMatch(/# pending invitation: sent 2026-01-01, expires 2026-01-08\n  - email: pending@acme.io/);
    expect(text).toContain("# Not exported (they grant nothing): gone@acme.io (revoked), lapsed@acme.io (expired)");
    expect(text).toContain("owner: founder@acme.io");
    expect(text).toContain("mode: authoritative");
  });

  it("a legacy description the grammar refuses (a line break) is exported, and the file then names it", () => {
    const text = renderAccessYaml(live({ roles: [role("qa", ["logs:read"], "multi\nline")] }));
    const { diagnostics } = parseAccessText(text, "exported.yaml");
    expect(diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toEqual(["invalid-description"]);
  });

  it.each([
    "  leading and trailing  ",
    'say "hi" and \'bye\'',
    "yes",
    "123",
    "- dash",
    "a: b #c",
    "ünïcødé ✓",
    "[not, a, list]",
    "{not: a map}",
    "*alias &anchor !tag %directive @at `tick`",
  ])("quotes role descriptions so they read back unchanged: %j", (description) => {
    const { plan } = replan(live({ roles: [role("qa", ["logs:read"], description)] }));
    expect(plan.changes).toEqual([]);
  });

  it("exports a workspace with only its owner", () => {
    const { plan } = replan(live());
    expect(plan.changes).toEqual([]);
  });

  it("re-plans as No changes for any workspace (property)", () => {
    const email = fc.constantFrom("a", "b", "c", "d", "E", "f", "G").chain((n) => fc.constantFrom(`${n}@acme.io`, `${n.toUpperCase()}@ACME.io`));
    const grants = fc.subarray(["domains:manage", "environments:configure", "config:read", "logs:read", "billing:read"]);
    const roleName = fc.constantFrom("developer", "account-admin", "qa", "ops-lead");
    const status = fc.constantFrom<InvitationStatus>("pending", "expired", "revoked");
    const person = fc.record({ email, role: roleName, grants, kind: fc.constantFrom("member", "invitation"), status, sendCount: fc.integer({ min: 1, max: 6 }) });
    fc.assert(
      fc.property(fc.array(person, { maxLength: 12 }), (people) => {
        const members = [];
        const invitations: Invitation[] = [];
        const seen = new Set<string>();
        for (const p of people) {
          if (p.kind === "member") {
            if (seen.has(p.email.toLowerCase())) continue;
            seen.add(p.email.toLowerCase());
            members.push(member(p.email, p.role, p.grants));
          } else {
            invitations.push(invitation(p.email, p.role, { permissions: p.grants, status: p.status, sendCount: p.sendCount }));
          }
        }
        // The server allows one pending invitation per email, none for a member.
        const pending = new Set<string>();
        const valid = invitations.filter((i) => {
          const e = i.email.toLowerCase();
          if (i.status !== "pending") return true;
          if (seen.has(e) || pending.has(e)) return false;
          pending.add(e);
          return true;
        });
        const state = live({ members, invitations: valid, roles: [role("qa", ["logs:read", "deployments:read"]), role("ops-lead", ["access:manage", "logs:read"], "Leads ops")] });
        const { plan, text } = replan(state);
        expect(plan.changes, text).toEqual([]);
        expect(plan.violations, text).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
