import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptInvitation, OWNER, WORKSPACE } from "./fixtures.js";
import { dynamicDoor, nativeDoor, type Door } from "./doors.js";

// Time-bound access through both Pulumi front doors: a WorkspaceAccess document's
// `expires` reaches the server as `accessExpiresAt` (the end of that day in UTC), a moved
// date updates it in place, and a hand change to it is a diff the next up puts back.

const END = "2099-02-01T00:00:00.000Z";
const LATER = "2099-04-01T00:00:00.000Z";

describe.each([
  ["dynamic", dynamicDoor],
  ["native", nativeDoor],
] as const)("the %s door", (_name, open) => {
  let door: Door;
  beforeAll(async () => {
    door = await open();
  });
  afterAll(async () => {
    await door.close();
  });

  const inputs = (expires: string) => ({
    workspace: WORKSPACE,
    document: { owner: OWNER, mode: "additive", members: [{ email: "eve@contractor.dev", role: "developer", expires }] },
  });
  const eve = async () => (await door.ws.client.listMembers(WORKSPACE)).find((m) => m.email === "eve@contractor.dev");

  it("sends expires as accessExpiresAt, moves it, and puts back a hand change", async () => {
    const wa = door.resource("WorkspaceAccess", "contractors");
    expect(await wa.register(inputs("2099-01-31"))).toBe("create");
    const [invitation] = await door.ws.client.listInvitations(WORKSPACE, { status: "pending" });
    expect(invitation).toMatchObject({ email: "eve@contractor.dev", accessExpiresAt: END });
    await acceptInvitation(door.ws, "eve@contractor.dev");
    expect(await eve()).toMatchObject({ status: "active", accessExpiresAt: END });

    expect(await wa.previewDiff(inputs("2099-03-31"))).toMatchObject({ changes: "some" });
    expect(await wa.register(inputs("2099-03-31"))).toBe("update");
    const moved = await eve();
    expect(moved).toMatchObject({ accessExpiresAt: LATER });

    await door.ws.client.updateMember(WORKSPACE, moved!.id, { accessExpiresAt: null }, { ifMatch: moved!.version });
    expect(await wa.previewDiff(inputs("2099-03-31"))).toMatchObject({ changes: "some" });
    expect(await wa.register(inputs("2099-03-31"))).toBe("update");
    expect(await eve()).toMatchObject({ accessExpiresAt: LATER });
  });
});
