import { describe, expect, it } from "vitest";
import { computePlan } from "../../reconciler/compute/index.js";
import { parsePlan } from "../../reconciler/plan-schema.js";
import type { Plan } from "../../reconciler/plan.js";
import { judgeLivePolicies } from "../../reconciler/policy/judge.js";
import { livePeople } from "../../reconciler/policy/people.js";
import { evaluatePolicies } from "../../schema/policy/evaluate.js";
import { file as fileOf, workspace } from "../../bench/plan.js";
import { POLICIES } from "../../bench/policies.js";
import { renderJson, renderMarkdown, renderText } from "../../reconciler/render/index.js";
import { buildReview, renderReviewJson, renderReviewMarkdown, type ReviewInput } from "../../reconciler/review/index.js";
import type { Matcher, Policy, PolicyRule } from "../../schema/policy/model.js";
import { desired, invitation, live, member, NO_LIMIT, OWNER, role, want, wantRole } from "./factory.js";
import { md, walk } from "./gfm.js";
import { expectGolden } from "./golden.js";

/**
 * Policies in a plan: judged on the workspace as the plan leaves it (people the file does
 * not name in additive mode and preserved people included), each finding related to the
 * live workspace (new / unfixed / fixed), error findings blocking as `policy:<name>` rails
 * with how to fix the file; then the policy section of the text, Markdown (through GFM) and
 * JSON renderings, as goldens.
 */

const NOW = new Date("2026-11-30T10:00:00Z");
const OPTIONS = { target: "https://api.antryk.example", planId: "00000000-0000-4000-8000-000000000015", now: NOW };

function policy(name: string, match: Matcher, rule: PolicyRule, severity: Policy["severity"] = "error", line = 30): Policy {
  return { name, description: "", severity, match, rule, source: { file: "access.yaml", line, column: 5, path: ["policies", 0] } };
}

const NO_EXTERNAL_ADMINS = policy("no-external-admins", { emailDomainNot: ["acme.io"] }, { kind: "deny", deny: { permissions: ["access:manage", "billing:read", "settings:manage"] } });
const FEW_ADMINS = policy("few-admins", {}, { kind: "limit", limit: { permission: "access:manage", max: 3 } }, "warning", 34);
const EXTERNALS_EXPIRE = policy("externals-expire", { emailDomainNot: ["acme.io"] }, { kind: "require", require: { expiresWithin: 90 } }, "warning", 38);

const rails = (p: Plan) => p.violations.map((v) => v.rail);
const statuses = (p: Plan) => p.policies?.findings.map((f) => `${f.severity} ${f.policy} ${f.subject} ${f.status}`);

describe("computePlan judges the workspace after the plan", () => {
  it("no policies: no policy section, nothing blocks", () => {
    const plan = computePlan(desired({ members: [want("x@ext.dev", "account-admin")] }), live(), OPTIONS);
    expect(plan).not.toHaveProperty("policies");
    expect(plan.violations).toEqual([]);
  });

  it("a file change that makes an external admin: new, blocked, fix the entry", () => {
    const plan = computePlan(
      { ...desired({ members: [want("eve@contractor.dev", "account-admin")] }), policies: [NO_EXTERNAL_ADMINS] },
      live({ members: [member("eve@contractor.dev", "developer")] }),
      OPTIONS,
    );
    expect(statuses(plan)).toEqual(["error no-external-admins eve@contractor.dev new"]);
    expect(plan.violations).toEqual([
      {
        rail: "policy:no-external-admins",
        message: "eve@contractor.dev holds access:manage, billing:read, settings:manage, which this policy denies",
        override: "change the entry of eve@contractor.dev in access.yaml, or change policy no-external-admins (access.yaml:30)",
      },
    ]);
  });

  it.each([
    // Live: the owner and a, b, c, d hold access:manage (5; the limit is 3).
    ["one more holder than live: worse", 5, "warning few-admins 6 people worse"],
    ["as many holders as live: unfixed", 4, "warning few-admins 5 people unfixed"],
    ["fewer holders, still over the limit: unfixed", 3, "warning few-admins 4 people unfixed"],
    ["back within the limit: fixed (the live count)", 2, "warning few-admins 5 people fixed"],
  ])("a limit exceeded live: %s", (_name, admins, status) => {
    const everyone = ["a@acme.io", "b@acme.io", "c@acme.io", "d@acme.io", "e@acme.io"];
    const plan = computePlan(
      { ...desired({ members: everyone.map((e, i) => want(e, i < admins ? "account-admin" : "developer")) }), policies: [FEW_ADMINS] },
      live({ members: everyone.map((e, i) => member(e, i < 4 ? "account-admin" : "developer")) }),
      OPTIONS,
    );
    expect(statuses(plan)?.at(-1)).toBe(status);
  });

  it("additive mode: an external admin the file does not name stays, so the plan is blocked (already live, not fixed)", () => {
    const plan = computePlan(
      { ...desired({ mode: "additive", members: [want("bob@acme.io")] }), policies: [NO_EXTERNAL_ADMINS] },
      live({ members: [member("bob@acme.io"), member("x@ext.dev", "account-admin")] }),
      OPTIONS,
    );
    expect(statuses(plan)).toEqual(["error no-external-admins x@ext.dev unfixed"]);
    expect(plan.violations.map((v) => [v.rail, v.message, v.override])).toEqual([
      [
        "policy:no-external-admins",
        "x@ext.dev holds access:manage, billing:read, settings:manage, which this policy denies (already so in the live workspace; this plan does not fix it)",
        "name x@ext.dev in access.yaml with access the policy allows (additive mode leaves people the file does not name as they are), or change policy no-external-admins (access.yaml:30)",
      ],
    ]);
  });

  it("authoritative mode: the plan removes the external admin, so the live violation is fixed and nothing blocks", () => {
    const plan = computePlan(
      { ...desired({ members: [want("bob@acme.io")], safety: NO_LIMIT }), policies: [NO_EXTERNAL_ADMINS] },
      live({ members: [member("bob@acme.io"), member("x@ext.dev", "account-admin")] }),
      OPTIONS,
    );
    expect(plan.changes.map((c) => c.key)).toEqual(["removeMember:x@ext.dev"]);
    expect(statuses(plan)).toEqual(["error no-external-admins x@ext.dev fixed"]);
    expect(plan.violations).toEqual([]);
  });

  it("a preserved external admin is judged as it stays; the fix names safety.preserve", () => {
    const plan = computePlan(
      { ...desired({ members: [want("ci@ext.dev", "developer")], safety: { preserve: ["ci@ext.dev"] } }), policies: [NO_EXTERNAL_ADMINS] },
      live({ members: [member("ci@ext.dev", "account-admin")] }),
      OPTIONS,
    );
    expect(plan.changes).toEqual([]);
    expect(rails(plan)).toEqual(["policy:no-external-admins"]);
    expect(plan.violations[0]!.override).toMatch(/^ci@ext\.dev is under safety\.preserve/);
  });

  it("the owner is judged too, and the fix says the owner is never changed", () => {
    const plan = computePlan({ ...desired(), policies: [policy("owner-not-admin", {}, { kind: "require", require: { roleIn: ["developer"] } })] }, live(), OPTIONS);
    expect(plan.violations.map((v) => v.message)).toEqual([`${OWNER} holds role owner, not one of developer (already so in the live workspace; this plan does not fix it)`]);
    expect(plan.violations[0]!.override).toMatch(/^the owner's access is never changed by this tool: leave the owner out of policy owner-not-admin/);
  });

  it("warnings are reported and never block", () => {
    const plan = computePlan(
      { ...desired({ members: [want("eve@contractor.dev", "developer")] }), policies: [EXTERNALS_EXPIRE] },
      live(),
      OPTIONS,
    );
    expect(statuses(plan)).toEqual(["warning externals-expire eve@contractor.dev new"]);
    expect(plan.violations).toEqual([]);
  });

  it("a limit counts the owner, active members and pending invitations after the plan", () => {
    const plan = computePlan(
      { ...desired({ members: [want("a@acme.io", "account-admin"), want("b@acme.io", "account-admin"), want("c@acme.io", "account-admin")] }), policies: [{ ...FEW_ADMINS, severity: "error" }] },
      live({ members: [member("a@acme.io", "account-admin")], invitations: [invitation("b@acme.io", "account-admin")] }),
      OPTIONS,
    );
    expect(plan.changes.map((c) => c.key)).toEqual(["inviteMember:c@acme.io"]);
    expect(plan.violations.map((v) => v.message)).toEqual([
      "4 people hold access:manage (owner@acme.io, a@acme.io, b@acme.io, c@acme.io); the limit is 3, counting the owner, members and pending invitations",
    ]);
  });

  it("a role edit counts: holders of a custom role that gains access:manage become admins", () => {
    const plan = computePlan(
      {
        ...desired({ roles: [wantRole("ops", ["access:manage", "logs:read"])], members: [want("x@ext.dev", "ops")] }),
        policies: [NO_EXTERNAL_ADMINS],
      },
      live({ members: [member("x@ext.dev", "ops")], roles: [role("ops", ["logs:read"])] }),
      OPTIONS,
    );
    expect(plan.changes.map((c) => c.key)).toEqual(["updateRole:ops"]);
    expect(statuses(plan)).toEqual(["error no-external-admins x@ext.dev new"]);
  });

  it("a group and an expiry date come from the file for the people it names", () => {
    const groupPolicy = policy("backend-expires", { group: "backend" }, { kind: "require", require: { expires: true } });
    const plan = computePlan(
      { ...desired({ members: [want("bob@acme.io", "developer", [], { group: "backend", expires: "2027-01-01" }), want("dan@acme.io", "developer", [], { group: "backend" })] }), policies: [groupPolicy] },
      live(),
      OPTIONS,
    );
    expect(statuses(plan)).toEqual(["error backend-expires dan@acme.io new"]);
  });

  it("a saved plan with policies reads back as it was written", () => {
    const plan = computePlan(
      { ...desired({ mode: "additive" }), policies: [NO_EXTERNAL_ADMINS] },
      live({ members: [member("x@ext.dev", "account-admin")] }),
      OPTIONS,
    );
    expect(parsePlan(renderJson(plan), "plan.json")).toEqual(plan);
  });

  it("judgeLivePolicies judges the live workspace alone (for the access review)", () => {
    const state = live({ members: [member("x@ext.dev", "account-admin")] });
    expect(judgeLivePolicies(state, { ...desired(), policies: [NO_EXTERNAL_ADMINS] }, NOW).map((v) => v.email)).toEqual(["x@ext.dev"]);
    expect(judgeLivePolicies(state, desired(), NOW)).toEqual([]);
  });
});

/** RENDERED: a plan with an error it makes, an error it leaves, a warning, and a live violation it fixes. */
const RENDERED = computePlan(
  {
    ...desired({
      mode: "additive",
      members: [want("eve@contractor.dev", "account-admin"), want("rupert@agency.example", "developer"), want("gone@ext.dev", "developer")],
    }),
    policies: [NO_EXTERNAL_ADMINS, FEW_ADMINS, EXTERNALS_EXPIRE],
  },
  live({
    members: [member("eve@contractor.dev", "developer"), member("*x*@ext.dev", "account-admin"), member("gone@ext.dev", "account-admin"), member("ops@acme.io", "account-admin")],
  }),
  OPTIONS,
);

describe("the policy section of each renderer", () => {
  it("the scenario has every status and both severities", () => {
    expect(statuses(RENDERED)).toEqual([
      "error no-external-admins eve@contractor.dev new",
      "error no-external-admins *x*@ext.dev unfixed",
      "warning few-admins 4 people unfixed",
      "warning externals-expire eve@contractor.dev unfixed",
      "warning externals-expire *x*@ext.dev unfixed",
      "warning externals-expire gone@ext.dev unfixed",
      "warning externals-expire rupert@agency.example new",
      "error no-external-admins gone@ext.dev fixed",
    ]);
  });

  it("text", () => expectGolden("policy.txt", renderText(RENDERED, { color: false })));
  it("json", () => expectGolden("policy.json", renderJson(RENDERED)));
  it("markdown", () => expectGolden("policy.md", renderMarkdown(RENDERED)));

  it("markdown: the Policy section comes before the changes to review, and is inert through a GFM renderer", () => {
    const text = renderMarkdown(RENDERED);
    expect(text.indexOf("#### Policy")).toBeGreaterThan(text.indexOf("#### Blocked by safety rails"));
    expect(text.indexOf("#### Policy")).toBeLessThan(text.indexOf("#### Review first"));
    const section = text.slice(text.indexOf("#### Policy"), text.indexOf("#### Review first"));
    const tokens = md.parse(section, {});
    const kinds = new Set<string>();
    const code: string[] = [];
    walk(tokens, (t) => {
      kinds.add(t.type);
      if (t.type === "code_inline") code.push(t.content);
      if (t.type === "text") expect(t.content, t.content).not.toMatch(/[@#<>|`*[\]]|https?:|www\./);
    });
    expect([...kinds].filter((k) => ["link_open", "html_inline", "image", "html_block"].includes(k))).toEqual([]);
    expect(code).toContain("*x*@ext.dev");
    expect(code).toContain("policy:no-external-admins");
    const items = tokens.filter((t) => t.type === "list_item_open").length;
    expect(items).toBe(RENDERED.policies!.findings.length);
  });
});

describe("the access review's policy section (the live workspace judged)", () => {
  const input = (d: ReturnType<typeof desired> | null): ReviewInput => ({
    live: live({ members: [member("x@ext.dev", "account-admin"), member("*y*@ext.dev", "developer")] }),
    target: "https://api.antryk.example",
    desired: d,
    accessFile: d === null ? null : "access.yaml",
    lastChange: new Map(),
    history: { readable: true, pagesRead: 1, eventsRead: 0, complete: true },
    now: NOW,
  });

  it("lists what the live workspace breaks, as Markdown items that stay inert", () => {
    const review = buildReview(input({ ...desired({ mode: "additive" }), policies: [NO_EXTERNAL_ADMINS, EXTERNALS_EXPIRE] }));
    expect(review.policies?.map((f) => `${f.severity} ${f.policy} ${f.subject}`)).toEqual([
      "error no-external-admins x@ext.dev",
      "warning externals-expire x@ext.dev",
      "warning externals-expire *y*@ext.dev",
    ]);
    const text = renderReviewMarkdown(review);
    const section = text.slice(text.indexOf("#### Policy"), text.indexOf("#### People"));
    expect(section).toContain("- **error** `policy:no-external-admins` `x@ext.dev` holds `access:manage`");
    walk(md.parse(section, {}), (t) => {
      expect(["link_open", "html_inline", "em_open"]).not.toContain(t.type);
    });
    expect(JSON.parse(renderReviewJson(review)).policies).toHaveLength(3);
  });

  it("no file or no policies: no policy section", () => {
    expect(buildReview(input(null))).not.toHaveProperty("policies");
    expect(buildReview(input(desired({ mode: "additive" })))).not.toHaveProperty("policies");
    expect(renderReviewMarkdown(buildReview(input(null)))).not.toContain("#### Policy");
  });
});

describe("the live judgement a plan reuses equals judging the live workspace afresh", () => {
  it.each([0, 50, 300])("a 2,000-person workspace with %i changes and the bench's 20 policies", (drift) => {
    const state = workspace(2_000);
    const file = { ...fileOf(2_000, drift), policies: POLICIES };
    const plan = computePlan(file, state, { ...OPTIONS, planId: undefined });
    const live = evaluatePolicies(POLICIES, livePeople(state, file), NOW).map((v) => `${v.policy} ${v.subject} ${v.message}`);
    const fromPlan = plan.policies!.findings.filter((f) => f.status !== "new").map((f) => `${f.policy} ${f.subject} ${f.message}`);
    expect(fromPlan.sort()).toEqual(live.sort());
    expect(plan.policies!.findings.length).toBeGreaterThan(0);
  });
});
