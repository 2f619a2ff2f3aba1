import { describe, expect, it } from "vitest";
import { computePlan } from "../../reconciler/compute/index.js";
import { parsePlan } from "../../reconciler/plan-schema.js";
import { renderMarkdown, renderText } from "../../reconciler/render/index.js";
import { buildReview, renderReviewCsv, renderReviewMarkdown } from "../../reconciler/review/index.js";
import type { Member } from "../../schema/api.js";
import type { Policy } from "../../schema/policy/model.js";
import { desired, live, member, NO_LIMIT, want } from "./factory.js";

/**
 * Activity in a plan: policies with `inactiveFor` judge the live members' activity (a member
 * the plan invites has none), and safety.warnInactiveAfter warns about each member the plan
 * keeps who has been inactive longer; a warning in the text and the PR comment, never a block.
 */

const NOW = new Date("2026-11-30T10:00:00Z");
const OPTIONS = { target: "https://api.antryk.example", planId: "00000000-0000-4000-8000-000000000031", now: NOW };

const seen = (m: Member, lastActiveAt: string | null, via: Member["lastActiveVia"] = lastActiveAt === null ? null : "dashboard", joinedAt = "2026-01-01T00:00:00.000Z"): Member => ({ ...m, lastActiveAt, lastActiveVia: via, joinedAt });

// ops: last active 121 days ago; alice: never active, joined 182 days ago; carol: active yesterday; bob: a developer, dormant.
const LIVE = live({
  members: [
    seen(member("ops@acme.io", "account-admin"), "2026-08-01T00:00:00.000Z"),
    seen(member("alice@acme.io", "account-admin"), null, null, "2026-06-01T00:00:00.000Z"),
    seen(member("carol@acme.io", "account-admin"), "2026-11-29T00:00:00.000Z", "antryk-access"),
    seen(member("bob@acme.io", "developer"), "2026-03-01T00:00:00.000Z", "api"),
  ],
});
LIVE.members[0] = seen(LIVE.members[0]!, "2026-11-30T09:00:00.000Z"); // the owner works today
const FILE = [want("ops@acme.io", "account-admin"), want("alice@acme.io", "account-admin"), want("carol@acme.io", "account-admin"), want("bob@acme.io")];

const DORMANT_ADMINS: Policy = {
  name: "dormant-admins", description: "", severity: "warning",
  match: { inactiveFor: 90, hasPermission: "access:manage" },
  rule: { kind: "deny", deny: { permissions: ["access:manage"] } },
  source: { file: "access.yaml", line: 40, column: 5, path: ["policies", 0] },
};

describe("inactiveFor in a plan", () => {
  it("finds the dormant admins of the live workspace; a dormant admin the plan removes is fixed", () => {
    const plan = computePlan({ ...desired({ members: FILE.filter((m) => m.email !== "alice@acme.io"), safety: NO_LIMIT }), policies: [DORMANT_ADMINS] }, LIVE, OPTIONS);
    expect(plan.policies?.findings.map((f) => `${f.severity} ${f.subject} ${f.status}: ${f.message}`)).toEqual([
      "warning ops@acme.io unfixed: holds access:manage, which this policy denies (last active 2026-08-01, 121 days ago)",
      "warning alice@acme.io fixed: holds access:manage, which this policy denies (never active since joining 2026-06-01, 182 days ago)",
    ]);
    expect(plan.violations).toEqual([]);
  });

  it("an error-severity activity policy blocks like any policy, and a person the plan invites has no activity to judge", () => {
    const policy: Policy = { ...DORMANT_ADMINS, severity: "error" };
    const plan = computePlan({ ...desired({ members: [...FILE, want("new@acme.io", "account-admin")] }), policies: [policy] }, LIVE, OPTIONS);
    expect(plan.violations.map((v) => `${v.rail} ${v.message.split(" holds")[0]}`)).toEqual(["policy:dormant-admins ops@acme.io", "policy:dormant-admins alice@acme.io"]);
  });
});

describe("safety.warnInactiveAfter", () => {
  it.each([
    ["off by default", undefined, []],
    ["90 days: every member the plan keeps inactive for longer, never the owner", 90, ["alice@acme.io", "bob@acme.io", "ops@acme.io"]],
    ["182 days: joined 182 days and 10 hours ago, never active", 182, ["alice@acme.io", "bob@acme.io"]],
    ["200 days", 200, ["bob@acme.io"]],
    ["300 days", 300, []],
  ])("%s", (_name, days, warned) => {
    const plan = computePlan(desired({ members: FILE, safety: days === undefined ? {} : { warnInactiveAfter: days } }), LIVE, OPTIONS);
    expect(plan.warnings.filter((w) => w.code === "inactive-member").map((w) => w.email)).toEqual(warned);
    expect(plan.violations).toEqual([]);
    expect(parsePlan(JSON.stringify(plan), "plan.json")).toEqual(plan);
  });

  it("a member the plan removes is not warned about; the warning is in the text plan and the PR comment, not a block", () => {
    const plan = computePlan(desired({ members: FILE.filter((m) => m.email !== "bob@acme.io"), safety: { ...NO_LIMIT, warnInactiveAfter: 90 } }), LIVE, OPTIONS);
    expect(plan.changes.map((c) => c.key)).toEqual(["removeMember:bob@acme.io"]);
    expect(plan.warnings.map((w) => w.message)).toEqual([
      "alice@acme.io (account-admin) has been inactive for 182 days (never active since joining 2026-06-01; safety.warnInactiveAfter: 90d); this plan keeps their access",
      "ops@acme.io (account-admin) has been inactive for 121 days (last active 2026-08-01 via dashboard; safety.warnInactiveAfter: 90d); this plan keeps their access",
    ]);
    expect(plan.violations).toEqual([]);
    expect(renderText(plan, { color: false })).toContain("inactive-member: ops@acme.io (account-admin) has been inactive for 121 days");
    expect(renderMarkdown(plan)).toContain("- `inactive-member` `ops@acme.io` (account-admin) has been inactive for 121 days (last active 2026-08-01 via dashboard;");
  });
});

describe("activity in the review", () => {
  const review = (inactiveAfterDays?: number) =>
    buildReview({
      live: LIVE,
      target: "https://api.antryk.example",
      desired: { ...desired({ members: FILE.filter((m) => m.email !== "bob@acme.io") }), policies: [DORMANT_ADMINS] },
      accessFile: "access.yaml",
      lastChange: new Map(),
      history: { readable: true, pagesRead: 1, eventsRead: 0, complete: true },
      now: NOW,
      ...(inactiveAfterDays !== undefined ? { inactiveAfterDays } : {}),
    });

  it("judges activity policies on the live workspace and lists the inactive with the entry to remove (default 90 days)", () => {
    const r = review();
    expect(r.policies?.map((f) => `${f.policy} ${f.subject}`)).toEqual(["dormant-admins ops@acme.io", "dormant-admins alice@acme.io"]);
    expect(r.inactive.map((p) => [p.email, p.inactiveDays, p.inFile === null ? "not in file" : p.inFile?.line])).toEqual([
      ["bob@acme.io", 274, "not in file"],
      ["alice@acme.io", 182, 1],
      ["ops@acme.io", 121, 1],
    ]);
    const md = renderReviewMarkdown(r);
    expect(md).toContain("#### Inactive for 90 days");
    expect(md).toContain("- `ops@acme.io` account-admin, last active 2026-08-01 00:00 UTC in the dashboard (121 days ago) — remove their entry: `access.yaml:1`");
    expect(md).toContain("- `bob@acme.io` developer, last active 2026-03-01 00:00 UTC through the API (274 days ago) — **not in access.yaml**");
    expect(renderReviewCsv(r).split("\r\n")[0]).toContain("last_active_at,last_active_via,inactive_days,inactive");
    expect(review(200).inactive.map((p) => p.email)).toEqual(["bob@acme.io"]);
  });
});
