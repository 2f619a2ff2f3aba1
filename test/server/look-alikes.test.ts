import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emailSkeleton, lookAlikeOf, mixedScriptLocalPart, skeleton } from "../../schema/confusables.js";
import { startWorkspace, testClock, wsPath, type TestWorkspace } from "./harness.js";

/**
 * Look-alike identities (UTS #39): the skeleton and mixed-script checks of
 * schema/confusables.ts, and the invitation endpoint refusing (400) an address that reads
 * the same as a member's or an invitee's of the workspace.
 */

describe("schema/confusables", () => {
  it.each([
    ["а (Cyrillic) reads as a", "\u0430lice", "alice"],
    ["ο (Greek) reads as o", "b\u03bfb", "bob"],
    ["upper case folds", "ALICE", "alice"],
    ["rn reads as m", "rnike", "mike"],
    ["0 reads as o", "b0b", "bob"],
  ])("skeleton: %s", (_name, text, expected) => {
    expect(skeleton(text)).toBe(skeleton(expected));
  });

  it("tells mixed scripts apart from one script", () => {
    expect(mixedScriptLocalPart("\u0430lice@acme.io")).toEqual(["Cyrillic", "Latin"]);
    expect(mixedScriptLocalPart("alice@acme.io")).toBeNull();
    expect(mixedScriptLocalPart("\u0430\u043b\u0438\u0441\u0430@acme.io")).toBeNull(); // алиса: Cyrillic only
    expect(mixedScriptLocalPart("alice.2024+ops@acme.io")).toBeNull(); // digits and punctuation go with any script
  });

  it("finds a look-alike in the same domain only, never the address itself", () => {
    expect(lookAlikeOf("\u0430lice@acme.io", ["bob@acme.io", "alice@acme.io"])).toBe("alice@acme.io");
    expect(lookAlikeOf("alice@acme.io", ["alice@acme.io"])).toBeNull();
    expect(lookAlikeOf("\u0430lice@acme.io", ["alice@other.io"])).toBeNull();
    expect(emailSkeleton("\u0430lice@acme.io")).toBe(emailSkeleton("alice@acme.io"));
  });
});

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
    expect(twin.body).toMatchObject({ error: { code: "validation_failed", details: { field: "email", lookAlike: "alice@acme.io" } } });
    const owner = await invite("f\u043eunder@acme.io");
    expect(owner.status).toBe(400);
    expect(owner.body).toMatchObject({ error: { details: { lookAlike: "founder@acme.io" } } });
    expect((await invite("bob@acme.io")).status).toBe(201);
  });
});
