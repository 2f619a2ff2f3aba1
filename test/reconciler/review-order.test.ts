import { describe, expect, it } from "vitest";
import { MARKDOWN_LIMIT, renderMarkdown, renderText } from "../../reconciler/render/index.js";
import { expectGolden } from "./golden.js";
import { planOf, roleEditAdmins, truncatedMixed, twoThousand } from "./scenarios.js";

/**
 * Review order (docs/plan-format.md): whatever the plan's size, the comment and the text
 * header start with every high-risk change and every loss of access, naming the people;
 * truncation only ever drops low-risk gains and says how many and how to see them.
 */

describe("review order", () => {
  it("a truncated mixed plan (900 invitations, one admin demotion, two revocations) names the demoted admin and the revoked people (golden)", () => {
    const plan = planOf(truncatedMixed);
    expect(plan.violations).toEqual([]);
    expect(plan.changes).toHaveLength(903);
    const md = renderMarkdown(plan);
    expectGolden("truncated-mixed.md", md);
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    const review = md.slice(md.indexOf("#### Review first"), md.indexOf("#### Gains"));
    expect(review).toContain("`demoted-admin@acme.io`");
    expect(review).toContain("`revoked-one@acme.io`");
    expect(review).toContain("`revoked-two@acme.io`");
    expect(review.indexOf("demoted-admin@acme.io")).toBeGreaterThan(-1);
    expect(md).toMatch(/Not shown, for room: \d{3} low-risk gains \(invitations, resends, promotions\)\. Every change that takes access away or is high risk is listed above\. See the whole plan with `antryk-access plan --format json`, or in the job log\._\n$/);
    const shown = (md.match(/`newcomer-\d{3}@example-corporation\.io`/g) ?? []).length;
    const cut = Number(/room: (\d+) low-risk gains/.exec(md)![1]);
    expect(shown + cut).toBe(900);
  });

  it("the text header lists the losses before anything else", () => {
    const text = renderText(planOf(truncatedMixed), { color: false });
    const head = text.split("\n").slice(0, 12).join("\n");
    expect(head).toContain("Review first (3 taking access away or high risk):");
    expect(head).toMatch(/update demoted-admin@acme\.io: account-admin → developer \[high risk\]/);
    expect(head).toMatch(/revoke invitation revoked-one@acme\.io \(account-admin\) \[high risk\]/);
    expect(head).toMatch(/revoke invitation revoked-two@acme\.io \(developer\)/);
  });

  it("a role edit names every holder with effective permissions before and after, and losing access:manage is high risk (golden)", () => {
    const plan = planOf(roleEditAdmins);
    const edit = plan.changes.find((c) => c.kind === "updateRole")!;
    expect(edit.risk).toBe("high");
    expect(edit.kind === "updateRole" && edit.holders).toEqual([
      { email: "ann@acme.io", state: "active", before: ["access:manage", "logs:read"], after: ["deployments:read", "logs:read"] },
      { email: "ben@acme.io", state: "active", before: ["access:manage", "logs:read"], after: ["deployments:read", "logs:read"] },
      { email: "cat@acme.io", state: "active", before: ["access:manage", "logs:read"], after: ["access:manage", "deployments:read", "logs:read"] },
      { email: "pending-lead@acme.io", state: "pending", before: ["access:manage", "logs:read"], after: ["deployments:read", "logs:read"] },
    ]);
    const md = renderMarkdown(plan);
    expectGolden("role-edit-admins.md", md);
    expect(md).toContain("| ↳ holder :warning: | `ann@acme.io` (active) | `access:manage, logs:read` → `deployments:read, logs:read` | +`deployments:read` −`access:manage` | holds `lead` |");
    const text = renderText(plan, { color: false });
    expectGolden("role-edit-admins.txt", text);
    expect(text).toContain("holder ben@acme.io (active): gains deployments:read; loses access:manage [access:manage, logs:read → deployments:read, logs:read]");
  });

  it("a 2,000-change plan keeps every loss in the comment and cuts only gains (golden)", () => {
    const plan = planOf(twoThousand);
    expect(plan.changes).toHaveLength(2000);
    const md = renderMarkdown(plan);
    expectGolden("two-thousand.md", md);
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    for (const c of plan.changes.filter((x) => x.lost.length > 0)) expect(md, c.key).toContain(`\`${"email" in c ? c.email : c.name}\``);
    expect(md).toMatch(/room: [\d,]+ low-risk gains \(invitations, resends, promotions\)\. Every change that takes access away/);
  });
});
