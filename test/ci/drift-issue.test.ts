import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import MarkdownIt from "markdown-it";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT, MARKER, judge, renderReport, reportDrift, upsertIssue } from "../../examples/ci/scripts/antryk-drift-issue.mjs";

/**
 * examples/ci/scripts/antryk-drift-issue.mjs, the drift jobs' issue upsert, against a
 * stubbed GitHub client that records every call (no network): one issue by the bot with
 * the marker is opened, updated or closed; nobody else's issue is touched; the report
 * says what was reverted, by whom it had been changed (liveSince), or why nothing was.
 */

const GOLDEN = join(import.meta.dirname, "golden");
const repo = { owner: "acme", repo: "access" };
const bot = { login: BOT, type: "Bot" };
const person = { login: "mallory", type: "User" };
type Issue = { number: number; body: string; user: { login: string; type: string }; pull_request?: object };

/** stub is a GitHub client as github-script passes it, over a list of open issues; `calls` records what was done. */
function stub(open: Issue[]) {
  const calls: string[] = [];
  const github = {
    paginate: async (fn: unknown, args: Record<string, unknown>) => {
      if (fn !== github.rest.issues.listForRepo) throw new Error("unexpected paginate");
      calls.push(`list ${String(args.state)}${args.creator === undefined ? "" : ` by ${String(args.creator)}`}`);
      return open;
    },
    rest: {
      issues: {
        listForRepo: () => open,
        create: async (a: { title: string; body: string }) => {
          calls.push(`create "${a.title}"`);
          return { data: { number: 99 } };
        },
        update: async (a: { issue_number: number; state?: string; title?: string }) =>
          void calls.push(a.state ? `${a.state} #${a.issue_number}` : `update #${a.issue_number} "${a.title}"`),
        createComment: async (a: { issue_number: number; body: string }) => void calls.push(`comment #${a.issue_number}: ${a.body}`),
      },
    },
  };
  return { github, calls };
}

const update = { title: "Access drift in acme-prod: corrected", body: `${MARKER}\nreport`, date: "2026-12-08" };

describe("upsertIssue keeps one issue, by marker AND author", () => {
  it.each<[string, Issue[], Parameters<typeof upsertIssue>[2], string[]]>([
    ["none open, drift: opens one", [], update, ["list open", 'create "Access drift in acme-prod: corrected"']],
    [
      "its own open issue, drift: logs the night as a dated comment, then updates it",
      [{ number: 4, body: `${MARKER}\nold`, user: bot }],
      update,
      ["list open", "comment #4: ### 2026-12-08: Access drift in acme-prod: corrected\n\nreport", 'update #4 "Access drift in acme-prod: corrected"'],
    ],
    [
      "its own open issue, a transient failure: logged, the body and title kept",
      [{ number: 4, body: `${MARKER}\nold`, user: bot }],
      { ...update, title: "Access drift check in acme-prod: failed", transient: true },
      ["list open", "comment #4: ### 2026-12-08: Access drift check in acme-prod: failed (the issue above is unchanged)\n\nreport"],
    ],
    [
      "its own open issue, no drift: comments and closes it",
      [{ number: 4, body: `${MARKER}\nold`, user: bot }],
      { closeWith: "No drift." },
      ["list open", "comment #4: No drift.", "closed #4"],
    ],
    ["none open, no drift: does nothing", [], { closeWith: "No drift." }, ["list open"]],
    ["someone else's issue with the marker, drift: untouched, opens its own", [{ number: 5, body: `${MARKER}\nfake`, user: person }], update, ["list open", 'create "Access drift in acme-prod: corrected"']],
    ["someone else's issue with the marker, no drift: untouched", [{ number: 5, body: `${MARKER}\nfake`, user: person }], { closeWith: "No drift." }, ["list open"]],
    ["a bot issue without the marker: untouched", [{ number: 6, body: "another bot note", user: bot }], update, ["list open", 'create "Access drift in acme-prod: corrected"']],
    ["a bot pull request with the marker: untouched", [{ number: 7, body: `${MARKER}\npr`, user: bot, pull_request: {} }], update, ["list open", 'create "Access drift in acme-prod: corrected"']],
    [
      "a bot login from a user account (type User): untouched",
      [{ number: 8, body: `${MARKER}\nx`, user: { login: BOT, type: "User" } }],
      { closeWith: "No drift." },
      ["list open"],
    ],
  ])("%s", async (_name, open, what, expected) => {
    const { github, calls } = stub(open);
    await upsertIssue(github, repo, what);
    expect(calls).toEqual(expected);
  });
});

// Changes as `plan --format json` writes them (docs/plan-format.md), with and without liveSince.
const bobPromoted = {
  key: "updateMember:bob@acme.io",
  kind: "updateMember",
  email: "bob@acme.io",
  before: { role: "account-admin", permissions: [] },
  after: { role: "developer", permissions: [] },
  liveSince: { eventId: "evt_7", action: "member.updated", actor: "alice@acme.io", at: "2026-11-29T10:02:13.000Z", requestId: "req-7", client: "dashboard" },
};
const walkIn = {
  key: "revokeInvitation:walk-in@acme.io",
  kind: "revokeInvitation",
  email: "walk-in@acme.io",
  before: { role: "developer", permissions: ["domains:manage"] },
  after: null,
  liveSince: { eventId: "evt_8", action: "invitation.created", actor: "ops@acme.io", at: "2026-11-29T11:00:00.000Z", requestId: "req-8", client: "antryk-access", clientVersion: "0.1.0" },
};
const carolGone = { key: "inviteMember:carol@acme.io", kind: "inviteMember", email: "carol@acme.io", before: null, after: { role: "developer", permissions: [] } };
const entry = (c: { key: string; kind: string; email: string }) => ({ key: c.key, kind: c.kind, phase: "x", email: c.email });
const run = { workspace: "acme-prod", url: "https://github.com/acme/access/actions/runs/42", mode: "correct" };

describe("judge", () => {
  const plan = { workspace: "acme-prod", changes: [bobPromoted], violations: [] };
  const blockedPlan = { workspace: "acme-prod", changes: [walkIn], violations: [{ rail: "maxRemovals", message: "1 removal, more than maxRemovals 0", override: "raise safety.maxRemovals" }] };
  const report = { applied: [entry(bobPromoted)], failed: [], skipped: [], notAttempted: [], verification: { status: "verified" } };
  it.each([
    ["detect, exit 0", { stage: "detect", exit: "0", plan, apply: null, err: "" }, "clean"],
    ["detect, exit 2", { stage: "detect", exit: "2", plan, apply: null, err: "" }, "drift"],
    ["detect, exit 1 with violations", { stage: "detect", exit: "1", plan: blockedPlan, apply: null, err: "error: the plan is blocked by 1 safety rail" }, "blocked"],
    ["detect, exit 1 without a plan (bad token)", { stage: "detect", exit: "1", plan: null, apply: null, err: "error: 401 unauthorized" }, "error"],
    ["detect, exit 137", { stage: "detect", exit: "137", plan: null, apply: null, err: "" }, "error"],
    ["correct, exit 2", { stage: "correct", exit: "2", plan, apply: report, err: "" }, "corrected"],
    ["correct, exit 0", { stage: "correct", exit: "0", plan, apply: { ...report, applied: [] }, err: "" }, "clean"],
    ["correct, exit 1 blocked (apply prints no report)", { stage: "correct", exit: "1", plan: blockedPlan, apply: null, err: "error: the plan is blocked by 1 safety rail; nothing was changed" }, "blocked"],
    ["correct, exit 1 blocked, the plan unreadable", { stage: "correct", exit: "1", plan: null, apply: null, err: "error: the plan is blocked by 1 safety rail; nothing was changed" }, "blocked"],
    ["correct, exit 1 with a report (a change failed)", { stage: "correct", exit: "1", plan, apply: { ...report, applied: [], failed: [{ ...entry(bobPromoted), error: { message: "412" } }] }, err: "" }, "failed"],
    ["correct, exit 1 with nothing (unreachable)", { stage: "correct", exit: "1", plan: null, apply: null, err: "error: connect ECONNREFUSED" }, "error"],
  ] as const)("%s → %s", (_name, r, status) => {
    const outcome = judge({ stage: r.stage, exit: r.exit, plan: r.plan, planErr: r.stage === "detect" ? r.err : "", apply: r.apply as Parameters<typeof judge>[0]["apply"], applyErr: r.stage === "correct" ? r.err : "" });
    expect(outcome.status).toBe(status);
  });
});

function expectGolden(name: string, text: string) {
  const path = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(path, text);
  expect(existsSync(path), `${path} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
  expect(text).toBe(readFileSync(path, "utf8"));
}

describe("renderReport", () => {
  it("corrected: what was reverted, who had changed it and through which client, the run (golden)", () => {
    const body = renderReport({ status: "corrected", applied: [entry(bobPromoted), entry(walkIn), entry(carolGone)], plan: [bobPromoted, walkIn, carolGone] }, run);
    expectGolden("drift-corrected.md", body);
    expect(body.startsWith(`${MARKER}\n`)).toBe(true);
    expect(body).toContain("`bob@acme.io`: `account-admin` → `developer` — changed by `alice@acme.io` through the dashboard, `2026-11-29T10:02:13.000Z`");
    expect(body).toContain("— changed by `ops@acme.io` through `antryk-access 0.1.0`");
    // No liveSince (not yet attributed, or a token that cannot read the history): no author, nothing invented.
    expect(body).toMatch(/^- `carol@acme.io`: invited again as `developer`$/m);
    expect(body).toContain("[The run](https://github.com/acme/access/actions/runs/42)");
  });

  it("corrected: a liveSince on the apply entry wins over the plan's; null says the history has no such event", () => {
    const body = renderReport(
      { status: "corrected", applied: [{ ...entry(bobPromoted), liveSince: null }, { ...entry(walkIn), liveSince: { actor: "eve@acme.io", at: "t", client: "api" } }], plan: [bobPromoted, walkIn] },
      run,
    );
    expect(body).toContain("`bob@acme.io`: `account-admin` → `developer` (no access-history event explains the live value)");
    expect(body).toContain("changed by `eve@acme.io` through the API");
  });

  it("corrected: a change made for another manager is called a fight between tools, not a hand edit", () => {
    const stack = "pulumi:infra/prod/urn:pulumi:prod::infra::antryk:index:Member::bob";
    const since = { actor: "ops@acme.io", at: "t", client: "antryk-access", manager: stack, otherManager: true };
    const body = renderReport({ status: "corrected", applied: [{ ...entry(bobPromoted), liveSince: since }], plan: [bobPromoted] }, run);
    expect(body).toContain(`for another manager, \`${stack}\`: a fight between tools, not a hand edit`);
    const hand = renderReport({ status: "corrected", applied: [{ ...entry(bobPromoted), liveSince: { ...since, manager: undefined, otherManager: undefined } }], plan: [bobPromoted] }, run);
    expect(hand).not.toContain("fight");
  });

  it("blocked: says nothing was changed, and why (every rail with its override)", () => {
    const body = renderReport(
      { status: "blocked", violations: [{ rail: "maxRemovals", message: "1 removal, more than maxRemovals 0", override: "raise safety.maxRemovals" }], lines: [] },
      run,
    );
    expectGolden("drift-blocked.md", body);
    expect(body).toContain("**nothing was changed**");
    expect(body).toContain("- `maxRemovals`: `1 removal, more than maxRemovals 0` (override: `raise safety.maxRemovals`)");
  });

  it("blocked with only the tool's message: quotes it", () => {
    const body = renderReport({ status: "blocked", violations: [], lines: ["error: the plan is blocked by 1 safety rail; nothing was changed", "  minAdmins: 1 admin left"] }, run);
    expect(body).toContain("```\nerror: the plan is blocked by 1 safety rail; nothing was changed\n  minAdmins: 1 admin left\n```");
  });

  it("drift (detect mode): lists the drift and says nothing was changed", () => {
    const body = renderReport({ status: "drift", changes: [bobPromoted, carolGone] }, { ...run, mode: "detect" });
    expect(body).toContain("Nothing was changed (mode `detect`)");
    expect(body).toContain("- `bob@acme.io`: `account-admin` → `developer` — changed by `alice@acme.io`");
  });

  it("drift (correct mode): the issue says a correction waits for approval, before the correct job runs", () => {
    const body = renderReport({ status: "drift", changes: [bobPromoted] }, { ...run, mode: "correct" });
    expect(body).toContain("A correction that puts it back is waiting for approval");
    expect(body).toContain("nothing was changed yet");
    expect(body).toContain("- `bob@acme.io`: `account-admin` → `developer` — changed by `alice@acme.io`");
  });

  it("failed: what applied, what failed and why, the verification", () => {
    const body = renderReport(
      {
        status: "failed",
        report: { applied: [entry(walkIn)], failed: [{ ...entry(bobPromoted), error: { message: "412 precondition failed" } }], skipped: [], notAttempted: [], verification: { status: "differs", reason: "1 change left" } },
        plan: [bobPromoted, walkIn],
        lines: [],
      },
      run,
    );
    expect(body).toContain("Applied:\n\n- `walk-in@acme.io`: invitation revoked");
    expect(body).toContain("Failed:\n\n- `bob@acme.io`: `account-admin` → `developer`: `412 precondition failed`");
    expect(body).toContain("Verification: `differs` (`1 change left`)");
  });

  it("workspace values cannot inject Markdown, HTML or mentions (rendered through a real GFM renderer)", () => {
    const evil = { ...carolGone, key: "inviteMember:x", email: "a`|<img src=x>@team_`@x.io", liveSince: { actor: "@acme/admins <script>", at: "t", client: "dashboard" } };
    const html = new MarkdownIt({ html: true }).render(renderReport({ status: "drift", changes: [evil] }, run));
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain("&lt;img src=x&gt;");
    expect(html).toContain("<code>@acme/admins &lt;script&gt;</code>");
  });

  it("a huge drift stays under GitHub's body limit and still links the run", () => {
    const many = Array.from({ length: 3000 }, (_, i) => ({ ...carolGone, key: `inviteMember:p${i}`, email: `person-${i}@acme.io` }));
    const body = renderReport({ status: "drift", changes: many }, run);
    expect(body.length).toBeLessThanOrEqual(60_000);
    expect(body).toContain("(cut: the full report is in the run's log)");
    expect(body.endsWith("[The run](https://github.com/acme/access/actions/runs/42)")).toBe(true);
  });
});

describe("reportDrift, the step: reads the run's files", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "antryk-drift-issue-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const context = { repo, runId: 42, serverUrl: "https://github.com" };

  it("a blocked plan (exit 1, the plan's violations): opens the issue saying why and writes the summary", async () => {
    const cwd = mkdtempSync(join(dir, "blocked-"));
    writeFileSync(join(cwd, "plan.json"), JSON.stringify({ workspace: "acme-prod", changes: [walkIn], violations: [{ rail: "maxRemovals", message: "over the limit" }] }));
    writeFileSync(join(cwd, "plan.err"), "error: the plan is blocked by 1 safety rail; nothing was changed\n");
    const { github, calls } = stub([]);
    const summary: string[] = [];
    const core = { summary: { addRaw: (s: string) => (summary.push(s), { write: async () => {} }) }, info: () => {} };
    expect(await reportDrift({ github, context, core, env: { DRIFT_STAGE: "detect", DRIFT_EXIT: "1" }, cwd })).toBe("opened #99");
    expect(calls).toEqual(["list open", 'create "Access drift in acme-prod: correction blocked by a safety rail"']);
    expect(summary.join("")).toContain("- `maxRemovals`: `over the limit`");
  });

  it("a corrected run joins apply.json with plan.json by key for the details and the authors", async () => {
    const cwd = mkdtempSync(join(dir, "corrected-"));
    writeFileSync(join(cwd, "plan.json"), JSON.stringify({ workspace: "acme-prod", changes: [bobPromoted], violations: [] }));
    writeFileSync(join(cwd, "apply.json"), JSON.stringify({ planId: "p", applied: [entry(bobPromoted)], failed: [], skipped: [], notAttempted: [], verification: { status: "verified" } }));
    const bodies: string[] = [];
    const { github, calls } = stub([{ number: 3, body: `${MARKER}\nold`, user: bot }]);
    const origUpdate = github.rest.issues.update;
    github.rest.issues.update = async (a) => (bodies.push((a as { body?: string }).body ?? ""), origUpdate(a));
    expect(await reportDrift({ github, context, env: { DRIFT_STAGE: "correct", DRIFT_EXIT: "2", DRIFT_DATE: "2026-12-08T03:17:00Z" }, cwd })).toBe("updated #3");
    expect(calls.map((c) => c.split("\n", 1)[0])).toEqual(["list open", "comment #3: ### 2026-12-08: Access drift in acme-prod: corrected", 'update #3 "Access drift in acme-prod: corrected"']);
    expect(bodies[0]).toContain("`bob@acme.io`: `account-admin` → `developer` — changed by `alice@acme.io` through the dashboard");
  });

  it("a clean run closes the open issue with a comment linking the run", async () => {
    const cwd = mkdtempSync(join(dir, "clean-"));
    writeFileSync(join(cwd, "plan.json"), JSON.stringify({ workspace: "acme-prod", changes: [], violations: [] }));
    const { github, calls } = stub([{ number: 3, body: `${MARKER}\nold`, user: bot }]);
    expect(await reportDrift({ github, context, env: { DRIFT_STAGE: "detect", DRIFT_EXIT: "0" }, cwd })).toBe("closed #3");
    expect(calls).toEqual([
      "list open",
      "comment #3: No drift: `acme-prod` matches access.yaml again. [The run](https://github.com/acme/access/actions/runs/42)",
      "closed #3",
    ]);
  });
});
