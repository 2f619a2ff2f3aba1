import { describe, expect, it } from "vitest";
import { compareText, sortPermissions } from "../../schema/order.js";

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
