import { describe, expect, it } from "vitest";
import { describeError, type ErrorStyle } from "../../describe-error.js";
import { AccessError, ApiError, ConfigError, ProviderError, SafetyError, StalePlanError } from "../../errors.js";
import type { Diagnostic } from "../../schema/diagnostics.js";
import { describeCliError } from "../../cli/errors.js";
import { describeProviderError } from "../../provider/errors.js";

const request = { method: "GET", path: "/v1/workspaces/acme" };

describe("ApiError takes named fields", () => {
  it("carries each field under its name, and the cause", () => {
    const cause = new Error("socket hang up");
    const err = new ApiError({ message: "gone", status: 404, code: "not_found", request, details: { id: "m_1" }, cause });
    expect(err).toBeInstanceOf(AccessError);
    expect({ message: err.message, status: err.status, code: err.code, request: err.request, details: err.details, cause: err.cause, name: err.name }).toEqual({
      message: "gone",
      status: 404,
      code: "not_found",
      request,
      details: { id: "m_1" },
      cause,
      name: "ApiError",
    });
  });

  it("has no cause when none is given", () => {
    expect("cause" in new ApiError({ message: "down", status: 0, code: "network_error", request })).toBe(false);
  });
});

describe("describeError: one rendering, a style per front door", () => {
  const style: ErrorStyle = { prefix: "E: ", diagnostic: (d) => `D ${d.code}`, tokenHint: "HINT", stack: false };
  const diagnostic: Diagnostic = { severity: "error", code: "unknown-permission", message: "no such permission", file: "access.yaml", line: 3, column: 5, path: ["members", 0, "permissions", 0] };
  const bug = new TypeError("x is undefined");
  it.each<[string, unknown, string[]]>([
    ["a config error: its findings, then its message", new ConfigError("access.yaml is invalid", [diagnostic]), ["D unknown-permission", "E: access.yaml is invalid"]],
    ["a safety error: its message, then each rail", new SafetyError("blocked", [{ rail: "minAdmins", message: "too few", override: "--x" }]), ["E: blocked", "  minAdmins: too few (override: --x)"]],
    ["a 401: the token hint", new ApiError({ message: "bad token", status: 401, code: "unauthorized", request }), ["E: bad token; check HINT"]],
    ["a 401 access_expired: no token hint", new ApiError({ message: "the access of eve@contractor.dev ended at 2027-02-01T00:00:00.000Z", status: 401, code: "access_expired", request }), ["E: the access of eve@contractor.dev ended at 2027-02-01T00:00:00.000Z; an admin can extend it (expires in access.yaml)"]],
    ["another API error", new ApiError({ message: "nope", status: 403, code: "forbidden", request }), ["E: nope"]],
    ["a stale plan", new StalePlanError("stale", "a", "b"), ["E: stale"]],
    ["a bug: said to be one, without frames when the style says so", bug, ["internal error (a bug in antryk-access, please report it): x is undefined"]],
    ["a thrown string", "boom", ["internal error (a bug in antryk-access, please report it): boom"]],
  ])("%s", (_name, err, lines) => {
    expect(describeError(err, style)).toEqual(lines);
  });

  it("the CLI and the provider say the same thing, each in its own style", () => {
    const err = new ApiError({ message: "bad token", status: 401, code: "unauthorized", request });
    expect(describeCliError(err)).toEqual(["error: bad token; check the token (ANTRYK_TOKEN or --token-file)"]);
    expect(describeProviderError(err)).toEqual(["bad token; check the token this resource uses (antryk:token, its tokenConfig, or ANTRYK_TOKEN)"]);
    expect(describeCliError(bug)[0]).toContain("    at ");
    expect(describeProviderError(bug)[0]).not.toContain("    at ");
  });
});

describe("ProviderError lives with the typed errors", () => {
  it("prints as its label and its message as its stack (no frames)", () => {
    const err = new ProviderError("two lines\nof text");
    expect(`${err}: ${err.stack}`).toBe("antryk-access: two lines\nof text");
  });
});
