import { describe, expect, it } from "vitest";
import { computePlan } from "../../reconciler/compute/index.js";
import { renderMarkdown, renderText } from "../../reconciler/render/index.js";
import { parseAccessText } from "../../schema/load.js";
import { desired, live, member, role, want } from "./factory.js";

/**
 * Smaller promises of issue 10: additive mode may use a live custom role the file does not
 * define (the loader warns offline, the plan checks the live roles); a plan whose only
 * differences are preserved people says the workspace matches except for them.
 */

const file = (mode: string, roleName: string) =>
  `version: 1\nworkspace: acme-prod\nmode: ${mode}\nmembers:\n  - email: lee@acme.io\n    role: ${roleName}\n  - email: new@acme.io\n    role: ${roleName}\n`;

describe("additive mode and live custom roles", () => {
  const workspace = live({ members: [member("lee@acme.io", "ops-lead")], roles: [role("ops-lead", ["logs:read", "deployments:read"], "Ops leads")] });

  it("uses a live custom role the file does not define: no error, the plan invites with it and leaves the role alone", () => {
    const { desired: d, diagnostics } = parseAccessText(file("additive", "ops-lead"), "access.yaml");
    expect(diagnostics.map((x) => `${x.severity} ${x.code}`)).toEqual(["warning unknown-role", "warning unknown-role"]);
    const plan = computePlan(d!, workspace, { target: "t" });
    expect(plan.violations).toEqual([]);
    expect(plan.changes.map((c) => c.key)).toEqual(["inviteMember:new@acme.io"]);
    expect(plan.changes[0]!.gained).toEqual(["deployments:read", "logs:read"]);
    expect(plan.warnings.map((w) => w.code)).toEqual(["unmanaged-role"]);
  });

  it("a role neither the file nor the workspace defines blocks the plan, naming the file position", () => {
    const { desired: d } = parseAccessText(file("additive", "ops-laed"), "access.yaml");
    const plan = computePlan(d!, workspace, { target: "t" });
    expect(plan.violations).toEqual([
      {
        rail: "unknownRole",
        message: 'access.yaml gives lee@acme.io (access.yaml:5:5), new@acme.io (access.yaml:7:5) the role "ops-laed", which neither access.yaml nor workspace acme-prod defines',
        override: 'define "ops-laed" under roles: in access.yaml, or use an existing role',
      },
    ]);
  });

  it("authoritative mode keeps the unknown-role error", () => {
    const { desired: d, diagnostics } = parseAccessText(file("authoritative", "ops-lead"), "access.yaml");
    expect(d).toBeNull();
    expect(diagnostics.map((x) => `${x.line}:${x.column} ${x.severity} ${x.code}`)).toEqual(["6:11 error unknown-role", "8:11 error unknown-role"]);
  });
});

describe("preserved people who differ", () => {
  const plan = computePlan(
    desired({ safety: { preserve: ["ci-bot@acme.io"] }, members: [want("ci-bot@acme.io", "account-admin"), want("alice@acme.io", "developer")] }),
    live({ members: [member("ci-bot@acme.io", "developer"), member("alice@acme.io", "developer")] }),
    { target: "t" },
  );

  it("the summary says the workspace matches except for the preserved entries, and names them", () => {
    expect(plan.changes).toEqual([]);
    const line = "No changes. The workspace matches access.yaml except for the preserved entry listed (safety.preserve, never changed): ci-bot@acme.io.";
    expect(renderText(plan, { color: false }).trimEnd().split("\n").at(-1)).toBe(line);
    expect(renderMarkdown(plan)).toContain("`ci-bot@acme.io`.");
    expect(renderMarkdown(plan)).not.toContain("The workspace matches access.yaml.");
  });
});
