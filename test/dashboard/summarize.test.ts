import { describe, expect, it } from "vitest";
import { effective, liveRoleTable, toAccess } from "../../reconciler/permissions.js";
// The dashboard's browser modules are plain ES modules; these helpers touch no DOM.
import { summarize } from "../../server/dashboard/assets/changes.js";
import { matchesPerson } from "../../server/dashboard/assets/history.js";
import { diffPermissions, liveStatus, relative, ttlText } from "../../server/dashboard/assets/format.js";
import { effectivePermissions } from "../../server/dashboard/assets/impact.js";
import { canResend, canRevoke } from "../../server/dashboard/assets/invitations.js";

describe("access history summaries", () => {
  it.each([
    ["a role change", { role: "developer", version: 1 }, { role: "account-admin", version: 2 }, ["Role: developer → account-admin"]],
    ["grants gained and lost", { permissions: ["logs:read", "domains:manage"] }, { permissions: ["logs:read", "config:read"] }, ["Extra permissions: +config:read −domains:manage"]],
    ["a creation", null, { email: "a@b.io", role: "developer", id: "inv_1" }, ["E-mail: a@b.io", "Role: developer"]],
    ["a removal", { email: "a@b.io", role: "developer" }, null, ["E-mail was a@b.io", "Role was developer"]],
    ["readable names for bookkeeping-looking fields", { sendCount: 1, status: "expired" }, { sendCount: 2, status: "pending" }, ["Times sent: 1 → 2", "Status: expired → pending"]],
    ["a role's permissions are all it gives", { name: "qa", permissions: ["logs:read"] }, { name: "qa", permissions: [] }, ["Permissions: −logs:read"]],
    ["an invitation that became a member", { email: "a@b.io", status: "pending", sendCount: 1 }, { email: "a@b.io", role: "developer" }, ["Role: developer"]],
    ["bookkeeping only", { version: 1, effectivePermissions: ["logs:read"] }, { version: 2, effectivePermissions: [] }, []],
  ])("%s", (_name, before, after, expected) => {
    expect(summarize(before, after)).toEqual(expected);
  });
});

describe("permission helpers", () => {
  it("effective permissions are the engine's: the role's ∪ the extras, distinct, in catalog order, a built-in role from the catalog", () => {
    const roles = [{ name: "viewer", builtIn: true, permissions: [] }, { name: "qa", builtIn: false, permissions: ["logs:read", "billing:read"] }];
    expect(effectivePermissions(roles, "qa", ["zzz:x", "logs:read", "access:manage"])).toEqual(["billing:read", "access:manage", "logs:read", "zzz:x"]);
    expect(effectivePermissions(roles, "viewer", [])).toEqual(effective(toAccess("viewer", []), liveRoleTable([])));
    expect(effectivePermissions(roles, "gone", ["logs:read"])).toEqual(["logs:read"]);
  });
  it("diffs gained and lost permissions", () => {
    expect(diffPermissions(["logs:read", "config:read"], ["logs:read", "access:manage"])).toEqual({ gained: ["access:manage"], lost: ["config:read"] });
  });
});

describe("invitation actions by status", () => {
  it.each([
    ["pending", true, true],
    ["expired", true, true],
    ["accepted", false, false],
    ["revoked", false, false],
  ])("%s: resend %s, revoke %s", (status, resend, revoke) => {
    expect(canResend({ status })).toBe(resend);
    expect(canRevoke({ status })).toBe(revoke);
  });
});

describe("live status and relative times", () => {
  const now = Date.parse("2026-06-01T12:00:00Z");
  it.each([
    ["pending, not yet due", { status: "pending", expiresAt: "2026-06-01T12:00:01Z" }, "pending"],
    ["pending, due now", { status: "pending", expiresAt: "2026-06-01T12:00:00Z" }, "expired"],
    ["already expired", { status: "expired", expiresAt: "2026-06-09T12:00:00Z" }, "expired"],
    ["revoked stays revoked", { status: "revoked", expiresAt: "2026-05-01T12:00:00Z" }, "revoked"],
  ])("%s", (_name, invitation, expected) => {
    expect(liveStatus(invitation, now)).toBe(expected);
  });
  it.each([
    ["2026-06-07T12:30:00Z", "in 6 d"],
    ["2026-06-01T09:00:00Z", "3 h ago"],
    ["2026-06-01T12:00:30Z", "just now"],
    ["2026-06-01T12:05:00Z", "in 5 min"],
  ])("%s is %s", (iso, expected) => {
    expect(relative(iso, now)).toBe(expected);
  });
  it.each([
    [604_800, "7 days"],
    [3_600, "1 hour"],
    [90, "90 seconds"],
    [120, "2 minutes"],
  ])("a TTL of %i s reads %s", (seconds, expected) => {
    expect(ttlText(seconds)).toBe(expected);
  });
});

describe("the person filter of the access history", () => {
  const e = { actor: "founder@acme.io", target: "Heidi.Klum@acme.io" };
  it.each([
    ["heidi", true],
    ["FOUNDER", true],
    ["acme", true],
    ["bob", false],
    ["", true],
  ])("%s matches: %s", (needle, expected) => {
    expect(matchesPerson(e, needle)).toBe(expected);
  });
});

describe("access history client", () => {
  it.each([
    [{ client: "dashboard" }, "Dashboard"],
    [{ client: "antryk-access", clientVersion: "0.1.0" }, "antryk-access 0.1.0"],
    [{ client: "api" }, "API"],
    [{ client: "server" }, "Server"],
    [{ client: "unknown" }, "Unknown"],
    [{}, "Unknown"],
  ])("%o reads %s", async (event, want) => {
    const { clientText } = await import("../../server/dashboard/assets/history.js");
    expect(clientText(event as Parameters<typeof clientText>[0])).toBe(want);
  });
});
