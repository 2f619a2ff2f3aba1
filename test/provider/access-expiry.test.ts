import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptInvitation, OWNER, WORKSPACE } from "./fixtures.js";
import { dynamicDoor, nativeDoor, type Door } from "./doors.js";

// Time-bound access through both Pulumi front doors: a WorkspaceAccess document's
// `expires`, and a Member's `expires` input, reach the server as `accessExpiresAt` (the end
// of that day in UTC); a moved date updates it in place, and a hand change to it is a diff
// the next up puts back.

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

  it("a Member's expires is its accessExpiresAt: sent, moved in place, read back, and a hand change is drift", async () => {
    const m = door.resource("Member", "contractor");
    const inputs = { workspace: WORKSPACE, email: "cal@contractor.dev", role: "developer", expires: "2099-01-31" };
    expect(await m.register(inputs)).toBe("create");
    expect(m.state!.outputs).toMatchObject({ status: "pending", accessExpiresAt: END });
    await acceptInvitation(door.ws, "cal@contractor.dev");
    await m.refresh();
    expect(m.state!.outputs).toMatchObject({ status: "active", accessExpiresAt: END, expires: "2099-01-31" });
    expect(await m.register(inputs)).toBe("same");
    expect(await m.register({ ...inputs, expires: "2099-03-31" })).toBe("update");
    const cal = (await door.ws.client.listMembers(WORKSPACE)).find((x) => x.email === "cal@contractor.dev")!;
    expect(cal.accessExpiresAt).toBe(LATER);
    await door.ws.client.updateMember(WORKSPACE, cal.id, { accessExpiresAt: null }, { ifMatch: cal.version });
    await m.refresh();
    expect(m.state!.inputs.expires).toBeUndefined();
    expect(await m.previewDiff({ ...inputs, expires: "2099-03-31" })).toMatchObject({ changes: "some", replaces: [] });
    expect(await m.register({ ...inputs, expires: "2099-03-31" })).toBe("update");
    expect((await door.ws.client.listMembers(WORKSPACE)).find((x) => x.email === "cal@contractor.dev")).toMatchObject({ accessExpiresAt: LATER });
  });
});
