import { describe, expect, it } from "vitest";
import type { Change, LiveSince, Plan } from "../../reconciler/plan.js";
import { parsePlan } from "../../reconciler/plan-schema.js";
import { changeDifferences } from "../../reconciler/recheck.js";
import { renderJson, renderMarkdown, renderText } from "../../reconciler/render/index.js";
import { expectGolden } from "./golden.js";
import { planOf, small } from "./scenarios.js";

/** liveSince in the plan: rendered in text, Markdown and JSON, read back by parsePlan, and ignored by the saved-plan check. */

const EVENTS: LiveSince[] = [
  { eventId: "evt_1", action: "member.updated", actor: "alice@acme.io", at: "2026-11-29T10:02:13.000Z", requestId: "req-7", client: "dashboard" },
  { eventId: "evt_2", action: "invitation.created", actor: "founder@acme.io", at: "2026-11-28T08:00:00.000Z", requestId: "req-3", client: "antryk-access", clientVersion: "0.1.0" },
  { eventId: "evt_3", action: "role.created", actor: "ops@acme.io", at: "2026-11-27T17:45:00.000Z", requestId: "req-1", client: "api" },
];

/** attributed is the small scenario with a history event (or null: not found) behind each change. */
function attributed(): Plan {
  const plan = planOf(small);
  const changes: Change[] = plan.changes.map((c, i) => ({ ...c, liveSince: i === plan.changes.length - 1 ? null : (EVENTS[i % EVENTS.length] as LiveSince) }));
  return { ...plan, changes };
}

describe("liveSince", () => {
  it("text, Markdown and JSON show it (goldens)", () => {
    const plan = attributed();
    expectGolden("live-since.txt", renderText(plan, { color: false }));
    expectGolden("live-since.md", renderMarkdown(plan));
    expectGolden("live-since.json", renderJson(plan));
  });

  it("says who, through what and when, in the words of the issue", () => {
    const text = renderText(attributed(), { color: false });
    expect(text).toContain("live since: changed by alice@acme.io in the dashboard, 2026-11-29 10:02 UTC");
    expect(text).toContain("live since: invited by founder@acme.io with antryk-access 0.1.0, 2026-11-28 08:00 UTC");
    expect(text).toContain("live since: not found in the access history read");
  });

  it("an invitation of someone the history never saw says so plainly, not as a gap", () => {
    const plan = attributed();
    const invite = plan.changes.find((c) => c.kind === "inviteMember");
    expect(invite).toBeDefined();
    const unexplained = { ...plan, changes: plan.changes.map((c) => (c === invite ? { ...c, liveSince: null } : c)) };
    const text = renderText(unexplained, { color: false });
    expect(text).toContain(`+ invite ${invite!.kind === "inviteMember" ? invite!.email : ""}`);
    // The text plan names history only where there was earlier access (one line less per newcomer).
    expect(text).not.toContain("live since: no earlier access");
    expect(renderMarkdown(unexplained)).toContain("(invite): no earlier access in the history read");
  });

  it("a saved plan carrying it reads back as written", () => {
    const plan = attributed();
    expect(parsePlan(renderJson(plan), "plan.json")).toEqual(plan);
    const broken = renderJson(plan).replace('"client": "dashboard"', '"client": "telnet"');
    expect(() => parsePlan(broken, "plan.json")).toThrow(/liveSince\.client/);
  });

  it("the saved-plan check ignores it, and still sees every other field", () => {
    const reviewed = attributed().changes;
    const recomputed = planOf(small).changes;
    expect(changeDifferences(reviewed, recomputed)).toEqual([]);
    const edited = reviewed.map((c, i) => (i === 0 ? { ...c, reason: "edited" } : c));
    expect(changeDifferences(edited, recomputed)).toHaveLength(1);
  });
});
