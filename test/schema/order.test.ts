import { describe, expect, it } from "vitest";
import type { Invitation } from "../../schema/api.js";
import { compareDiagnostics, type Diagnostic } from "../../schema/diagnostics.js";
import { compareText, sortPermissions } from "../../schema/order.js";
import { pickInvitation } from "../../reconciler/invitations.js";

describe("sortPermissions: the one permission order", () => {
  it.each([
    ["catalog order, duplicates dropped", ["logs:read", "billing:read", "logs:read"], ["billing:read", "logs:read"]],
    ["unknown ids last", ["zzz:x", "logs:read"], ["logs:read", "zzz:x"]],
    // code points, as plans sort: a locale order would put "alpha:x" first
    ["unknown ids in code-point order, not a locale's", ["alpha:x", "Zeta:x", "é:x", "e:x"], ["Zeta:x", "alpha:x", "e:x", "é:x"]],
    ["one id", ["logs:read"], ["logs:read"]],
    ["none", [], []],
  ])("%s", (_name, given, expected) => {
    expect(sortPermissions(given)).toEqual(expected);
    expect(sortPermissions(new Set(given))).toEqual(expected);
  });

  it("compareText is code-point order", () => {
    expect(["b", "B", "a", "á"].sort(compareText)).toEqual(["B", "a", "b", "á"]);
  });
});

describe("every text order is compareText's", () => {
  it("diagnostics sort by file in code-point order", () => {
    const d = (file: string): Diagnostic => ({ severity: "error", code: "x", message: "m", file, line: 1, column: 1, path: [] });
    expect([d("b.yaml"), d("B.yaml"), d("a.yaml")].sort(compareDiagnostics).map((x) => x.file)).toEqual(["B.yaml", "a.yaml", "b.yaml"]);
  });

  it("of two invitations alike but for their id, the greater id in code-point order speaks for the email", () => {
    const inv = (id: string) => ({ id, status: "expired", createdAt: "2026-01-01T00:00:00Z", lastSentAt: "2026-01-01T00:00:00Z" }) as Invitation;
    expect(pickInvitation(inv("inv_a"), inv("inv_B")).id).toBe("inv_a");
    expect(pickInvitation(inv("inv_B"), inv("inv_a")).id).toBe("inv_a");
  });
});
