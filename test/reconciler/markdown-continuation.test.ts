import { describe, expect, it } from "vitest";
import { computePlan } from "../../reconciler/compute/index.js";
import type { Plan } from "../../reconciler/plan.js";
import { MARKDOWN_LIMIT, renderMarkdown, renderMarkdownComments, renderSetMarkdownComments, splitComments, type WorkspaceOutcome } from "../../reconciler/render/index.js";
import { desired, invitation, live, member, NO_LIMIT, role, want, wantRole } from "./factory.js";
import { md } from "./gfm.js";
import { FIXED_PLAN_ID } from "./scenarios.js";

/**
 * Every loss of access is named in the pull-request comments, however many there are: past
 * 60,000 characters the comment continues in further comments, each starting with its marker
 * line and each within the limit. Checked through a GFM renderer: every lost e-mail appears in
 * the rendered comments, and no note says something is listed where it is not.
 */

const TARGET = "https://api.antryk.example";
const MARKER = /^<!-- antryk-access comment (\d+)\/(\d+) -->\n/;

/** rendered is the visible text of comments as GitHub would show them (HTML, tags kept). */
function rendered(comments: readonly string[]): string {
  return comments.map((c) => md.render(c)).join("\n");
}

function expectWellFormed(comments: readonly string[]): void {
  comments.forEach((c, i) => {
    expect(c.length, `comment ${i + 1}`).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(MARKER.exec(c)?.slice(1), `comment ${i + 1}`).toEqual([String(i + 1), String(comments.length)]);
  });
}

describe("a role held by 600 pending invitations loses access:manage and logs:read", () => {
  const emails = Array.from({ length: 600 }, (_, i) => `pending-holder-${String(i).padStart(3, "0")}@example-corporation.io`);
  const plan = computePlan(
    desired({ safety: NO_LIMIT, roles: [wantRole("ops-lead", ["deployments:read"], "Operations leads")], members: [...emails.map((e) => want(e, "ops-lead")), want("ops@acme.io", "account-admin")] }),
    live({
      members: [member("ops@acme.io", "account-admin")],
      invitations: emails.map((e) => invitation(e, "ops-lead")),
      roles: [role("ops-lead", ["access:manage", "deployments:read", "logs:read"], "Operations leads")],
    }),
    { target: TARGET, allowSelfChange: false, planId: FIXED_PLAN_ID, accessFile: { path: "access/prod.yaml", sha256: "0".repeat(64) } },
  );
  const comments = renderMarkdownComments(plan);

  it("continues in further comments, each within 60,000 characters and marked N/M", () => {
    expect(plan.changes.map((c) => c.kind)).toEqual(["updateRole"]);
    expect(comments.length).toBeGreaterThan(1);
    expectWellFormed(comments);
    expect(splitComments(renderMarkdown(plan))).toEqual(comments);
  });

  it("names the role, what it loses and every holder, pending invitations included", () => {
    const html = rendered(comments);
    expect(html).toContain("<code>ops-lead</code> (600 holders)");
    expect(html).toContain("−<code>access:manage</code> −<code>logs:read</code>");
    for (const e of emails) expect(html, e).toContain(`<code>${e}</code> (pending)`);
    expect(html).not.toMatch(/not shown/);
  });

  it("repeats the table heading where the review continues, so every continued row is a table row", () => {
    for (const c of comments.slice(1)) {
      expect(c).toContain("#### Review first (continued)");
      const tokens = md.parse(c, {});
      expect(tokens.some((t) => t.type === "table_open")).toBe(true);
    }
  });
});

describe("a plan set of 12 workspaces × 30 revocations", () => {
  const outcomes: WorkspaceOutcome[] = Array.from({ length: 12 }, (_, w) => {
    const workspace = `acme-${String(w).padStart(2, "0")}`;
    const revoked = Array.from({ length: 30 }, (_, i) => `revoked-${workspace}-${String(i).padStart(2, "0")}@example-corporation.io`);
    const plan: Plan = computePlan(
      { ...desired({ safety: NO_LIMIT, members: [want("ops@acme.io", "account-admin")] }), workspace },
      live({ members: [member("ops@acme.io", "account-admin")], invitations: revoked.map((e) => invitation(e, "developer")) }),
      { target: TARGET, allowSelfChange: false, planId: FIXED_PLAN_ID, accessFile: { path: `access/${workspace}.yaml`, sha256: "0".repeat(64) } },
    );
    return { workspace, file: `access/${workspace}.yaml`, plan };
  });
  const lost = outcomes.flatMap((o) => ("plan" in o ? o.plan.changes.filter((c) => c.lost.length > 0).map((c) => ("email" in c ? c.email : c.name)) : []));
  const comments = renderSetMarkdownComments(outcomes);

  it("names all 360 revoked people in the rendered comments, each comment within the limit", () => {
    expect(lost).toHaveLength(360);
    expectWellFormed(comments);
    const html = rendered(comments);
    for (const e of lost) expect(html, e).toContain(`<code>${e}</code>`);
  });

  it("says nothing is listed elsewhere that is not", () => {
    const text = comments.join("");
    expect(text).not.toMatch(/listed in the workspaces' sections below/);
    expect(text).toMatch(/^### antryk-access plan for 12 workspaces$/m);
  });
});
