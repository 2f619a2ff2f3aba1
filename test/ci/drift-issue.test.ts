import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import MarkdownIt from "markdown-it";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ApplyReport } from "../../cli/apply-report.js";
import { judge, MARKER, renderReport, type RunFiles } from "../../cli/drift-report.js";
import { gitHubApi } from "../../cli/github-api.js";
import { upsertIssue, type IssueUpdate } from "../../cli/run-ci-drift-issue.js";
import { PLAN_FORMAT_VERSION, summarize, type Change, type Plan, type SafetyViolation } from "../../reconciler/plan.js";
import { assertBuilt, runCli, tempDir } from "../e2e/harness.js";
import { BOT_USER, startGitHubStub, type GitHubStub, type StubIssue } from "./github-stub.js";

/**
 * `antryk-access ci drift-issue`, the drift jobs' issue upsert: the pure report
 * (cli/drift-report.ts: judge and renderReport, goldens) and the issue kept on a stubbed
 * GitHub API on 127.0.0.1 (github-stub.ts), in-process and through the real CLI: one issue
 * by the bot with the marker is opened, updated with a dated log of each night, or closed;
 * a transient failure is logged without overwriting it; nobody else's issue is touched.
 */

const GOLDEN = join(import.meta.dirname, "golden");
const person = { login: "mallory", type: "User" };

// Changes as `plan --format json` writes them (docs/plan-format.md), with and without liveSince.
const common = { risk: "normal" as const, gained: [], lost: [], reason: "drift" };
const bobPromoted: Change = {
  ...common,
  key: "updateMember:bob@acme.io",
  kind: "updateMember",
  phase: "demotions",
  email: "bob@acme.io",
  memberId: "mem_b",
  version: 2,
  before: { role: "account-admin", permissions: [] },
  after: { role: "developer", permissions: [] },
  liveSince: { eventId: "evt_7", action: "member.updated", actor: "alice@acme.io", at: "2026-11-29T10:02:13.000Z", requestId: "req-7", client: "dashboard" },
};
const walkIn: Change = {
  ...common,
  key: "revokeInvitation:walk-in@acme.io",
  kind: "revokeInvitation",
  phase: "removals",
  email: "walk-in@acme.io",
  invitationId: "inv_w",
  version: 1,
  before: { role: "developer", permissions: ["domains:manage"] },
  after: null,
  liveSince: { eventId: "evt_8", action: "invitation.created", actor: "ops@acme.io", at: "2026-11-29T11:00:00.000Z", requestId: "req-8", client: "antryk-access", clientVersion: "0.1.0" },
};
const carolGone: Change = { ...common, key: "inviteMember:carol@acme.io", kind: "inviteMember", phase: "grants", email: "carol@acme.io", before: null, after: { role: "developer", permissions: [] } };
const entry = (c: Change) => ({ key: c.key, kind: c.kind, phase: c.phase, email: "email" in c ? c.email : undefined });
const run = { workspace: "acme-prod", url: "https://github.com/acme/access/actions/runs/42", mode: "correct" };

/** planOf is a whole plan (as plan --format json prints it) of `changes`, blocked by `violations`. */
function planOf(changes: Change[], violations: SafetyViolation[] = []): Plan {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    planId: "p-1",
    workspace: "acme-prod",
    target: "http://127.0.0.1:1",
    accessFile: { path: "access.yaml", sha256: "0".repeat(64) },
    mode: "authoritative",
    liveDigest: "d",
    liveRevision: 1,
    caller: "founder@acme.io",
    changes,
    warnings: [],
    violations,
    summary: summarize(changes),
  };
}
const report = (over: Partial<ApplyReport> = {}): ApplyReport => ({ planId: "p-1", applied: [], failed: [], skipped: [], notAttempted: [], verification: { status: "verified" }, ...over });

describe("judge", () => {
  const plan = planOf([bobPromoted]);
  const blockedPlan = planOf([walkIn], [{ rail: "maxRemovals", message: "1 removal, more than maxRemovals 0", override: "raise safety.maxRemovals" }]);
  const applied = report({ applied: [entry(bobPromoted)] });
  it.each<[string, string, Omit<RunFiles, "planErr" | "applyErr"> & { err: string }]>([
    ["detect, exit 0", "clean", { stage: "detect", exit: "0", plan, apply: null, err: "" }],
    ["detect, exit 2", "drift", { stage: "detect", exit: "2", plan, apply: null, err: "" }],
    ["detect, exit 1 with violations", "blocked", { stage: "detect", exit: "1", plan: blockedPlan, apply: null, err: "error: the plan is blocked by 1 safety rail" }],
    ["detect, exit 1 without a plan (bad token)", "error", { stage: "detect", exit: "1", plan: null, apply: null, err: "error: 401 unauthorized" }],
    ["detect, exit 137", "error", { stage: "detect", exit: "137", plan: null, apply: null, err: "" }],
    ["correct, exit 2", "corrected", { stage: "correct", exit: "2", plan, apply: applied, err: "" }],
    ["correct, exit 0", "clean", { stage: "correct", exit: "0", plan, apply: report(), err: "" }],
    ["correct, exit 1 blocked (apply prints no report)", "blocked", { stage: "correct", exit: "1", plan: blockedPlan, apply: null, err: "error: the plan is blocked by 1 safety rail; nothing was changed" }],
    ["correct, exit 1 blocked, the plan unreadable", "blocked", { stage: "correct", exit: "1", plan: null, apply: null, err: "error: the plan is blocked by 1 safety rail; nothing was changed" }],
    ["correct, exit 1 with a report (a change failed)", "failed", { stage: "correct", exit: "1", plan, apply: report({ failed: [{ ...entry(bobPromoted), error: { status: 412, code: "x", message: "412" } }] }), err: "" }],
    ["correct, exit 1 with nothing (unreachable)", "error", { stage: "correct", exit: "1", plan: null, apply: null, err: "error: connect ECONNREFUSED" }],
  ])("%s → %s", (_name, status, r) => {
    const outcome = judge({ stage: r.stage, exit: r.exit, plan: r.plan, planErr: r.stage === "detect" ? r.err : "", apply: r.apply, applyErr: r.stage === "correct" ? r.err : "" });
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
    const eve = { eventId: "e", action: "member.updated" as const, actor: "eve@acme.io", at: "t", requestId: "r", client: "api" as const };
    const body = renderReport({ status: "corrected", applied: [{ ...entry(bobPromoted), liveSince: null }, { ...entry(walkIn), liveSince: eve }], plan: [bobPromoted, walkIn] }, run);
    expect(body).toContain("`bob@acme.io`: `account-admin` → `developer` (no access-history event explains the live value)");
    expect(body).toContain("changed by `eve@acme.io` through the API");
  });

  it("corrected: a change made for another manager is called a fight between tools, not a hand edit", () => {
    const stack = "pulumi:infra/prod/urn:pulumi:prod::infra::antryk:index:Member::bob";
    const since = { eventId: "e", action: "member.updated" as const, actor: "ops@acme.io", at: "t", requestId: "r", client: "antryk-access" as const, manager: stack, otherManager: true };
    const body = renderReport({ status: "corrected", applied: [{ ...entry(bobPromoted), liveSince: since }], plan: [bobPromoted] }, run);
    expect(body).toContain(`for another manager, \`${stack}\`: a fight between tools, not a hand edit`);
    const { manager: _m, otherManager: _o, ...hand } = since;
    expect(renderReport({ status: "corrected", applied: [{ ...entry(bobPromoted), liveSince: hand }], plan: [bobPromoted] }, run)).not.toContain("fight");
  });

  it("blocked: says nothing was changed, and why (every rail with its override)", () => {
    const body = renderReport({ status: "blocked", violations: [{ rail: "maxRemovals", message: "1 removal, more than maxRemovals 0", override: "raise safety.maxRemovals" }], lines: [] }, run);
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
    expect(body).toContain("## Access drift in acme-prod: not corrected (detect mode)");
    expect(body).toContain("Nothing was changed (mode `detect`)");
    expect(body).toContain("- `bob@acme.io`: `account-admin` → `developer` — changed by `alice@acme.io`");
  });

  it("drift (correct mode): the issue says a correction waits for approval, before the correct job runs", () => {
    const body = renderReport({ status: "drift", changes: [bobPromoted] }, run);
    expect(body).toContain("## Access drift in acme-prod: a correction waits for approval");
    expect(body).toContain("A correction that puts it back is waiting for approval");
    expect(body).toContain("nothing was changed yet");
  });

  it("failed: what applied, what failed and why, the verification", () => {
    const r = report({ applied: [entry(walkIn)], failed: [{ ...entry(bobPromoted), error: { status: 412, code: "precondition", message: "412 precondition failed" } }], verification: { status: "differs", reason: "1 change left" } });
    const body = renderReport({ status: "failed", report: r, plan: [bobPromoted, walkIn], lines: [] }, run);
    expect(body).toContain("Applied:\n\n- `walk-in@acme.io`: invitation revoked");
    expect(body).toContain("Failed:\n\n- `bob@acme.io`: `account-admin` → `developer`: `412 precondition failed`");
    expect(body).toContain("Verification: `differs` (`1 change left`)");
  });

  it("workspace values cannot inject Markdown, HTML or mentions (rendered through a real GFM renderer)", () => {
    const evil: Change = { ...carolGone, key: "inviteMember:x", email: "a`|<img src=x>@team_`@x.io", liveSince: { eventId: "e", action: "invitation.created", actor: "@acme/admins <script>", at: "t", requestId: "r", client: "dashboard" } };
    const html = new MarkdownIt({ html: true }).render(renderReport({ status: "drift", changes: [evil] }, run));
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain("&lt;img src=x&gt;");
    expect(html).toContain("<code>@acme/admins &lt;script&gt;</code>");
  });

  it("a huge drift stays under GitHub's body limit and still links the run", () => {
    const many = Array.from({ length: 3000 }, (_, i): Change => ({ ...carolGone, key: `inviteMember:p${i}`, email: `person-${i}@acme.io` }));
    const body = renderReport({ status: "drift", changes: many }, run);
    expect(body.length).toBeLessThanOrEqual(60_000);
    expect(body).toContain("(cut: the full report is in the run's log)");
    expect(body.endsWith("[The run](https://github.com/acme/access/actions/runs/42)")).toBe(true);
  });
});

let github: GitHubStub;
beforeAll(async () => {
  github = await startGitHubStub();
});
afterAll(async () => github.close());
afterEach(() => {
  github.issues.splice(0);
  github.calls.splice(0);
});

const issue = (number: number, body: string, user = BOT_USER, extra: Partial<StubIssue> = {}): StubIssue => ({ number, title: "old", body, state: "open", user, comments: [], ...extra });
const update: IssueUpdate = { title: "Access drift in acme-prod: corrected", body: `${MARKER}\nreport`, date: "2026-12-08", transient: false };

describe("upsertIssue keeps one issue, by marker AND author", () => {
  it.each<[string, StubIssue[], IssueUpdate, string[]]>([
    ["none open, drift: opens one", [], update, ["POST /issues"]],
    ["its own open issue, drift: logs the night as a dated comment, then updates it", [issue(4, `${MARKER}\nold`)], update, ["POST /issues/4/comments", "PATCH /issues/4"]],
    ["its own open issue, a transient failure: logged, the body and title kept", [issue(4, `${MARKER}\nold`)], { ...update, transient: true }, ["POST /issues/4/comments"]],
    ["its own open issue, no drift: comments and closes it", [issue(4, `${MARKER}\nold`)], { closeWith: "No drift." }, ["POST /issues/4/comments", "PATCH /issues/4"]],
    ["none open, no drift: does nothing", [], { closeWith: "No drift." }, []],
    ["someone else's issue with the marker, drift: untouched, opens its own", [issue(5, `${MARKER}\nfake`, person)], update, ["POST /issues"]],
    ["someone else's issue with the marker, no drift: untouched", [issue(5, `${MARKER}\nfake`, person)], { closeWith: "No drift." }, []],
    ["a bot issue without the marker: untouched", [issue(6, "another bot note")], update, ["POST /issues"]],
    ["a bot pull request with the marker: untouched", [issue(7, `${MARKER}\npr`, BOT_USER, { pull_request: {} })], update, ["POST /issues"]],
    ["a bot login from a user account (type User): untouched", [issue(8, `${MARKER}\nx`, { login: BOT_USER.login, type: "User" })], { closeWith: "No drift." }, []],
  ])("%s", async (_name, open, what, expected) => {
    github.issues.push(...open);
    await upsertIssue(gitHubApi("test", github.env()), BOT_USER.login, what);
    expect(github.calls.filter((c) => !c.startsWith("GET")).map((c) => c.replace(" /repos/acme/access/", " /"))).toEqual(expected);
  });

  it("keeps a dated log: each night is a comment, a transient failure does not overwrite the last real report", async () => {
    github.issues.push(issue(4, `${MARKER}\nold`));
    const api = gitHubApi("test", github.env());
    await upsertIssue(api, BOT_USER.login, update);
    await upsertIssue(api, BOT_USER.login, { title: "Access drift check for acme-prod failed", body: `${MARKER}\nECONNREFUSED`, date: "2026-12-09", transient: true });
    const kept = github.issues[0]!;
    expect(kept.title).toBe("Access drift in acme-prod: corrected");
    expect(kept.body).toBe(`${MARKER}\nreport`);
    expect(kept.comments.map((c) => c.body)).toEqual([
      "### 2026-12-08: Access drift in acme-prod: corrected\n\nreport",
      "### 2026-12-09: Access drift check for acme-prod failed (the issue above is unchanged)\n\nECONNREFUSED",
    ]);
  });
});

describe("ci drift-issue, the real CLI: reads the run's files", () => {
  beforeAll(() => assertBuilt());
  const cli = (cwd: string, args: string[]) => runCli(["ci", "drift-issue", ...args], { cwd, env: { ...github.env(), GITHUB_RUN_ID: "42" } });

  it("a blocked plan (exit 1, the plan's violations): opens the issue saying why", async () => {
    const cwd = await tempDir();
    await writeFile(join(cwd, "plan.json"), JSON.stringify(planOf([walkIn], [{ rail: "maxRemovals", message: "over the limit" }])));
    await writeFile(join(cwd, "plan.err"), "error: the plan is blocked by 1 safety rail; nothing was changed\n");
    const r = await cli(cwd, ["--stage", "detect", "--exit", "1"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("antryk-access drift issue: opened #1\n");
    expect(github.issues[0]!.title).toBe("Access drift in acme-prod: correction blocked by a safety rail");
    expect(github.issues[0]!.body).toContain("- `maxRemovals`: `over the limit`");
    expect(r.stdout + r.stderr).not.toContain(github.token);
  });

  it("a corrected run joins apply.json with plan.json by key for the details and the authors", async () => {
    const cwd = await tempDir();
    github.issues.push(issue(3, `${MARKER}\nold`));
    await writeFile(join(cwd, "plan.json"), JSON.stringify(planOf([bobPromoted])));
    await writeFile(join(cwd, "apply.json"), JSON.stringify({ ...report({ applied: [entry(bobPromoted)] }), target: "http://x" }));
    const r = await cli(cwd, ["--stage", "correct", "--exit", "2"]);
    expect(r.stdout, r.stderr).toBe("antryk-access drift issue: updated #3\n");
    expect(github.issues[0]!.body).toContain("`bob@acme.io`: `account-admin` → `developer` — changed by `alice@acme.io` through the dashboard");
    expect(github.issues[0]!.comments[0]!.body).toMatch(/^### \d{4}-\d\d-\d\d: Access drift in acme-prod: corrected\n/);
  });

  it("a report of the wrong shape is not trusted: the run is logged as an error naming the field", async () => {
    const cwd = await tempDir();
    github.issues.push(issue(3, `${MARKER}\nold`));
    await writeFile(join(cwd, "plan.json"), JSON.stringify({ workspace: "acme-prod", changes: [{ kind: "inviteMember" }] }));
    const r = await cli(cwd, ["--stage", "detect", "--exit", "2"]);
    expect(r.stdout, r.stderr).toBe("antryk-access drift issue: updated #3\n");
    expect(github.issues[0]!.title).toBe("Access drift in the workspace: a correction waits for approval");
    const none = await tempDir();
    await writeFile(join(none, "plan.json"), JSON.stringify({ workspace: "acme-prod", changes: [{ kind: "inviteMember" }] }));
    expect((await cli(none, ["--stage", "detect", "--exit", "1"])).stdout).toBe("antryk-access drift issue: logged on #3\n");
    expect(github.issues[0]!.comments.at(-1)!.body).toContain("plan.json is not a saved plan: formatVersion");
  });

  it("a clean run closes the open issue with a comment linking the run", async () => {
    const cwd = await tempDir();
    github.issues.push(issue(3, `${MARKER}\nold`));
    await writeFile(join(cwd, "plan.json"), JSON.stringify(planOf([])));
    const r = await cli(cwd, ["--stage", "detect", "--exit", "0"]);
    expect(r.stdout, r.stderr).toBe("antryk-access drift issue: closed #3\n");
    expect(github.issues[0]!.state).toBe("closed");
    expect(github.issues[0]!.comments.map((c) => c.body)).toEqual(["No drift: `acme-prod` matches access.yaml again. [The run](https://github.com/acme/access/actions/runs/42)"]);
  });
});
