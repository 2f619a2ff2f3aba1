import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkspace, wsPath, type TestWorkspace } from "./harness.js";

/**
 * The server applies the identity grammar (schema/identity.ts): the invisible characters
 * of the security review are refused in an invitation's address, and an address that
 * reads the same as a member's after NFKC case folding is that member.
 */

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await startWorkspace();
  await ws.addMember("admin@acme.io", "account-admin");
});
afterAll(async () => {
  await ws.close();
});

describe("invitation addresses", () => {
  it.each(["\ufe00", "\ufe0f", "\u{e0100}", "\u{e01ef}", "\u034f", "\u180b", "\u17b4", "\u115f", "\u3164", "\uffa0", "\u2800"])(
    "refuses %j in the local part with 400 naming the character",
    async (ch) => {
      const answer = await ws.call("POST", wsPath("/invitations"), { body: { email: `admin${ch}@acme.io`, role: "developer" } });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: "validation_failed", details: { field: "email" } });
      expect(answer.body.error.message).toContain(`U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`);
    },
  );

  it.each([
    ["full-width letters", "ａｄｍｉｎ@acme.io"],
    ["upper case", "ADMIN@ACME.IO"],
    ["a ligature and full-width", "ａｄｍｉｎ@ａｃｍｅ.io"],
  ])("treats %s as the same member (409 already_member)", async (_name, email) => {
    const answer = await ws.call("POST", wsPath("/invitations"), { body: { email, role: "developer" } });
    expect([answer.status, answer.body.error?.code]).toEqual([409, "already_member"]);
  });
});
