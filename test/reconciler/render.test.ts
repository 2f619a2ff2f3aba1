import { describe, expect, it } from "vitest";
import { FOLD_AFTER, MARKDOWN_LIMIT, renderJson, renderMarkdown, renderMarkdownComments, renderText, renderYamlDiff } from "../../reconciler/render/index.js";
import { PLAN_FORMAT_VERSION, type Plan } from "../../reconciler/plan.js";
import { expectGolden } from "./golden.js";
import { blocked, converged, highRisk, large, planOf, SCENARIOS, small } from "./scenarios.js";

const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

describe("renderers (goldens)", () => {
  it.each(SCENARIOS)("text: $name", (s) => expectGolden(`${s.name}.txt`, renderText(planOf(s), { color: false })));
  it.each(SCENARIOS)("json: $name", (s) => expectGolden(`${s.name}.json`, renderJson(planOf(s))));
  it.each(SCENARIOS)("markdown: $name", (s) => expectGolden(`${s.name}.md`, renderMarkdown(planOf(s))));
  it("markdown: 500 changes", () => expectGolden("large.md", renderMarkdown(planOf(large))));
});

describe("renderText", () => {
  it("closes with the summary line, or says there are no changes", () => {
    expect(renderText(planOf(small), { color: false }).trimEnd().split("\n").at(-1)).toBe("Plan: 2 to invite, 1 to resend, 1 to update, 1 to remove, 1 role to create.");
    expect(renderText(planOf(converged), { color: false }).trimEnd().split("\n").at(-1)).toBe("No changes. The workspace matches access.yaml.");
  });

  it("prints each change once: the phases in apply order list what Review first did not, and count what it did", () => {
    const text = renderText(planOf(highRisk), { color: false });
    const headings = text.split("\n").filter((l) => /^[A-Z].*:$/.test(l));
    expect(headings).toEqual(["Review first (5 taking access away or high risk):", "Invitations and promotions (3 more under Review first):"]);
    const heads = text.split("\n").filter((l) => /^  [+~-] /.test(l));
    expect(heads.length).toBe(planOf(highRisk).changes.length);
    expect(new Set(heads).size).toBe(heads.length);
    expect(heads.at(-1)).not.toContain("[high risk]");
  });

  it("a blocked plan never says No changes, even with nothing to change", () => {
    const plan = { ...planOf(blocked), changes: [], summary: planOf(converged).summary };
    const text = renderText(plan, { color: false });
    expect(text).not.toContain("No changes");
    expect(text.trimEnd().split("\n").at(-1)).toMatch(/^Blocked: \d+ safety rail violations?; nothing will be changed\.$/);
  });

  it("uses ANSI colour only when asked, and the words are the same either way", () => {
    const plain = renderText(planOf(small), { color: false });
    const coloured = renderText(planOf(small), { color: true });
    expect(plain).not.toMatch(/\x1b\[/);
    expect(coloured).toMatch(/\x1b\[32m\+ invite/);
    expect(stripAnsi(coloured)).toBe(plain);
  });

  it("a blocked plan names each rail and its override, and says nothing will change", () => {
    const text = renderText(planOf(blocked), { color: false });
    expect(text).toContain("Blocked by safety rails:");
    expect(text).toContain("override: lower safety.minAdmins");
    expect(text).toContain("Do it in two steps: apply a file that invites the new admin and let them accept");
    expect(text.trimEnd().split("\n").at(-1)).toMatch(/^Blocked: \d+ safety rail violations; nothing will be changed\.$/);
  });
});

describe("renderJson", () => {
  it("round-trips to the same plan, with formatVersion first and a stable key order", () => {
    const plan = planOf(small);
    const json = renderJson(plan);
    expect(JSON.parse(json)).toEqual(plan);
    expect(Object.keys(JSON.parse(json))).toEqual(["formatVersion", "planId", "workspace", "target", "accessFile", "mode", "liveDigest", "liveRevision", "caller", "summary", "changes", "warnings", "violations"]);
    expect(JSON.parse(json).formatVersion).toBe(PLAN_FORMAT_VERSION);
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reverseKeys) : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)])) : v;
    const shuffled = reverseKeys(plan) as Plan;
    expect(JSON.stringify(shuffled)).not.toBe(JSON.stringify(plan));
    expect(renderJson(shuffled)).toBe(json);
  });
});

describe("renderMarkdown", () => {
  it("folds the changes in <details> past 50 changes, and not below", () => {
    expect(planOf(small).changes.length).toBeLessThanOrEqual(FOLD_AFTER);
    expect(renderMarkdown(planOf(small))).not.toContain("<details>");
    expect(renderMarkdown(planOf(large))).toContain("<details>");
  });

  it("stays under 60,000 characters and says what was cut", () => {
    const plan = planOf(large);
    expect(plan.changes).toHaveLength(500);
    const md = renderMarkdown(plan);
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(md).toMatch(/Not shown, for room: [\d,]+ low-risk gains \(invitations, resends, promotions\)/);
    expect(md).toContain("</details>");
  });

  it("keeps under the limit whatever the plan holds (10,000 warnings, 2,000 changes)", () => {
    const plan = planOf(large);
    const huge: Plan = {
      ...plan,
      changes: Array.from({ length: 4 }, () => plan.changes).flat(),
      warnings: Array.from({ length: 10_000 }, (_, i) => ({ code: "unmanaged-member", email: `x${i}@acme.io`, message: `x${i}@acme.io is a member but not in access.yaml; additive mode leaves it alone` })),
    };
    const comments = renderMarkdownComments(huge);
    for (const c of comments) expect(c.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(comments.at(-1)).toMatch(/Not shown, for room: [\d,]+ warnings, [\d,]+ low-risk gains \(invitations, resends, promotions\)/);
  });

  it("escapes table-breaking characters coming from the data", () => {
    const plan = planOf(small);
    const tricky: Plan = { ...plan, changes: plan.changes.map((c) => ({ ...c, reason: "a | b <script>" })) };
    const md = renderMarkdown(tricky);
    expect(md).toContain("a `\\|` b `<script>`");
    expect(md).not.toMatch(/(^|[^`])<script>/);
  });
});

describe("renderYamlDiff", () => {
  it("is a unified diff from the live file to access.yaml, empty when equal", () => {
    const live = "version: 1\nmembers:\n  - email: a@acme.io\n    role: developer\n";
    const want = "version: 1\nmembers:\n  - email: a@acme.io\n    role: account-admin\n";
    expect(renderYamlDiff(live, live)).toBe("");
    const diff = renderYamlDiff(live, want);
    expect(diff).toContain("--- live (exported)");
    expect(diff).toContain("+++ access.yaml");
    expect(diff).toContain("-    role: developer\n+    role: account-admin");
  });
});

describe("a plan against the embedded local workspace says so in every rendering", () => {
  const local = { ...planOf(small), target: "embedded:.antryk/workspace.db" };
  it("text: the line after the header", () => {
    expect(renderText(local, { color: false }).split("\n")[1]).toBe(
      "LOCAL: this plan is against the embedded local workspace, a SQLite file on this machine, not a real Antryk workspace.",
    );
    expect(renderText(planOf(small), { color: false })).not.toContain("LOCAL:");
  });
  it("markdown: a warning under the summary, and the target in the header line", () => {
    const md = renderMarkdown(local);
    expect(md).toContain("> [!WARNING]\n> LOCAL: this plan is against the embedded local workspace");
    expect(md).toContain("target `embedded:.antryk/workspace.db`");
    expect(renderMarkdown(planOf(small))).not.toContain("LOCAL:");
  });
  it("json: the target", () => {
    expect((JSON.parse(renderJson(local)) as { target: string }).target).toBe("embedded:.antryk/workspace.db");
  });
});
