import { describe, expect, it } from "vitest";
// The dashboard's browser modules are plain ES modules; these helpers touch no DOM.
import { summarize } from "../../server/dashboard/assets/history.js";
import { diffPermissions, sortByCatalog } from "../../server/dashboard/assets/format.js";
import { canResend, canRevoke } from "../../server/dashboard/assets/invitations.js";

describe("access history summaries", () => {
  it.each([
    ["a role change", { role: "developer", version: 1 }, { role: "account-admin", version: 2 }, ["role: developer → account-admin"]],
    ["grants gained and lost", { permissions: ["logs:read", "domains:manage"] }, { permissions: ["logs:read", "config:read"] }, ["permissions: +config:read −domains:manage"]],
    ["a creation", null, { email: "a@b.io", role: "developer", id: "inv_1" }, ["email: a@b.io", "role: developer"]],
    ["a removal", { email: "a@b.io", role: "developer" }, null, ["email was a@b.io", "role was developer"]],
    ["timestamps in UTC", { expiresAt: "2026-01-01T10:00:00.000Z" }, { expiresAt: "2026-01-08T10:00:00.000Z" }, ["expiresAt: 2026-01-01 10:00 UTC → 2026-01-08 10:00 UTC"]],
    ["bookkeeping only", { version: 1, effectivePermissions: ["logs:read"] }, { version: 2, effectivePermissions: [] }, []],
  ])("%s", (_name, before, after, expected) => {
    expect(summarize(before, after)).toEqual(expected);
  });
});

describe("permission helpers", () => {
  const catalog = [{ id: "billing:read" }, { id: "access:manage" }, { id: "logs:read" }];
  it("sorts by catalog order, unknown ids last", () => {
    expect(sortByCatalog(["zzz:x", "logs:read", "billing:read", "logs:read"], catalog)).toEqual(["billing:read", "logs:read", "zzz:x"]);
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
