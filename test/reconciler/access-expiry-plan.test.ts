import { describe, expect, it } from "vitest";
import { computePlan } from "../../reconciler/compute/index.js";
import { applyPlan } from "../../reconciler/apply/index.js";
import { renderAccessYaml, renderMarkdown, renderPlanYamlDiff, renderText } from "../../reconciler/render/index.js";
import { parseAccessText } from "../../schema/load.js";
import type { Member, Invitation } from "../../schema/api.js";
import type { Plan } from "../../reconciler/plan.js";
import type { DesiredState } from "../../schema/model.js";
import type { LiveState } from "../../reconciler/live-state.js";
import { desired, invitation, live, member, want } from "./factory.js";

/**
 * Time-bound access in the plan: the live `accessExpiresAt` of a member or an invitation
 * against the end of the file entry's `expires` day; a member the server reads as expired
 * is removed (docs/plan-format.md).
 */

const END = "2027-02-01T00:00:00.000Z"; // expires: 2027-01-31
const LATER = "2027-04-01T00:00:00.000Z"; // expires: 2027-03-31
const plan = (d: DesiredState, l: LiveState) => computePlan(d, l, { target: "http://127.0.0.1:1", planId: "plan-under-test", now: new Date("2027-01-01T00:00:00Z") });
const withExpiry = <T extends Member | Invitation>(x: T, accessExpiresAt: string | null, extra: Partial<T> = {}): T => ({ ...x, accessExpiresAt, ...extra });
const summary = (p: Plan) => p.changes.map((c) => [c.key, "accessExpiresAt" in c ? c.accessExpiresAt : undefined, c.reason]);

describe("time-bound access in the plan", () => {
  it.each<{ name: string; desired: DesiredState; live: LiveState; want: unknown[] }>([
    {
      name: "a new invitation carries the entry's expiry",
      desired: desired({ members: [want("eve@contractor.dev", "developer", [], { expires: "2027-01-31" })] }),
      live: live(),
      want: [["inviteMember:eve@contractor.dev", { before: null, after: END }, "not a member yet"]],
    },
    {
      name: "a new invitation without expires sets none",
      desired: desired({ members: [want("eve@contractor.dev")] }),
      live: live(),
      want: [["inviteMember:eve@contractor.dev", undefined, "not a member yet"]],
    },
    {
      name: "a member with the same expiry is left alone",
      desired: desired({ members: [want("eve@contractor.dev", "developer", [], { expires: "2027-01-31" })] }),
      live: live({ members: [withExpiry(member("eve@contractor.dev"), "2027-02-01T01:00:00+01:00")] }),
      want: [],
    },
    {
      name: "a member whose expiry differs is updated in place",
      desired: desired({ members: [want("eve@contractor.dev", "developer", [], { expires: "2027-03-31" })] }),
      live: live({ members: [withExpiry(member("eve@contractor.dev"), END)] }),
      want: [["updateMember:eve@contractor.dev", { before: END, after: LATER }, "differs from access.yaml"]],
    },
    {
      name: "a member given an expiry by hand loses it when the file has none",
      desired: desired({ members: [want("eve@contractor.dev")] }),
      live: live({ members: [withExpiry(member("eve@contractor.dev"), END)] }),
      want: [["updateMember:eve@contractor.dev", { before: END, after: null }, "differs from access.yaml"]],
    },
    {
      name: "a member from a server without time-bound access (no accessExpiresAt) is compared as before",
      desired: desired({ members: [want("eve@contractor.dev", "developer", [], { expires: "2027-01-31" })] }),
      live: live({ members: [member("eve@contractor.dev")] }),
      want: [],
    },
    {
      name: "a member the server reads as expired, with the file's expiry, is removed",
      desired: desired({ mode: "additive", members: [want("eve@contractor.dev", "developer", [], { expires: "2027-01-31" })] }),
      live: live({ members: [withExpiry(member("eve@contractor.dev"), END, { status: "expired" })] }),
      want: [["removeMember:eve@contractor.dev", undefined, "access ended 2027-01-31 (the server refuses its tokens)"]],
    },
    {
      name: "a member the server reads as expired is extended when the file moved its date",
      desired: desired({ members: [want("eve@contractor.dev", "developer", [], { expires: "2027-03-31" })] }),
      live: live({ members: [withExpiry(member("eve@contractor.dev"), END, { status: "expired" })] }),
      want: [["updateMember:eve@contractor.dev", { before: END, after: LATER }, "differs from access.yaml"]],
    },
    {
      name: "a pending invitation whose expiry differs is updated in place",
      desired: desired({ members: [want("eve@contractor.dev", "developer", [], { expires: "2027-03-31" })] }),
      live: live({ invitations: [withExpiry(invitation("eve@contractor.dev"), null)] }),
      want: [["updateInvitation:eve@contractor.dev", { before: null, after: LATER }, "differs from access.yaml"]],
    },
    {
      name: "an expired invitation whose expiry differs gets a fresh one",
      desired: desired({ members: [want("eve@contractor.dev", "developer", [], { expires: "2027-03-31" })] }),
      live: live({ invitations: [withExpiry(invitation("eve@contractor.dev", "developer", { status: "expired" }), END)] }),
      want: [["inviteMember:eve@contractor.dev", { before: null, after: LATER }, "previous invitation expired with another role, grants or access expiry"]],
    },
  ])("$name", ({ desired: d, live: l, want: expected }) => {
    expect(summary(plan(d, l))).toEqual(expected);
  });

  it("shows the expiry in text and Markdown", () => {
    const p = plan(
      desired({ members: [want("eve@contractor.dev", "developer", [], { expires: "2027-01-31" }), want("bob@acme.io")] }),
      live({ members: [withExpiry(member("bob@acme.io"), END)] }),
    );
    const text = renderText(p, { color: false });
    expect(text).toContain("eve@contractor.dev as developer, until 2027-01-31");
    expect(text).toContain("bob@acme.io: developer, access until 2027-01-31 → never");
    expect(renderMarkdown(p)).toMatch(/\| `bob@acme\.io` \| `developer`.*access until 2027-01-31 .*→.* never/);
  });

  it("sends accessExpiresAt in the requests apply makes", async () => {
    const p = plan(
      desired({ members: [want("eve@contractor.dev", "developer", [], { expires: "2027-01-31" }), want("bob@acme.io")] }),
      live({ members: [withExpiry(member("bob@acme.io"), END)] }),
    );
    const sent: unknown[] = [];
    const client = {
      createInvitation: async (_ws: string, body: unknown) => void sent.push(["create", body]),
      updateMember: async (_ws: string, _id: string, body: unknown) => void sent.push(["update", body]),
    };
    const result = await applyPlan(p, client as never);
    expect(result.failed).toEqual([]);
    expect(sent).toEqual([
      ["create", { email: "eve@contractor.dev", role: "developer", permissions: [], accessExpiresAt: END }],
      ["update", { role: "developer", permissions: [], accessExpiresAt: null }],
    ]);
  });

  it("export writes a live accessExpiresAt as expires and re-plans as no changes; an instant a date cannot say is a comment", () => {
    const state = live({
      members: [withExpiry(member("eve@contractor.dev"), "2099-02-01T00:00:00.000Z"), withExpiry(member("odd@acme.io"), "2099-02-01T10:30:00.000Z")],
      invitations: [withExpiry(invitation("cal@contractor.dev"), "2099-03-01T00:00:00.000Z")],
    });
    const text = renderAccessYaml(state);
    expect(text).toContain("  - email: eve@contractor.dev\n    role: developer\n    expires: 2099-01-31\n");
    expect(text).toContain("  - email: cal@contractor.dev\n    role: developer\n    expires: 2099-02-28\n");
    expect(text).toContain("  # access ends 2099-02-01 10:30 UTC on the server; an expires date cannot say that instant\n  - email: odd@acme.io\n    role: developer\n");
    const { desired } = parseAccessText(text, "exported.yaml");
    const replanned = computePlan(desired!, state, { target: "http://127.0.0.1:1" });
    expect(replanned.changes.map((c) => c.key)).toEqual(["updateMember:odd@acme.io"]);
  });

  it("the plan's YAML diff shows a moved expires", () => {
    const state = live({ members: [withExpiry(member("eve@contractor.dev"), "2099-02-01T00:00:00.000Z")] });
    const p = computePlan(desired({ members: [want("eve@contractor.dev", "developer", [], { expires: "2099-03-31" })] }), state, { target: "http://127.0.0.1:1" });
    const diff = renderPlanYamlDiff(p, state);
    expect(diff).toContain("-    expires: 2099-01-31");
    expect(diff).toContain("+    expires: 2099-03-31");
  });
});
