import { describe, expect, it } from "vitest";
import { ApiError, ConfigError, SafetyError, StalePlanError } from "../../errors.js";
import type { ApplyResult } from "../../reconciler/apply/index.js";
import { skippedVerification, unreadableVerification } from "../../reconciler/guarantees/after-apply.js";
import { assertSavedFile, assertSavedPlanHolds, assertSavedTarget, type SavedPlanPlace } from "../../reconciler/guarantees/saved-plan.js";
import { assertSameChanges, blockedError, isBlocked } from "../../reconciler/guarantees/still-planned.js";
import { createPlan, type Change, type Plan, type SafetyViolation as Violation } from "../../reconciler/plan.js";
import { change } from "./plans.js";

// The engine's guarantees as pure functions: re-judging a saved plan, the still-planned
// checks, and whether verification reads the workspace back (reconciler/guarantees/).

const OWNER = "owner@acme.io";
const SHA = "a".repeat(64);

function plan(changes: Change[], extra: Partial<Plan> = {}): Plan {
  return { ...createPlan({ workspace: "acme", target: "http://127.0.0.1:1", mode: "authoritative", liveDigest: "d1", liveRevision: 1, caller: OWNER, changes, planId: "p1" }), ...extra };
}

const removeBob = change.removeMember({ id: "m2", email: "bob@acme.io", role: "developer", permissions: [], version: 1 } as never);
const removeOwner = change.removeMember({ id: "m1", email: "Owner@Acme.io", role: "account-admin", permissions: [], version: 1 } as never);
const invite = (email: string, role = "developer") => change.invite(email, role);
const result = (applied: Change[], notAttempted: ApplyResult["notAttempted"] = []): ApplyResult => ({
  applied: applied.map((c) => ({ key: c.key, kind: c.kind }) as ApplyResult["applied"][number]),
  failed: [],
  skipped: [],
  notAttempted,
});

describe("assertSameChanges", () => {
  it.each<{ name: string; reviewed: Change[]; now: Change[]; message: RegExp | null }>([
    { name: "the same changes", reviewed: [invite("a@acme.io")], now: [invite("a@acme.io")], message: null },
    { name: "the same changes with another liveSince", reviewed: [{ ...invite("a@acme.io"), liveSince: null }], now: [invite("a@acme.io")], message: null },
    { name: "a change dropped", reviewed: [invite("a@acme.io")], now: [], message: /inviteMember:a@acme\.io is in the plan shown but not in the plan computed now/ },
    { name: "a change added", reviewed: [], now: [invite("a@acme.io")], message: /inviteMember:a@acme\.io is in the plan computed now but not in the plan shown/ },
    { name: "a field changed", reviewed: [invite("a@acme.io")], now: [invite("a@acme.io", "viewer")], message: /after\.role is "developer" in the plan shown but "viewer" now/ },
    { name: "another order", reviewed: [invite("a@acme.io"), invite("b@acme.io")], now: [invite("b@acme.io"), invite("a@acme.io")], message: /lists its changes in another order/ },
  ])("$name", ({ reviewed, now, message }) => {
    const check = () => assertSameChanges(plan(reviewed), plan(now, { liveDigest: "d2" }), "the plan shown");
    if (message === null) return expect(check).not.toThrow();
    expect(check).toThrow(StalePlanError);
    expect(check).toThrow(message);
    expect(check).toThrow(/; nothing was changed, run plan again$/);
  });

  it("names at most 10 differences, then counts the rest, and names the saved plan's path", () => {
    const many = Array.from({ length: 13 }, (_, i) => invite(`p${String(i).padStart(2, "0")}@acme.io`));
    const check = () => assertSameChanges(plan(many), plan([]), "the saved plan", "plan.json");
    expect(check).toThrow(/^the saved plan plan\.json does not match the plan computed now from the same file and the workspace: /);
    expect(check).toThrow(/p09@acme\.io is in the saved plan but not in the plan computed now; and 3 more; nothing was changed/);
  });
});

describe("isBlocked and blockedError", () => {
  const violation = (rail: Violation["rail"], override?: string): Violation => ({ rail, message: `${rail} fired`, ...(override !== undefined ? { override } : {}) }) as Violation;
  it.each<{ violations: Violation[]; blocked: boolean; message?: string }>([
    { violations: [], blocked: false },
    { violations: [violation("maxRemovals", "raise safety.maxRemovals")], blocked: true, message: "the plan is blocked by 1 safety rail; nothing was changed" },
    { violations: [violation("self"), violation("owner")], blocked: true, message: "the plan is blocked by 2 safety rails; nothing was changed" },
  ])("$violations.length violations → blocked $blocked", ({ violations, blocked, message }) => {
    const p = plan([], { violations });
    expect(isBlocked(p)).toBe(blocked);
    if (message === undefined) return;
    const err = blockedError(p);
    expect(err).toBeInstanceOf(SafetyError);
    expect(err.message).toBe(message);
    expect(err.violations.map((v) => v.rail)).toEqual(violations.map((v) => v.rail));
    expect(err.violations[0]!.override).toBe(violations[0]!.override);
  });
});

describe("re-judging a saved plan", () => {
  const single: SavedPlanPlace = { kind: "plan", path: "plan.json" };
  const set: SavedPlanPlace = { kind: "set", path: "set.json" };
  const saved = { ...plan([invite("a@acme.io")]), accessFile: { path: "access.yaml", sha256: SHA } };

  it.each<{ name: string; place: SavedPlanPlace; now: { file: string; sha256: string; workspace: string }; error: (new (...a: never[]) => Error) | null; message?: string }>([
    { name: "unchanged", place: single, now: { file: "access.yaml", sha256: SHA, workspace: "acme" }, error: null },
    {
      name: "the file changed (saved plan)", place: single, now: { file: "access.yaml", sha256: "b".repeat(64), workspace: "acme" }, error: StalePlanError,
      message: "access.yaml changed since the saved plan plan.json was computed (sha256 aaaaaaaaaaaa… then, bbbbbbbbbbbb… now); nothing was changed, run plan again",
    },
    {
      name: "the file changed (saved set)", place: set, now: { file: "a/access.yaml", sha256: "b".repeat(64), workspace: "acme" }, error: StalePlanError,
      message: "a/access.yaml (or a library it imports) changed since the saved plan set set.json was computed (sha256 aaaaaaaaaaaa… then, bbbbbbbbbbbb… now); nothing was changed in any workspace, run plan again",
    },
    {
      name: "another workspace (saved plan)", place: single, now: { file: "x.yaml", sha256: SHA, workspace: "other" }, error: ConfigError,
      message: "the saved plan plan.json is for workspace acme, but x.yaml names other; nothing was changed",
    },
    {
      name: "another workspace (saved set)", place: set, now: { file: "x.yaml", sha256: SHA, workspace: "other" }, error: ConfigError,
      message: "the saved plan set set.json has a plan for workspace acme, but x.yaml names other; nothing was changed",
    },
  ])("assertSavedFile: $name", ({ place, now, error, message }) => {
    const check = () => assertSavedFile(saved, now, place);
    if (error === null) return expect(check).not.toThrow();
    expect(check).toThrow(error);
    expect(check).toThrow(message!);
  });

  it.each([
    { target: "http://127.0.0.1:1", message: null },
    { target: "https://api.example", message: "the saved plan set.json was computed against http://127.0.0.1:1, but this run targets https://api.example; nothing was changed" },
  ])("assertSavedTarget against $target", ({ target, message }) => {
    const check = () => assertSavedTarget(saved, target, set);
    if (message === null) return expect(check).not.toThrow();
    expect(check).toThrow(ConfigError);
    expect(check).toThrow(message);
  });

  it.each<{ name: string; digest: string; recomputed: Change[]; place: SavedPlanPlace; message: string | null }>([
    { name: "holds", digest: "d1", recomputed: [invite("a@acme.io")], place: single, message: null },
    { name: "the workspace moved", digest: "d2", recomputed: [invite("a@acme.io")], place: single, message: "the saved plan is stale: workspace acme changed since it was computed; nothing was changed, run plan again" },
    { name: "other changes now (saved plan)", digest: "d1", recomputed: [], place: single, message: "the saved plan plan.json does not match the plan computed now" },
    { name: "other changes now (saved set)", digest: "d1", recomputed: [], place: set, message: "the plan of acme in the saved plan set set.json does not match the plan computed now" },
  ])("assertSavedPlanHolds: $name", ({ digest, recomputed, place, message }) => {
    const check = () => assertSavedPlanHolds(saved, { live: { digest }, recomputed: plan(recomputed) }, place);
    if (message === null) return expect(check).not.toThrow();
    expect(check).toThrow(StalePlanError);
    expect(check).toThrow(message);
  });
});

describe("skippedVerification: when the workspace is not read back", () => {
  const target = "http://127.0.0.1:1";
  const sponsoring = { ...removeOwner, sponsored: [{ email: "x@acme.io", decision: "revoke" }] } as Change;
  it.each<{ name: string; changes: Change[]; applied: Change[]; interrupted: boolean; unreachable: boolean; cause: string | null; unchecked?: string[] }>([
    { name: "an ordinary apply is read back", changes: [invite("a@acme.io")], applied: [invite("a@acme.io")], interrupted: false, unreachable: false, cause: null },
    { name: "interrupted", changes: [invite("a@acme.io")], applied: [], interrupted: true, unreachable: false, cause: "interrupted" },
    { name: "the server stopped answering", changes: [invite("a@acme.io")], applied: [], interrupted: false, unreachable: true, cause: "unreachable" },
    { name: "another member removed", changes: [removeBob], applied: [removeBob], interrupted: false, unreachable: false, cause: null },
    { name: "the caller's removal planned but not applied", changes: [removeOwner], applied: [], interrupted: false, unreachable: false, cause: null },
    { name: "the caller removed itself (any case)", changes: [removeOwner], applied: [removeOwner], interrupted: false, unreachable: false, cause: "selfRemoved", unchecked: [] },
    { name: "the caller removed itself, sponsoring", changes: [sponsoring], applied: [sponsoring], interrupted: false, unreachable: false, cause: "selfRemoved", unchecked: ["the invitation of x@acme.io"] },
  ])("$name", ({ changes, applied, interrupted, unreachable, cause, unchecked }) => {
    const notAttempted = unreachable ? [{ key: changes[0]!.key, kind: changes[0]!.kind, reason: "unreachable" } as ApplyResult["notAttempted"][number]] : [];
    const verdict = skippedVerification(plan(changes), result(applied, notAttempted), { interrupted, target });
    if (cause === null) return expect(verdict).toBeNull();
    expect(verdict).toMatchObject({ status: "skipped", cause });
    if (cause === "unreachable") expect(verdict).toMatchObject({ reason: `${target} stopped answering` });
    if (unchecked !== undefined) expect(verdict).toMatchObject({ unchecked });
  });

  it("an API error reading back is unreadable, with its message", () => {
    const err = new ApiError({ message: "503 unavailable", status: 503, code: "unavailable", request: "GET /v1/workspaces/acme" } as never);
    expect(unreadableVerification(err)).toEqual({ status: "skipped", cause: "unreadable", reason: "the workspace could not be read back (503 unavailable)" });
  });
});
