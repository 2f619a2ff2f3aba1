import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkspace, wsPath, type TestWorkspace } from "./harness.js";

/** Every 400 validation_failed carries `details.reason` from the closed ValidationReason set, and `details.value` where one value is at fault. */

let ws: TestWorkspace;
let memberId: string;

beforeAll(async () => {
  ws = await startWorkspace();
  memberId = (await ws.addMember("dev@acme.io", "developer")).member.id;
});
afterAll(async () => {
  await ws.close();
});

describe("details.reason", () => {
  it.each([
    ["missing field", "POST", "/invitations", { role: "developer" }, "email", "required", undefined],
    ["unknown field", "POST", "/invitations", { email: "a@acme.io", role: "developer", extra: 1 }, "extra", "unknown_field", undefined],
    ["wrong type", "POST", "/invitations", { email: 5, role: "developer" }, "email", "type", undefined],
    ["not an email", "POST", "/invitations", { email: "nope", role: "developer" }, "email", "not_email", undefined],
    ["unknown role", "POST", "/invitations", { email: "a@acme.io", role: "boss" }, "role", "unknown_role", "boss"],
    ["owner role", "POST", "/invitations", { email: "a@acme.io", role: "owner" }, "role", "owner_role", undefined],
    ["unknown permission", "POST", "/invitations", { email: "a@acme.io", role: "developer", permissions: ["logs:read", "x:y"] }, "permissions[1]", "unknown_permission", "x:y"],
    ["owner-only permission", "PATCH", "/members/:id", { permissions: ["billing:manage"] }, "permissions[0]", "owner_only", "billing:manage"],
    ["built-in role name", "PUT", "/roles/developer", { permissions: [] }, "name", "built_in_role", "developer"],
    ["bad role name", "PUT", "/roles/Bad_Name", { permissions: [] }, "name", "bad_role_name", "Bad_Name"],
    ["bad limit", "GET", "/members?limit=1e3", undefined, "limit", "not_integer", undefined],
    ["limit out of range", "GET", "/members?limit=1001", undefined, "limit", "out_of_range", undefined],
    ["bad cursor", "GET", "/members?cursor=zzz", undefined, "cursor", "bad_cursor", undefined],
    ["bad duration", "GET", "/members?inactiveFor=soon", undefined, "inactiveFor", "bad_duration", undefined],
    ["bad status", "GET", "/invitations?status=lost", undefined, "status", "bad_status", "lost"],
  ])("%s → %s", async (_name, method, path, body, field, reason, value) => {
    const answer = await ws.call(method, wsPath(path.replace(":id", memberId)), body === undefined ? {} : { body });
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
    expect(answer.body.error.code).toBe("validation_failed");
    expect(answer.body.error.details).toMatchObject({ field, reason, ...(value === undefined ? {} : { value }) });
  });
});
