import { describe, expect, it } from "vitest";
import { computePlan } from "../../reconciler/compute/index.js";
import { deviations, observe, promiseOf } from "../../reconciler/predict.js";
import { renderMarkdown, renderText } from "../../reconciler/render/index.js";
import { desired, invitation, live, member, NO_LIMIT, want } from "./factory.js";

/**
 * The promised state (live + applied changes) and what verification calls a broken
 * promise, table by table: what the plan leaves alone, transfers, changes, the owner.
 */

const OWNER = "owner@acme.io";
const carol = member("carol@acme.io", "account-admin");
const sponsored = (email: string) => ({ ...invitation(email), invitedBy: "carol@acme.io", sponsor: "carol@acme.io" });
const before = live({ members: [member(OWNER, "owner"), carol], invitations: [sponsored("gina@acme.io"), sponsored("hank@acme.io")] });
const d = desired({ mode: "additive", safety: NO_LIMIT, members: [want("hank@acme.io")], expiredMembers: [want("carol@acme.io", "account-admin")] });
const plan = computePlan(d, before, { target: "http://127.0.0.1" });
const all = new Set(plan.changes.map((c) => c.key));

/** after builds what a re-read would find, from the promise with `edit` applied. */
function found(edit: (s: ReturnType<typeof observe>) => void) {
  const s = promiseOf(plan, before, all);
  const copy = { owner: s.owner, people: new Map([...s.people].map(([k, v]) => [k, { ...v }])), roles: new Map(s.roles) };
  edit(copy);
  return copy;
}

describe("promiseOf and deviations", () => {
  it("promises the additive leftovers and the listed invitations, transferred to the caller, and carol gone", () => {
    const p = promiseOf(plan, before, all);
    expect([...p.people.entries()].sort()).toEqual([
      ["gina@acme.io", { state: "open", access: { role: "developer", permissions: [] }, sponsor: OWNER }],
      ["hank@acme.io", { state: "open", access: { role: "developer", permissions: [] }, sponsor: OWNER }],
      [OWNER, { state: "active", access: { role: "owner", permissions: [] } }],
    ]);
  });

  it.each([
    ["everything as promised", () => undefined, []],
    ["an invitee accepted meanwhile", (s: ReturnType<typeof observe>) => void s.people.set("gina@acme.io", { state: "active", access: { role: "developer", permissions: [] } }), []],
    ["a left-alone invitation was revoked", (s: ReturnType<typeof observe>) => void s.people.delete("gina@acme.io"), ["gina@acme.io"]],
    ["a transferred invitation kept its old sponsor", (s: ReturnType<typeof observe>) => void (s.people.get("hank@acme.io")!.sponsor = "carol@acme.io"), ["hank@acme.io"]],
    ["someone unexpected is a member", (s: ReturnType<typeof observe>) => void s.people.set("zed@acme.io", { state: "active", access: { role: "developer", permissions: [] } }), ["zed@acme.io"]],
    ["the owner changed", (s: ReturnType<typeof observe>) => void (s.owner = "someone@acme.io"), ["someone@acme.io"]],
    ["a role appeared", (s: ReturnType<typeof observe>) => void s.roles.set("qa", { description: "", permissions: ["logs:read"] }), ["qa"]],
  ])("%s", (_name, edit, subjects) => {
    expect(deviations(promiseOf(plan, before, all), found(edit)).map((x) => x.subject)).toEqual(subjects);
  });

  it("a change that did not apply is not promised", () => {
    const p = promiseOf(plan, before, new Set());
    expect(p.people.get("carol@acme.io")?.state).toBe("active");
    expect(p.people.get("gina@acme.io")?.sponsor).toBe("carol@acme.io");
  });
});

describe("the plan shows each decision", () => {
  const q = (v: string, md: boolean) => (md ? `\`${v}\`` : v);
  it.each([
    ["text", false, () => renderText(plan, { color: false })],
    ["markdown", true, () => renderMarkdown(plan)],
  ])("%s names each invitation, who sponsors it, and why it is transferred", (_name, md, render) => {
    const out = render();
    expect(out).toContain(`invitation of ${q("gina@acme.io", md)} (sponsored by ${q("carol@acme.io", md)}): transferred to the caller, additive mode leaves it alone`);
    expect(out).toContain(`invitation of ${q("hank@acme.io", md)} (sponsored by ${q("carol@acme.io", md)}): transferred to the caller, ${q("access.yaml", md)} lists it`);
  });
});
