import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startWorkspace, testClock, wsPath, type TestWorkspace } from "./harness.js";

/**
 * Look-alike identities (UTS #39) at the server: the invitation endpoint refuses (400) an
 * address that reads the same as a member's or an invitee's of the workspace
 * (schema/confusables.ts; its own table tests are test/schema/confusables.test.ts).
 */

describe("POST /invitations refuses a look-alike", () => {
  let ws: TestWorkspace;
  beforeEach(async () => {
    ws = await startWorkspace({ clock: testClock() });
  });
  afterEach(async () => {
    await ws.close();
  });
  const invite = (email: string) => ws.call("POST", wsPath("/invitations"), { body: { email, role: "developer" } });

  it("400 naming the look-alike of an invitee, and of a member (the owner)", async () => {
    expect((await invite("alice@acme.io")).status).toBe(201);
    const twin = await invite("\u0430lice@acme.io");
    expect(twin.status).toBe(400);
    expect(twin.body).toMatchObject({ error: { code: "validation_failed", details: { field: "email", reason: "look_alike", lookAlike: "alice@acme.io" } } });
    const owner = await invite("f\u043eunder@acme.io");
    expect(owner.status).toBe(400);
    expect(owner.body).toMatchObject({ error: { details: { lookAlike: "founder@acme.io" } } });
    expect((await invite("bob@acme.io")).status).toBe(201);
  });
});
