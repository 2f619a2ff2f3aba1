import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiFailure, fieldSentence } from "../../server/dashboard/assets/api.js";
import { startWorkspace, wsPath, type TestWorkspace } from "../server/harness.js";

/**
 * The dashboard's field sentences decide on the server's `details.field` and
 * `details.reason`, not its message text: each real validation answer of the server,
 * with its message reworded, still gets the right sentence.
 */

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await startWorkspace();
});
afterAll(async () => {
  await ws.close();
});

describe("fieldSentence", () => {
  it.each([
    ["not an email", "POST", "/invitations", { email: "nope", role: "developer" }, "Enter a valid e-mail address, such as name@example.com."],
    ["unknown role", "POST", "/invitations", { email: "a@acme.io", role: "boss" }, "That role no longer exists. Reload the page and pick another role."],
    ["owner role", "POST", "/invitations", { email: "a@acme.io", role: "owner" }, "The owner role cannot be given to anyone."],
    ["owner-only permission", "POST", "/invitations", { email: "a@acme.io", role: "developer", permissions: ["billing:manage"] }, "billing:manage belongs to the owner alone and cannot be given to anyone else."],
    ["unknown permission", "PUT", "/roles/ops", { permissions: ["x:y"] }, "x:y is not a permission this workspace knows. Reload the page to get the current list."],
    ["built-in role name", "PUT", "/roles/developer", { permissions: [] }, "That name belongs to a built-in role. Choose another name."],
    ["bad role name", "PUT", "/roles/Ops_Team", { permissions: [] }, "A role name uses lower-case letters, digits and dashes (2 to 63 characters) and starts with a letter."],
  ])("%s", async (_name, method, path, body, sentence) => {
    const answer = await ws.call(method, wsPath(path), { body });
    expect(answer.status).toBe(400);
    const { code, details } = answer.body.error;
    expect(fieldSentence(new ApiFailure(400, code, "(reworded by a later server version)", details))).toBe(sentence);
  });
});
