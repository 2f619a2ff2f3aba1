import { describe, expect, it } from "vitest";
import type { Plan } from "../../reconciler/plan.js";
import { MARKDOWN_LIMIT, renderJson, renderSetJson, renderSetMarkdown, renderSetMarkdownComments, renderSetText, type WorkspaceOutcome } from "../../reconciler/render/index.js";
import { md, tableRows } from "./gfm.js";
import { expectGolden } from "./golden.js";
import { blocked, highRisk, large, planOf, small, type Scenario } from "./scenarios.js";

/**
 * Plan sets (several workspaces planned together): goldens of a three-workspace set as text,
 * JSON and Markdown; the Markdown through a real GFM renderer (tables keep their cells, the
 * folded sections are real <details>); the 60,000-character budget; review order across
 * workspaces; the JSON set round-trips each plan exactly as one plan's JSON.
 */

const as = (s: Scenario, workspace: string): Plan => ({ ...planOf(s), workspace, accessFile: { path: `access/${workspace}.yaml`, sha256: "0".repeat(64) } });
const outcome = (plan: Plan): WorkspaceOutcome => ({ workspace: plan.workspace, file: plan.accessFile!.path, plan });

const THREE: WorkspaceOutcome[] = [outcome(as(small, "acme-dev")), outcome(as(highRisk, "acme-prod")), outcome(as(blocked, "acme-staging"))];

describe("plan set renderers (goldens)", () => {
  it("text", () => expectGolden("plan-set-three.txt", renderSetText(THREE, { color: false })));
  it("json", () => expectGolden("plan-set-three.json", renderSetJson(THREE.map((o) => ("plan" in o ? o.plan : null)!))));
  it("markdown", () => expectGolden("plan-set-three.md", renderSetMarkdown(THREE)));
  it("markdown with a workspace that could not be planned", () =>
    expectGolden("plan-set-error.md", renderSetMarkdown([THREE[0]!, { workspace: "acme-qa", file: "access/qa.yaml", error: "401 unauthorized: the token is not valid" }])));
});

describe("renderSetJson", () => {
  it("is { formatVersion, plans } and each plan is exactly its own JSON", () => {
    const plans = THREE.map((o) => ("plan" in o ? o.plan : null)!);
    const set = JSON.parse(renderSetJson(plans)) as { formatVersion: number; plans: unknown[] };
    expect(Object.keys(set)).toEqual(["formatVersion", "workspaces", "plans"]);
    set.plans.forEach((p, i) => expect(`${JSON.stringify(p, null, 2)}\n`).toBe(renderJson(plans[i]!)));
  });
});

describe("a plan set with a workspace against the embedded local workspace", () => {
  it("says LOCAL in its first visible line, naming how many", () => {
    const local = { ...as(small, "acme-dev"), target: "embedded:.antryk/workspace.db" };
    const [first] = renderSetMarkdownComments([outcome(local), THREE[1]!]);
    const lines = first!.split("\n");
    expect(lines[0]).toMatch(/^<!-- antryk-access comment 1\/1 -->$/);
    expect(lines[1]).toBe("### antryk-access plan for 2 workspaces (LOCAL: 1 of 2)");
    expect(first).toContain("> LOCAL: the plans of acme-dev are against the embedded local workspace");
    expect(renderSetMarkdownComments(THREE)[0]!.split("\n")[1]).not.toContain("LOCAL");
  });
});

describe("renderSetMarkdown through a GFM renderer", () => {
  const text = renderSetMarkdown(THREE);

  it("the summary table has a row per workspace with its counts, and every row keeps its cells", () => {
    const tokens = md.parse(text, {});
    const rows = tableRows(tokens);
    expect(rows.length).toBeGreaterThan(2);
    rows.forEach(([cells, header], i) => expect(cells, `row ${i + 1}`).toBe(header));
    const html = md.render(text);
    expect(html).toContain("<th>Workspace</th>");
    expect(html).toMatch(/<td><code>acme-staging<\/code><\/td>[\s\S]*?<strong>blocked<\/strong>/);
    expect((html.match(/<details>/g) ?? []).length).toBeGreaterThanOrEqual(3);
  });

  it("review order runs across workspaces: every change to review first, in any workspace, before any section's gains", () => {
    const review = text.indexOf("#### Review first");
    const firstSection = text.indexOf("<details>");
    expect(review).toBeGreaterThan(0);
    expect(review).toBeLessThan(firstSection);
    const reviewTable = text.slice(review, firstSection);
    // The removal in acme-dev is listed above acme-prod's low-risk invitations (which only appear in its section).
    const rows = reviewTable.split("\n").filter((l) => l.startsWith("| `") && !l.includes("↳ holder"));
    const high = rows.map((r) => r.includes(":warning: **high risk**"));
    // High risk first, from whichever workspace; then removals, from whichever workspace.
    expect(high).toEqual([...high].sort((a, b) => Number(b) - Number(a)));
    expect(rows.filter((r) => !r.includes("high risk")).map((r) => r.split(" | ")[0])).toEqual(["| `acme-staging`", "| `acme-staging`", "| `acme-dev`"]);
    // No low-risk gain is listed among them.
    expect(rows.some((r) => r.includes("| + invite |"))).toBe(false);
  });

  it("a hostile workspace name and file path stay inert: in the table, the review rows and the <summary> line", () => {
    const hostile = "<img src=x onerror=alert(1)>|@org/admins #12 [x](javascript:alert(1))";
    const plan = { ...as(small, hostile), accessFile: { path: "a|b/<script>alert(1)</script>.yaml", sha256: "0".repeat(64) } };
    const out = renderSetMarkdown([outcome(plan), THREE[1]!]);
    const html = md.render(out);
    expect(html).not.toMatch(/<img|<script|href="javascript/i);
    expect(html).not.toMatch(/<a /);
    const tokens = md.parse(out, {});
    const rows = tableRows(tokens);
    expect(rows.length).toBeGreaterThan(2);
    rows.forEach(([cells, header], i) => expect(cells, `row ${i + 1}`).toBe(header));
    // Shown faithfully: the summary line carries the name, entity-escaped.
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("blocked workspaces come first among the sections", () => {
    const order = [...text.matchAll(/<summary><code>([a-z-]+)<\/code>/g)].map((m) => m[1]);
    expect(order[0]).toBe("acme-staging");
  });

  it("keeps each comment within 60,000 characters with three 500-change workspaces, each section whole or saying it is not shown", () => {
    const big = ["a", "b", "c"].map((w) => outcome(as(large, `acme-${w}`)));
    const comments = renderSetMarkdownComments(big);
    for (const c of comments) expect(c.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    const out = comments.join("");
    for (const w of ["a", "b", "c"]) expect(out).toContain(`<summary><code>acme-${w}</code>`);
    expect(out).toMatch(/gains, warnings and diff do not fit in the comment/);
  });

  it("keeps each comment within 60,000 characters with fifty workspaces, every workspace in the table", () => {
    const many = Array.from({ length: 50 }, (_, i) => outcome(as(large, `ws-${String(i).padStart(2, "0")}`)));
    const comments = renderSetMarkdownComments(many);
    for (const c of comments) expect(c.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(comments[0]!.match(/^\| `ws-\d\d` \| \d+ \|/gm)?.length).toBe(50);
  });
});
