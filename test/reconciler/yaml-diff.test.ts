import { describe, expect, it } from "vitest";
import { renderMarkdown, renderPlanYamlDiff } from "../../reconciler/render/index.js";
import { desired, live, member, role, want, wantRole } from "./factory.js";
import { expectGolden } from "./golden.js";
import { converged, large, planOf, SCENARIOS, small, type Scenario } from "./scenarios.js";

/** changedLines are the diff's added and removed lines, without the file headers. */
const changedLines = (diff: string) => diff.split("\n").filter((l) => /^[+-](?![+-]{2} )/.test(l));

describe("renderPlanYamlDiff", () => {
  it("is the access.yaml diff of what the plan does (golden)", () => {
    expectGolden("small.yaml.diff", renderPlanYamlDiff(planOf(small), small.live));
  });

  it("is empty when the plan has no changes", () => {
    expect(renderPlanYamlDiff(planOf(converged), converged.live)).toBe("");
  });

  it.each(SCENARIOS)("$name: names every person and role the plan changes, and nobody else", (s: Scenario) => {
    const plan = planOf(s);
    const diff = renderPlanYamlDiff(plan, s.live);
    const subjects = new Set(plan.changes.map((c) => ("email" in c ? c.email : c.name)));
    for (const subject of subjects) expect(diff).toContain(subject);
    const mentioned = [...changedLines(diff).join("\n").matchAll(/email: (\S+)/g)].map((m) => m[1]);
    for (const email of mentioned) expect(subjects).toContain(email);
  });

  it("leaves out people the plan leaves alone: additive mode reports, it does not remove", () => {
    const s = {
      desired: desired({ mode: "additive", members: [want("alice@acme.io", "account-admin")] }),
      live: live({ members: [member("alice@acme.io", "developer"), member("carol@acme.io", "developer")] }),
    };
    const diff = renderPlanYamlDiff(planOf({ name: "additive", ...s }), s.live);
    expect(changedLines(diff)).toEqual(["-    role: developer", "+    role: account-admin"]);
  });

  it("shows a role's new permissions", () => {
    const s = {
      name: "role",
      desired: desired({ roles: [wantRole("qa", ["logs:read", "deployments:read"], "QA")], members: [want("q@acme.io", "qa")] }),
      live: live({ members: [member("q@acme.io", "qa")], roles: [role("qa", ["logs:read"], "QA")] }),
    };
    expect(changedLines(renderPlanYamlDiff(planOf(s), s.live))).toEqual(["-    permissions: [logs:read]", "+    permissions: [deployments:read, logs:read]"]);
  });
});

describe("renderMarkdown with the YAML diff", () => {
  it("closes the comment with the diff folded in <details>, fenced longer than any backtick run in it", () => {
    const plan = planOf(small);
    const yamlDiff = `${renderPlanYamlDiff(plan, small.live)}+    description: "uses \`\`\` fences"\n`;
    const md = renderMarkdown(plan, { yamlDiff });
    const section = md.slice(md.indexOf("#### `access.yaml` diff"));
    expect(section).toMatch(/^#### `access\.yaml` diff\n\n<details>\n<summary>.*lines of diff\)<\/summary>\n\n````diff\n/);
    expect(section.trimEnd().endsWith("</details>")).toBe(true);
    expect(renderMarkdown(plan, { yamlDiff: "" })).toBe(renderMarkdown(plan));
  });

  it("leaves the diff out whole, and says so, when the comment is already full", () => {
    const plan = planOf(large);
    const md = renderMarkdown(plan, { yamlDiff: renderPlanYamlDiff(plan, large.live) });
    expect(md).not.toContain("diff\n\n<details>");
    expect(md).toMatch(/Not shown, for room: .*the YAML diff \([\d,]+ lines\)/);
  });
});
